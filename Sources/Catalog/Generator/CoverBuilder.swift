import ArenaModel

/// Builds the products of the cover layers: anchors (with voucher price splits), hard negatives,
/// valid alternates, decoy shops and shop companions. Everything is keyed by product ids and
/// problem queries, so it depends only on the seed and the cover set.
struct CoverBuilder: Sendable {
    let seed: UInt64
    let plan: CoverPlan
    let synthesizer: ProductSynthesizer
    /// Anchor documents, aligned with `plan.anchors`.
    private(set) var anchors: [Product] = []
    private(set) var leaves: [Taxonomy.Leaf] = []
    /// Dedicated shop id of each shop group.
    private(set) var groupShopIDs: [String] = []
    /// Anchor indices that get negatives (web anchors are used verbatim and get none).
    private(set) var negativeAnchors: [Int] = []
    private(set) var warnings: [String] = []
    let shopID: @Sendable (UInt64) -> String
    let backgroundShop: @Sendable (UInt64) -> String

    /// Shop index regions (see ``CatalogGenerator``): dedicated shops count down from the top of the
    /// shop index space, decoy shops below them.
    static let dedicatedShopBase: UInt64 = 8_999_999
    static let decoyShopBase: UInt64 = 8_899_999

    init(seed: UInt64, plan: CoverPlan, synthesizer: ProductSynthesizer, backgroundShop: @escaping @Sendable (UInt64) -> String, shopID: @escaping @Sendable (UInt64) -> String) {
        self.seed = seed
        self.plan = plan
        self.synthesizer = synthesizer
        self.shopID = shopID
        self.backgroundShop = backgroundShop
        warnings = plan.warnings
        groupShopIDs = (0..<plan.shopGroupCount).map { shopID(CoverBuilder.dedicatedShopBase - UInt64($0)) }
        // A verbatim web document keeps its shop; its group follows it.
        for a in plan.anchors {
            if let doc = a.webDocument, let g = a.shopGroup { groupShopIDs[g] = doc.shopID }
        }
        leaves = plan.anchors.map { a in a.webDocument.map { synthesizer.leaf(forTitle: $0.title) } ?? synthesizer.leaf(forTitle: a.title) }

        // Prices: voucher splits first, then the bounds or the category prior.
        var fixedCents: [Int: Int] = [:]
        for (p, problem) in plan.problems.enumerated() {
            guard let voucher = problem.voucher else { continue }
            fixedCents = splitVoucher(problem: p, voucher: voucher, fixed: fixedCents)
        }
        for (i, a) in plan.anchors.enumerated() {
            if let doc = a.webDocument {
                anchors.append(doc)
                continue
            }
            var rng = RandomStream(seed: seed, layer: .anchor, index: RandomStream.hash(a.productID))
            let price: Double
            if let cents = fixedCents[i] {
                price = Double(cents) / 100
            } else {
                price = CoverBuilder.anchorPrice(&rng, lower: a.lowerBound, upper: a.upperBound, scale: leaves[i].priceScale)
            }
            let shop = a.shopGroup.map { groupShopIDs[$0] } ?? backgroundShop(RandomStream.hash(a.productID))
            anchors.append(dress(a, leaf: leaves[i], &rng, productID: a.productID, title: a.title, price: price, shopID: shop))
            negativeAnchors.append(i)
        }
        verifyAnchors()
    }

    // MARK: Prices

    /// "between [L, U]" → uniform in (max(L, U/2), U); "> L" → L/u with u ∈ [0.15, 0.95], at most
    /// 20·L + 50; "< U" → uniform in (U/2, U); none → the category prior. Always inside the bounds.
    static func anchorPrice(_ rng: inout RandomStream, lower: Double?, upper: Double?, scale: Double) -> Double {
        var pesos: Double
        switch (lower, upper) {
        case let (lo?, hi?): pesos = max(lo, hi / 2) + rng.unit() * (hi - max(lo, hi / 2))
        case let (lo?, nil) where lo > 0: pesos = min(lo / (0.15 + 0.8 * rng.unit()), 20 * lo + 50)
        case let (nil, hi?): pesos = hi / 2 + rng.unit() * hi / 2
        default: pesos = Double(Marginals.priceCents(&rng, scale: scale)) / 100
        }
        return clamp(Double(Marginals.roundedPriceCents(pesos, &rng)) / 100, lower: lower, upper: upper)
    }

    /// Uniform inside the bounds (for alternates and negatives), else the anchor rule.
    static func alternatePrice(_ rng: inout RandomStream, lower: Double?, upper: Double?, scale: Double) -> Double {
        if let lo = lower, let hi = upper {
            return clamp(Double(Marginals.roundedPriceCents(lo + rng.unit() * (hi - lo), &rng)) / 100, lower: lo, upper: hi)
        }
        return anchorPrice(&rng, lower: lower, upper: upper, scale: scale)
    }

    /// Clamps to inclusive bounds in whole centavos.
    static func clamp(_ price: Double, lower: Double?, upper: Double?) -> Double {
        var cents = Int((price * 100).rounded())
        if let lo = lower { cents = max(cents, Int((lo * 100).rounded(.up))) }
        if let hi = upper { cents = min(cents, Int((hi * 100).rounded(.down))) }
        return Double(max(cents, 1)) / 100
    }

    private mutating func splitVoucher(problem p: Int, voucher: Voucher, fixed: [Int: Int]) -> [Int: Int] {
        var fixed = fixed
        let problem = plan.problems[p]
        var members: [Int] = []
        for item in problem.rewards {
            let i = plan.anchorIndex[item.productID]!
            if members.contains(i) {
                warnings.append("voucher problem \(problem.id): product \(item.productID) is listed twice; its price counts once")
            } else {
                members.append(i)
            }
        }
        let total = Int((voucher.groundTruthTotal * 100).rounded())
        var rng = RandomStream(seed: seed, layer: .voucher, index: RandomStream.hash(problem.query))
        func slots(ignoringBounds: Bool) -> [VoucherSplit.Slot] {
            members.map { i in
                let a = plan.anchors[i]
                var slot = VoucherSplit.Slot(lower: 100, upper: total, weight: Double(Marginals.priceCents(&rng, scale: leaves[i].priceScale)), fixed: fixed[i])
                if let doc = a.webDocument { slot.fixed = Int((doc.price * 100).rounded()) }
                if !ignoringBounds {
                    if let lo = a.lowerBound { slot.lower = max(Int((lo * 100).rounded(.up)), 1) }
                    if let hi = a.upperBound { slot.upper = Int((hi * 100).rounded(.down)) }
                }
                return slot
            }
        }
        var result = VoucherSplit.split(total: total, slots: slots(ignoringBounds: false))
        if result == nil {
            warnings.append("voucher problem \(problem.id): cannot split the total \(JSONWriter.pythonFloat(Double(total) / 100)) over its items within their price constraints; ignoring the item price bounds")
            result = VoucherSplit.split(total: total, slots: slots(ignoringBounds: true))
        }
        guard let prices = result else {
            warnings.append("voucher problem \(problem.id): cannot price its items to the total \(JSONWriter.pythonFloat(Double(total) / 100)) (prices fixed by other problems); the budget rule may fail")
            return fixed
        }
        for (k, i) in members.enumerated() where fixed[i] == nil { fixed[i] = prices[k] }
        return fixed
    }

    // MARK: Dressing

    /// A full document meeting a requirement, except for the requested swaps.
    func dress(
        _ a: AnchorRequirement, leaf: Taxonomy.Leaf, _ rng: inout RandomStream, productID: String, title: String,
        price: Double, shopID: String, swapSKU: Product.KeyValue? = nil, swapAttribute: Product.KeyValue? = nil,
        dropService: String? = nil
    ) -> Product {
        var forbidden = Set<Product.KeyValue>()
        var required = a.variants
        if let s = swapSKU {
            forbidden.insert(s)
            let replacement = rng.pick(synthesizer.alternatives(for: s.key, of: s.value))
            required = required.map { v in v.map { $0 == s ? Product.KeyValue(s.key, replacement) : $0 } }
        }
        var attributes = a.attributes
        if let s = swapAttribute {
            forbidden.insert(s)
            let options = synthesizer.alternatives(for: s.key, of: s.value)
            attributes = attributes.map { attr in
                guard attr.key == s.key else { return attr }
                return .init(attr.key, attr.values.map { $0 == s.value ? rng.pick(options) : $0 })
            }
        }
        let keys = required.first.map { $0.map(\.key) } ?? []
        let count = keys.isEmpty ? 0 : max(required.count, Marginals.variantCount(&rng))
        let variants = synthesizer.siblingVariants(&rng, keys: keys, count: count, fixed: required, forbidden: forbidden)
        let avoid = Set(variants.flatMap { $0.map(\.key) } + attributes.map(\.key) + forbidden.map(\.key))
        let brandAttribute = attributes.first { $0.key == "brand" }?.values.first
        let brand = brandAttribute.map(\.titleCased) ?? synthesizer.drawBrand(&rng, leaf: leaf)
        attributes += synthesizer.extraAttributes(&rng, leaf: leaf, brand: brand, avoiding: avoid, count: rng.int(0...4))
        var services = Set(Marginals.services(&rng))
        services.formUnion(a.services)
        if let d = dropService { services.remove(d) }
        var serviceList = Marginals.canonicalServices(services)
        serviceList += a.services.filter { Service(rawValue: $0) == nil && $0 != dropService }
        return synthesizer.assemble(&rng, productID: productID, shopID: shopID, brand: brand, leaf: leaf, title: title,
                                    price: price, variants: variants, attributes: attributes, service: serviceList)
    }

    /// A title from the anchor's skeleton: 50–90% of its tokens (always the two longest words), a few
    /// neighbouring tokens swapped, another brand in front unless the brand is required, and some
    /// marketplace padding. Never equal to the anchor's title.
    func skeletonTitle(_ anchorTitle: String, requirement a: AnchorRequirement, _ rng: inout RandomStream) -> String {
        var tokens = anchorTitle.split(separator: " ").map(String.init)
        let keepRate = 0.5 + 0.4 * rng.unit()
        let longest = Set(tokens.indices.sorted { (tokens[$0].count, -$0) > (tokens[$1].count, -$1) }.prefix(2))
        tokens = tokens.indices.filter { longest.contains($0) || rng.chance(keepRate) }.map { tokens[$0] }
        if tokens.count > 2 {
            for _ in 0..<rng.int(1...2) {
                let i = rng.below(tokens.count - 1)
                tokens.swapAt(i, i + 1)
            }
        }
        if !a.attributes.contains(where: { $0.key == "brand" }), rng.chance(0.7) {
            tokens.insert(rng.pick(Taxonomy.swapBrands), at: 0)
        }
        for i in rng.sample(rng.int(0...2), of: Taxonomy.titlePadding.count) { tokens.append(Taxonomy.titlePadding[i]) }
        var title = tokens.joined(separator: " ")
        if title == anchorTitle || title.isEmpty { title = anchorTitle + " " + rng.pick(Taxonomy.titlePadding) }
        return title
    }

    // MARK: Checks

    private mutating func verifyAnchors() {
        for (i, a) in plan.anchors.enumerated() {
            let product = anchors[i]
            for (p, item) in a.rewards {
                let problem = plan.problems[p]
                if let t = item.titles.first, t != product.title {
                    warnings.append("problem \(problem.id): product \(a.productID) cannot carry the title \"\(t)\" (another problem set \"\(product.title)\")")
                }
                let match = RewardMatch(reward: item, product: product)
                if !match.isComplete {
                    warnings.append("problem \(problem.id): product \(a.productID) misses \(match.missed.joined(separator: ", "))")
                }
            }
        }
        for (p, problem) in plan.problems.enumerated() {
            let items = problem.rewards.compactMap { plan.anchorIndex[$0.productID].map { anchors[$0] } }
            let oneShop = Set(items.map(\.shopID)).count == 1
            if plan.shopProblems.contains(p), !oneShop {
                warnings.append("problem \(problem.id): its items cannot share one shop (a verbatim web document fixes another shop)")
            }
            if let v = problem.voucher {
                if !VoucherSplit.passes(v, prices: items.map(\.price), oneShop: oneShop) {
                    warnings.append("voucher problem \(problem.id): the ground-truth combination fails the budget rule")
                }
            }
        }
    }

    /// Whether `product`, put in place of anchor `i`, leaves every voucher problem of that anchor
    /// passing the budget rule.
    func keepsVouchersPassing(anchor i: Int, price: Double, shopID: String) -> Bool {
        for p in plan.anchors[i].voucherProblems {
            let problem = plan.problems[p]
            guard let v = problem.voucher else { continue }
            var prices: [Double] = []
            var shops = Set<String>()
            for item in problem.rewards {
                let j = plan.anchorIndex[item.productID]!
                prices.append(j == i ? price : anchors[j].price)
                shops.insert(j == i ? shopID : anchors[j].shopID)
            }
            if !VoucherSplit.passes(v, prices: prices, oneShop: shops.count == 1) { return false }
        }
        return true
    }

    /// The problem ids an anchor belongs to.
    func problemIDs(of i: Int) -> [String] {
        plan.anchors[i].problemIndices.map { plan.problems[$0].id }
    }
}
