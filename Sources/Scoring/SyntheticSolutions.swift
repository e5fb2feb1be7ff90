import ArenaModel

/// Builds products and rollouts from a problem's reward constraints: the minimal product that
/// satisfies a reward item, a "hard negative" that breaks exactly one constraint, and an envelope that
/// recommends given ids. Used by the scorer's tests and by `shoparena bench score`; the real catalog
/// comes from the Catalog module's generator.
public enum SyntheticSolutions {
    /// The one constraint a hard negative breaks.
    public enum Violation: String, Sendable, Hashable, CaseIterable {
        /// The price leaves the allowed range.
        case price
        /// A required service is dropped.
        case service
        /// A required SKU value is changed.
        case sku
        /// A required attribute value is changed.
        case attribute
        /// The product is sold by another shop (shop tasks, shop vouchers).
        case shop
        /// The price rises so far that the combination exceeds the budget (voucher tasks).
        case budget
    }

    /// A price that meets every price constraint (inclusive): the middle of a closed range, 10% above a
    /// lone lower bound, a lone upper bound itself, 100 without constraints.
    public static func price(satisfying constraints: [PriceConstraint]) -> Double {
        var lo: Double?
        var hi: Double?
        for c in constraints {
            let (l, h) = c.effectiveBounds
            if let l { lo = max(lo ?? l, l) }
            if let h { hi = min(hi ?? h, h) }
        }
        switch (lo, hi) {
        case let (l?, h?): return roundCents((l + h) / 2)
        case let (l?, nil): return roundCents(l * 1.1 + 1)
        case let (nil, h?): return h
        case (nil, nil): return 100
        }
    }

    /// A product meeting every constraint of `reward`: its first title, the first required SKU dict as
    /// its only variant, the other required pairs as attributes, the required services, and `price`
    /// (default ``price(satisfying:)``).
    public static func product(satisfying reward: RewardItem, id: String, shopID: String, price: Double? = nil) -> Product {
        if let full = reward.fullProduct {
            var p = full
            p.productID = id
            return p
        }
        var attributes: [Product.Attribute] = reward.attributes
        let extraSKU = reward.skuOptions.dropFirst().flatMap { $0 }
        for pair in extraSKU { attributes.append(.init(pair.key, [pair.value])) }
        return Product(
            productID: id, shopID: shopID, title: reward.titles.first ?? "product \(id)",
            price: price ?? self.price(satisfying: reward.price),
            skuOptions: reward.skuOptions.first.map { [$0] } ?? [], attributes: attributes, service: reward.service)
    }

    /// One product per reward item under its GT id, all in one shop. Voucher problems get prices that
    /// split the ground-truth total (``Voucher/groundTruthTotal``, each rounded down to the centavo), so
    /// the combination passes the budget as the GT does.
    public static func groundTruthProducts(for problem: Problem, shopID: String = "gt-shop") -> [Product] {
        var prices: [Double?] = problem.rewards.map { _ in nil }
        if problem.category == .voucher, let voucher = problem.voucher, !problem.rewards.isEmpty {
            let total = voucher.groundTruthTotal
            let each = floorCents(total / Double(problem.rewards.count))
            prices = problem.rewards.indices.map { i in
                i == problem.rewards.count - 1 ? floorCents(total - each * Double(problem.rewards.count - 1)) : each
            }
        }
        return problem.rewards.enumerated().map { (i, r) in
            product(satisfying: r, id: r.productID, shopID: shopID, price: prices[i])
        }
    }

    /// A copy of `product` (which satisfies `reward`) with a new id that breaks exactly `violation`,
    /// or nil when the reward has nothing of that kind to break.
    public static func hardNegative(
        of product: Product, reward: RewardItem, violating violation: Violation, id: String, budget: Voucher? = nil
    ) -> Product? {
        var p = product
        p.productID = id
        switch violation {
        case .price:
            guard let c = reward.price.first else { return nil }
            let (lo, hi) = c.effectiveBounds
            if let lo, lo > 0.02 {
                p.price = roundCents(lo - max(0.01, min(1, lo * 0.01)))
            } else if let hi {
                p.price = hi + 1
            } else {
                return nil
            }
        case .service:
            guard let s = reward.service.first else { return nil }
            p.service.removeAll { $0 == s }
        case .sku:
            guard let pair = reward.skuOptions.first?.first, !p.skuOptions.isEmpty else { return nil }
            p.skuOptions[0] = p.skuOptions[0].map { $0.key == pair.key ? .init($0.key, $0.value + " (other)") : $0 }
        case .attribute:
            guard let a = reward.attributes.first, let v = a.values.first else { return nil }
            p.attributes = p.attributes.map { attr in
                attr.key == a.key ? .init(attr.key, attr.values.map { $0 == v ? v + " (other)" : $0 }) : attr
            }
        case .shop:
            p.shopID = product.shopID + "-elsewhere"
        case .budget:
            guard let budget else { return nil }
            p.price = roundCents(product.price + budget.budget * 2 + budget.threshold + 1000)
        }
        return p
    }

    /// A three-step SUCCESS envelope: a search, `recommend_product` with `ids` joined by ",", then
    /// `terminate` with a response. Every step is well formed and timestamped.
    public static func envelope(problem: Problem, recommending ids: [String], separator: String = ",") -> Envelope {
        let t0: Int64 = 1_750_000_000_000
        let steps: [DialogueStep] = [
            .make(
                think: "Search the catalog first.",
                toolCalls: [DialogueStep.call("find_product", [("q", .string(String(problem.query.prefix(60))))])],
                query: problem.query, step: 1, timestamp: t0),
            .make(
                think: "These match every constraint.",
                toolCalls: [
                    DialogueStep.call("recommend_product", [("product_ids", .string(ids.joined(separator: separator)))])
                ], query: problem.query, step: 2, timestamp: t0 + 1000),
            .make(
                think: "Done.", toolCalls: [DialogueStep.call("terminate", [("status", "success")])],
                response: "I recommended \(ids.count) product(s).", query: problem.query, step: 3, timestamp: t0 + 2000),
        ]
        return Envelope(
            problemID: problem.id, status: .success, executionTime: 2.5, inferenceFailureCount: 0, inferenceTotal: 3,
            dialogue: .array(steps.map(\.raw)))
    }

    static func roundCents(_ x: Double) -> Double { (x * 100).rounded() / 100 }
    static func floorCents(_ x: Double) -> Double { (x * 100).rounded(.down) / 100 }
}
