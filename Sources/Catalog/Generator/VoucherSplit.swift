import ArenaModel

/// Splits a voucher problem's ground-truth total (recovered from `price_after_voucher`) across its
/// items in whole centavos, so the prices sum exactly to the total.
enum VoucherSplit {
    /// One item of the split: its allowed range in centavos and a prior weight; `fixed` when another
    /// problem already priced it.
    struct Slot {
        var lower: Int
        var upper: Int
        var weight: Double
        var fixed: Int?
    }

    /// Centavo prices for the slots summing to `total`, or nil when the ranges make it impossible.
    /// Free slots get shares proportional to their weights, clamped to their ranges (water filling);
    /// all but one free slot are then rounded to whole pesos when that keeps every range.
    static func split(total: Int, slots: [Slot]) -> [Int]? {
        var alloc = slots.map { $0.fixed ?? 0 }
        let free = slots.indices.filter { slots[$0].fixed == nil }
        let remaining = total - alloc.reduce(0, +)
        if free.isEmpty { return remaining == 0 ? alloc : nil }
        let lo = free.reduce(0) { $0 + slots[$1].lower }
        let hi = free.reduce(0) { $0 + min(slots[$1].upper, remaining) }
        guard lo <= remaining, remaining <= hi else { return nil }

        var share = [Int: Double]()
        var open = Set(free)
        var budget = Double(remaining)
        for _ in 0..<(free.count + 1) {
            let weight = open.reduce(0.0) { $0 + slots[$1].weight }
            var changed = false
            for i in free.sorted() where open.contains(i) {
                share[i] = budget * slots[i].weight / max(weight, 1e-9)
            }
            for i in free.sorted() where open.contains(i) {
                let s = share[i]!
                if s < Double(slots[i].lower) || s > Double(slots[i].upper) {
                    share[i] = min(max(s, Double(slots[i].lower)), Double(slots[i].upper))
                    open.remove(i)
                    budget -= share[i]!
                    changed = true
                }
            }
            if !changed { break }
        }
        for i in free { alloc[i] = Int(share[i]!.rounded(.down)) }
        // Hand the rounding residue to slots with room, in order.
        var residue = remaining - free.reduce(0) { $0 + alloc[$1] }
        for i in free where residue != 0 {
            let room = residue > 0 ? slots[i].upper - alloc[i] : slots[i].lower - alloc[i]
            let step = residue > 0 ? min(residue, room) : max(residue, room)
            alloc[i] += step
            residue -= step
        }
        guard residue == 0 else { return nil }
        // Prettify: whole pesos for all free slots but the last, which absorbs the centavos.
        if free.count > 1 {
            var pretty = alloc
            let absorber = free.last!
            for i in free.dropLast() { pretty[i] = max((pretty[i] / 100) * 100, 100) }
            pretty[absorber] = total - slots.indices.filter { $0 != absorber }.reduce(0) { $0 + pretty[$1] }
            if slots.indices.allSatisfy({ i in slots[i].fixed != nil || (slots[i].lower...slots[i].upper).contains(pretty[i]) }) {
                alloc = pretty
            }
        }
        return alloc
    }

    /// Whether a combination with these prices passes the ORO/ShoppingBench budget rule (§4.3):
    /// total ≤ budget, or the voucher applies (total ≥ threshold, one shop for a shop voucher) and
    /// the discounted total is ≤ budget.
    static func passes(_ voucher: Voucher, prices: [Double], oneShop: Bool) -> Bool {
        let total = prices.reduce(0, +)
        if total <= voucher.budget { return true }
        guard voucher.scope == .platform || oneShop else { return false }
        return total >= voucher.threshold && voucher.discounted(total) <= voucher.budget
    }
}
