/// How many of a reward item's non-title constraints a product meets, field by field
/// (`reference/oro-validator.md` §3, `rule_score_reward`).
///
/// This is the part of the rule score that needs no title similarity; the scorer adds the title.
public struct RewardMatch: Sendable, Hashable {
    public var priceHits: Int
    public var priceTotal: Int
    public var serviceHits: Int
    public var serviceTotal: Int
    /// SKU and attribute pairs together ("sku & attrs").
    public var pairHits: Int
    public var pairTotal: Int

    public var hits: Int { priceHits + serviceHits + pairHits }
    public var total: Int { priceTotal + serviceTotal + pairTotal }
    /// Every non-title constraint is met.
    public var isComplete: Bool { hits == total }

    /// Names of the constraints the product misses, for reports ("price between [180, 505]",
    /// "service COD", "color_family=red").
    public var missed: [String] = []

    public init(reward: RewardItem, product: Product) {
        priceTotal = reward.price.count
        priceHits = 0
        for p in reward.price {
            if p.contains(product.price) {
                priceHits += 1
            } else {
                let lo = p.lower.map { JSONWriter.pythonFloat($0) } ?? "null"
                let hi = p.upper.map { JSONWriter.pythonFloat($0) } ?? "null"
                missed.append("price \(p.mode.rawValue) [\(lo), \(hi)]")
            }
        }
        serviceTotal = reward.service.count
        serviceHits = 0
        let services = Set(product.service)
        for s in reward.service {
            if services.contains(s) { serviceHits += 1 } else { missed.append("service \(s)") }
        }
        let required = reward.requiredPairs
        pairTotal = required.count
        let best = RewardMatch.bestPairHits(required: required, product: product)
        pairHits = best.hits
        missed += best.missed.map { "\($0.key)=\($0.value)" }
    }

    /// The most required pairs met by the product's attribute pairs plus the pairs of any one
    /// variant (or of no variant), and the pairs missed by that best choice.
    static func bestPairHits(required: [Product.KeyValue], product: Product) -> (hits: Int, missed: [Product.KeyValue]) {
        guard !required.isEmpty else { return (0, []) }
        let attributePairs = Set(product.attributePairs)
        var bestHits = -1
        var bestMissed: [Product.KeyValue] = []
        let choices: [[Product.KeyValue]] = [[]] + product.skuOptions
        for variant in choices {
            let available = attributePairs.union(variant)
            var hits = 0
            var missed: [Product.KeyValue] = []
            for pair in required {
                if available.contains(pair) { hits += 1 } else { missed.append(pair) }
            }
            if hits > bestHits {
                bestHits = hits
                bestMissed = missed
                if hits == required.count { break }
            }
        }
        return (bestHits, bestMissed)
    }
}
