import ArenaModel

/// The voucher task's `budget` rule (`reference/oro-validator.md` §3, `reference/shoppingbench.md` §4.3).
public enum BudgetRule {
    /// Whether `prices` (one per reward item, all resolved) fit the budget:
    /// - the plain total is ≤ budget; or
    /// - the voucher applies (platform scope, or shop scope with every product from one shop), the total
    ///   is ≥ the threshold (inclusive, although queries say "exceeds"), and the discounted total
    ///   (fixed: total − face value; percentage: max(total·(1 − d), total − cap)) is ≤ budget.
    ///
    /// The total is summed left to right, as the reference does.
    public static func fits(prices: [Double], shopCount: Int, voucher: Voucher) -> Bool {
        var total = 0.0
        for p in prices { total += p }
        if total <= voucher.budget { return true }
        let applicable = voucher.scope == .platform || (voucher.scope == .shop && shopCount == 1)
        guard applicable, total >= voucher.threshold else { return false }
        return voucher.discounted(total) <= voucher.budget
    }
}
