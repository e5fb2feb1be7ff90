import ArenaModel

/// Settings of a ``SuiteGenerator`` run.
public struct SuiteGeneratorConfiguration: Sendable, Hashable {
    public var count: Int
    public var seed: UInt64
    /// Relative shares of product, shop and voucher problems (default equal thirds, like ORO suites).
    public var productShare: Double
    public var shopShare: Double
    public var voucherShare: Double

    public init(count: Int, seed: UInt64, productShare: Double = 1, shopShare: Double = 1, voucherShare: Double = 1) {
        self.count = count
        self.seed = seed
        self.productShare = productShare
        self.shopShare = shopShare
        self.voucherShare = voucherShare
    }

    /// Exact problem counts per category (largest remainder).
    public var categoryCounts: [ProblemCategory: Int] {
        let shares = [productShare, shopShare, voucherShare].map { max($0, 0) }
        let total = max(shares.reduce(0, +), 1e-9)
        var counts = shares.map { Int((Double(count) * $0 / total).rounded(.down)) }
        var rest = count - counts.reduce(0, +)
        let order = shares.indices.sorted { Double(count) * shares[$0] / total - Double(counts[$0]) > Double(count) * shares[$1] / total - Double(counts[$1]) }
        for i in order where rest > 0 && shares[i] > 0 { counts[i] += 1; rest -= 1 }
        return [.product: counts[0], .shop: counts[1], .voucher: counts[2]]
    }
}

/// Why a suite could not be generated.
public enum SuiteGenerationError: Error, Sendable, CustomStringConvertible {
    case catalog(CatalogReadError)
    case manifest(String)
    case notEnoughProducts(String)

    public var description: String {
        switch self {
        case .catalog(let e): return e.description
        case .manifest(let m): return m
        case .notEnoughProducts(let m): return m
        }
    }
}

/// A generated suite: ORO suite records in order, with the ground-truth products.
public struct GeneratedSuite: Sendable {
    public var problems: [JSONValue]
    /// Ground-truth products by id (every reward id of the suite).
    public var products: [String: Product]

    /// The suite as an ORO suite JSON array, one problem per line.
    public var jsonText: String {
        let writer = JSONWriter(style: .python)
        return "[\n" + problems.map { "  " + writer.string($0) }.joined(separator: ",\n") + "\n]\n"
    }
}

/// Generates product, shop and voucher problems from catalog products with ShoppingBench's sampler
/// (§7, corrected: price modes greater than/between, LazMall/LazFlash phrasing) and template
/// queries. Every problem is checked to be solved by its own ground truth, and queries are unique.
public struct SuiteGenerator: Sendable {
    public let configuration: SuiteGeneratorConfiguration
    let writer = QueryWriter(taxonomy: .standard)

    public init(configuration: SuiteGeneratorConfiguration) {
        self.configuration = configuration
    }

    /// Streams a catalog twice: a seeded reservoir of candidate products and shop sizes, then the
    /// products of a sample of shops; `excluding` ids (anchors, negatives…) are never used.
    public func generate(catalogPath: String, excluding: Set<String> = []) throws(SuiteGenerationError) -> GeneratedSuite {
        let reservoirSize = max(300, configuration.count * 12)
        var rng = RandomStream(seed: configuration.seed, layer: .suite, index: 1)
        var reservoir: [Product] = []
        var shopSizes: [String: Int] = [:]
        var seen = 0
        do {
            var reader = try CatalogReader(path: catalogPath)
            while let doc = try reader.next() {
                guard !excluding.contains(doc.id) else { continue }
                shopSizes[doc.product.shopID, default: 0] += 1
                seen += 1
                if reservoir.count < reservoirSize {
                    reservoir.append(doc.product)
                } else {
                    let j = rng.below(seen)
                    if j < reservoirSize { reservoir[j] = doc.product }
                }
            }
        } catch {
            throw .catalog(error)
        }
        // Shops with at least two eligible products, ordered by a seeded hash; take enough of them.
        let needed = (configuration.categoryCounts[.shop] ?? 0) + (configuration.categoryCounts[.voucher] ?? 0)
        let candidates = shopSizes.filter { $0.value >= 2 }.keys
            .sorted { (RandomStream.hash($0) ^ configuration.seed, $0) < (RandomStream.hash($1) ^ configuration.seed, $1) }
            .prefix(max(needed * 4, 8))
        let chosen = Set(candidates)
        var shops: [String: [Product]] = [:]
        if !chosen.isEmpty {
            do {
                var reader = try CatalogReader(path: catalogPath)
                while let doc = try reader.next() {
                    guard chosen.contains(doc.product.shopID), !excluding.contains(doc.id) else { continue }
                    if shops[doc.product.shopID, default: []].count < 60 { shops[doc.product.shopID, default: []].append(doc.product) }
                }
            } catch {
                throw .catalog(error)
            }
        }
        return try generate(products: reservoir, shops: candidates.compactMap { id in shops[id].map { (id, $0) } })
    }

    /// Generates from in-memory candidates: `products` for single items and platform vouchers,
    /// `shops` (id and products, in the order to try them) for shop problems and shop vouchers.
    public func generate(products: [Product], shops: [(String, [Product])]) throws(SuiteGenerationError) -> GeneratedSuite {
        let counts = configuration.categoryCounts
        var categories: [ProblemCategory] = []
        for c in [ProblemCategory.product, .shop, .voucher] { categories += Array(repeating: c, count: counts[c] ?? 0) }
        var rng = RandomStream(seed: configuration.seed, layer: .suite, index: 2)
        rng.shuffle(&categories)

        var problems: [JSONValue] = []
        var groundTruth: [String: Product] = [:]
        var queries = Set<String>()
        var used: [ProblemCategory: Set<String>] = [:]
        var ordinals: [ProblemCategory: Int] = [:]
        for (n, category) in categories.enumerated() {
            var made: (JSONValue, [Product])?
            for attempt in 0..<40 {
                var prng = RandomStream(seed: configuration.seed, layer: .suite, index: UInt64(n) + 100, field: UInt64(attempt))
                let unused = used[category, default: []]
                guard let candidate = makeProblem(category, products: products, shops: shops, used: unused, &prng) else { continue }
                guard let query = candidate.0["query"]?.stringValue, !queries.contains(query) else { continue }
                guard SuiteGenerator.isSolved(candidate.0, by: candidate.1) else { continue }
                made = candidate
                break
            }
            guard let (record, items) = made else {
                throw .notEnoughProducts("could not make \(category.rawValue) problem \(n + 1) of \(categories.count): not enough distinct eligible products or shops with enough products (use a larger catalog)")
            }
            ordinals[category, default: 0] += 1
            let title = "\(category.rawValue) \(ordinals[category]!)"
            let full = record.setting("title", to: .string(title))
            queries.insert(full["query"]!.stringValue!)
            for p in items {
                used[category, default: []].insert(p.productID)
                groundTruth[p.productID] = p
            }
            problems.append(full)
        }
        return GeneratedSuite(problems: problems, products: groundTruth)
    }

    func makeProblem(_ category: ProblemCategory, products: [Product], shops: [(String, [Product])], used: Set<String>,
                     _ rng: inout RandomStream) -> (JSONValue, [Product])? {
        func freshProducts(_ pool: [Product], _ n: Int) -> [Product]? {
            let free = pool.filter { !used.contains($0.productID) }
            guard free.count >= n else { return nil }
            return rng.sample(n, of: free.count).map { free[$0] }
        }
        func shopItems(_ n: Int) -> [Product]? {
            let eligible = shops.filter { $0.1.filter { !used.contains($0.productID) }.count >= n }
            guard !eligible.isEmpty else { return nil }
            return freshProducts(rng.pick(eligible).1, n)
        }
        switch category {
        case .product, .web:
            guard let p = freshProducts(products, 1)?.first else { return nil }
            var reward = RewardSampler.reward(for: p, withPrice: true, &rng)
            for _ in 0..<5 where RewardSampler.constraintCount(reward) == 0 {
                reward = RewardSampler.reward(for: p, withPrice: true, &rng)
            }
            guard RewardSampler.constraintCount(reward) > 0 else { return nil }
            let query = writer.productQuery(p, reward, &rng)
            return (record(query, .product, [reward], voucher: nil, single: true), [p])
        case .shop:
            guard let items = shopItems(rng.int(2...4)) else { return nil }
            let rewards = items.map { RewardSampler.reward(for: $0, withPrice: true, &rng) }
            let query = writer.shopQuery(Array(zip(items, rewards)), &rng)
            return (record(query, .shop, rewards, voucher: nil, single: false), items)
        case .voucher:
            let shopScope = rng.chance(0.5)
            let items: [Product]?
            if shopScope { items = shopItems(rng.int(2...4)) } else { items = freshProducts(products, rng.int(1...4)) }
            guard let items else { return nil }
            guard let voucher = SuiteGenerator.voucher(prices: items.map(\.price), shopScope: shopScope, &rng) else { return nil }
            let rewards = items.map { RewardSampler.reward(for: $0, withPrice: false, &rng) }
            let query = writer.voucherQuery(Array(zip(items, rewards)), voucher: voucher, &rng)
            return (record(query, .voucher, rewards, voucher: voucher, single: false), items)
        }
    }

    func record(_ query: String, _ category: ProblemCategory, _ rewards: [JSONValue], voucher: JSONValue?, single: Bool) -> JSONValue {
        let constraints = rewards.map(RewardSampler.constraintCount).reduce(0, +)
        let perItem = Double(constraints) / Double(max(rewards.count, 1))
        let difficulty = rewards.count >= 3 || perItem > 4 ? "hard" : (rewards.count == 2 || perItem > 2 ? "medium" : "easy")
        var fields: [(String, JSONValue)] = [
            ("query", .string(query)),
            ("reward", single ? rewards[0] : .array(rewards)),
            ("category", .string(category.rawValue)),
            ("difficulty", .string(difficulty)),
            ("title", .string("")),
        ]
        if let voucher { fields.append(("voucher", voucher)) }
        return .object(fields)
    }

    /// The §7 voucher formulas over the ground-truth total T (≥ 100): threshold ∈ U[int(0.1T),
    /// int(0.9T)]; fixed face ∈ U[int(0.1·thr), int(0.5·thr)], pav = T − face; percentage d ∈
    /// U{10..50}%, cap ∈ U[int(thr·d), thr] with cap > thr·d, pav = max(T(1−d), T − cap);
    /// budget = ceil(pav) + U[0, ceil(0.1·pav)].
    static func voucher(prices: [Double], shopScope: Bool, _ rng: inout RandomStream) -> JSONValue? {
        let cents = prices.reduce(0) { $0 + Int(($1 * 100).rounded()) }
        let total = Double(cents) / 100
        guard total >= 100 else { return nil }
        let threshold = rng.int(Int(0.1 * total)...Int(0.9 * total))
        var fields: [(String, JSONValue)] = [("voucher_type", .string(shopScope ? "shop" : "platform")), ("threshold", .int(Int64(threshold)))]
        let pav: Double
        if rng.chance(0.5) {
            let face = rng.int(Int(0.1 * Double(threshold))...max(Int(0.1 * Double(threshold)), Int(0.5 * Double(threshold))))
            pav = Double(cents - face * 100) / 100
            fields += [("discount_type", "fixed"), ("face_value", .int(Int64(face))), ("discount", .null), ("cap", .null)]
        } else {
            let percent = rng.int(10...50)
            let d = Double(percent) / 100
            let low = Int(Double(threshold) * d) + 1  // cap > thr·d
            guard low <= threshold else { return nil }
            let cap = rng.int(low...threshold)
            pav = max(total * (1 - d), total - Double(cap))
            fields += [("discount_type", "percentage"), ("face_value", .null), ("discount", .double(d)), ("cap", .int(Int64(cap)))]
        }
        guard pav > 0 else { return nil }
        let ceilPAV = Int(pav.rounded(.up))
        let budget = ceilPAV + rng.int(0...Int((0.1 * pav).rounded(.up)))
        fields += [("price_after_voucher", .double(pav)), ("budget", .int(Int64(budget)))]
        return .object(fields)
    }

    /// Whether the ground-truth products solve the problem record by the rule scorer: every item's
    /// constraints met, one shop for shop problems and shop vouchers, the budget rule for vouchers,
    /// and the voucher's recoverable total equal to the items' total to the centavo.
    public static func isSolved(_ record: JSONValue, by items: [Product]) -> Bool {
        guard let problem = try? Problem(json: record), problem.rewards.count == items.count else { return false }
        for (reward, product) in zip(problem.rewards, items) {
            guard reward.productID == product.productID, reward.titles == [product.title],
                  RewardMatch(reward: reward, product: product).isComplete else { return false }
        }
        let oneShop = Set(items.map(\.shopID)).count == 1
        if problem.category == .shop, !oneShop { return false }
        if let v = problem.voucher {
            if v.scope == .shop, !oneShop { return false }
            let cents = items.reduce(0) { $0 + Int(($1.price * 100).rounded()) }
            guard Int((v.groundTruthTotal * 100).rounded()) == cents else { return false }
            guard VoucherSplit.passes(v, prices: items.map(\.price), oneShop: oneShop) else { return false }
        }
        return true
    }
}
