import ArenaModel

/// ShoppingBench's target-product sampler (`reference/shoppingbench.md` §7) with the test-set
/// corrections: price modes "greater than" and "between" only; every coin has p = ½.
enum RewardSampler {
    /// A reward object for `product`: the title always; SKU (first variant whose coin lands, all its
    /// pairs); one coin per attribute key (one value); one coin per service; and, unless
    /// `withPrice` is false, the first price mode whose coin lands and whose bounds are valid.
    static func reward(for product: Product, withPrice: Bool, _ rng: inout RandomStream) -> JSONValue {
        var fields: [(String, JSONValue)] = [("product_id", .string(product.productID)), ("title", .array([.string(product.title)]))]
        for variant in product.skuOptions where !variant.isEmpty {
            if rng.chance(0.5) {
                fields.append(("sku_options", .array([.object(variant.map { ($0.key, .string($0.value)) })])))
                break
            }
        }
        var attributes: [JSONValue] = []
        for a in product.attributes where !a.values.isEmpty {
            if rng.chance(0.5) { attributes.append(.object([(a.key, .array([.string(rng.pick(a.values))]))])) }
        }
        if !attributes.isEmpty { fields.append(("attributes", .array(attributes))) }
        let services = product.service.filter { _ in rng.chance(0.5) }
        if !services.isEmpty { fields.append(("service", .array(services.map(JSONValue.string)))) }
        if withPrice, let price = priceConstraint(product.price, &rng) { fields.append(("price", .array([price]))) }
        return .object(fields)
    }

    /// "greater than" with L = int(p − r), r ∈ U[0, int(p)], else "between" with U = int(p + r′);
    /// a mode is taken only if its coin lands and L < p (< U).
    static func priceConstraint(_ p: Double, _ rng: inout RandomStream) -> JSONValue? {
        let ip = Int(p)
        for mode in ["greater than", "between"] where rng.chance(0.5) {
            let lower = Int(p - Double(rng.int(0...max(ip, 0))))
            let upper = Int(p + Double(rng.int(0...max(ip, 0))))
            switch mode {
            case "greater than" where Double(lower) < p:
                return .object([(mode, .array([.int(Int64(lower)), .null]))])
            case "between" where Double(lower) < p && p < Double(upper):
                return .object([(mode, .array([.int(Int64(lower)), .int(Int64(upper))]))])
            default: continue
            }
        }
        return nil
    }

    /// Number of constraints besides the title.
    static func constraintCount(_ reward: JSONValue) -> Int {
        var n = 0
        if let skus = reward["sku_options"]?.arrayValue { n += skus.reduce(0) { $0 + ($1.objectValue?.count ?? 0) } }
        n += reward["attributes"]?.arrayValue?.count ?? 0
        n += reward["service"]?.arrayValue?.count ?? 0
        n += reward["price"]?.arrayValue?.count ?? 0
        return n
    }
}
