import ArenaModel

/// Settings of a ``CatalogGenerator`` run.
public struct CatalogGeneratorConfiguration: Sendable, Hashable {
    /// Products to generate (more when the cover set alone needs more).
    public var productCount: Int
    public var seed: UInt64
    /// Hard negatives per anchor at 10,000 products; the density grows as (N/10k)^`negativeGrowth`
    /// (≈ 3 at 10k, ≈ 40 at 1M, ≈ 67 at 2.5M).
    public var negativesPerAnchorAt10k: Double
    public var negativeGrowth: Double
    /// At most this share of the non-core positions holds negatives.
    public var maximumNegativeShare: Double
    /// One round in `alternateEvery` makes a valid alternate instead of a negative (12.5%).
    public var alternateEvery: Int

    public init(productCount: Int, seed: UInt64, negativesPerAnchorAt10k: Double = 3, negativeGrowth: Double = 0.56,
                maximumNegativeShare: Double = 0.6, alternateEvery: Int = 8) {
        self.productCount = productCount
        self.seed = seed
        self.negativesPerAnchorAt10k = negativesPerAnchorAt10k
        self.negativeGrowth = negativeGrowth
        self.maximumNegativeShare = maximumNegativeShare
        self.alternateEvery = alternateEvery
    }
}

/// What a generation run produced.
public struct GenerationReport: Sendable, Hashable {
    public var products = 0
    public var anchors = 0
    public var negatives = 0
    public var negativesByConstraint: [ViolatedConstraint: Int] = [:]
    public var alternates = 0
    public var decoys = 0
    /// Filler products placed in the dedicated shops of shop problems.
    public var companions = 0
    public var filler = 0
    public var shops = 0
    /// Problems of the cover set and rewards that could not be satisfied, and conflicts.
    public var warnings: [String] = []

    /// A multi-line human summary.
    public var summary: String {
        let kinds = ViolatedConstraint.allCases.map { "\($0.rawValue) \(negativesByConstraint[$0, default: 0])" }.joined(separator: ", ")
        return """
        products \(products): anchors \(anchors), hard negatives \(negatives) (\(kinds)), valid alternates \(alternates), \
        decoys \(decoys), shop companions \(companions), filler \(filler); shops \(shops); warnings \(warnings.count)
        """
    }
}

/// Why a catalog could not be generated.
public enum CatalogGenerationError: Error, Sendable, CustomStringConvertible {
    case invalidConfiguration(String)
    case write(FileAccessError)

    public var description: String {
        switch self {
        case .invalidConfiguration(let m): return m
        case .write(let e): return e.description
        }
    }
}

/// The deterministic "SynthLazada" catalog generator (`reference/shoppingbench.md`, closing section).
///
/// Product *i* is a pure function of (seed, *i*, cover set): positions `0..<coreCount` hold the core
/// (anchors, decoy shops, shop companions, shuffled by the seed); later positions interleave hard
/// negatives (a count that grows with the position, so the density scales with N) and background
/// filler. Hence the first N products of a larger run with the same seed and cover are the same
/// (nested scales), and generation streams in constant memory beyond the core.
public struct CatalogGenerator: Sendable {
    public let configuration: CatalogGeneratorConfiguration
    public let plan: CoverPlan
    let builder: CoverBuilder
    let synthesizer: ProductSynthesizer
    let core: [(product: Product, entry: ManifestEntry?)]
    let coreCounts: (anchors: Int, decoys: Int, companions: Int)
    let productIDs: KeyedPermutation
    let shopIDs: KeyedPermutation
    let zipf: [Double]
    public let warnings: [String]

    /// Filler shops: blocks of 4,096 filler products, each with `shopRanks` Zipf-sized shops (about
    /// one shop per nine products); the three largest ranks are shared by 8 consecutive blocks (shops of a few thousand products).
    static let block = 4096
    static let shopRanks = 560
    static let megaShops: UInt64 = 3
    static let regularShopBase: UInt64 = 1 << 20
    /// Permutation inputs of cover products (filler uses the filler index itself).
    static let coverIDBase: UInt64 = 5_000_000_000
    static let negativeIDBase: UInt64 = 6_000_000_000

    /// Prepares a run: merges the cover problems, prices and builds anchors, decoys and companions.
    public init(configuration: CatalogGeneratorConfiguration, cover: [Problem]) throws(CatalogGenerationError) {
        guard configuration.productCount >= 0 else { throw .invalidConfiguration("--products must not be negative") }
        guard configuration.alternateEvery >= 2 else { throw .invalidConfiguration("alternateEvery must be at least 2") }
        self.configuration = configuration
        let seed = configuration.seed
        let plan = CoverPlan(problems: cover)
        self.plan = plan
        let synthesizer = ProductSynthesizer(taxonomy: .standard)
        self.synthesizer = synthesizer

        let excluded = plan.anchors.compactMap { UInt64($0.productID) }.filter { $0 >= 100_000_000 }.map { $0 - 100_000_000 }
        let productIDs = KeyedPermutation(limit: 9_900_000_000, key: RandomStream.key(seed: seed, layer: .identity, index: 1), excluding: excluded)
        let shopIDs = KeyedPermutation(limit: 9_000_000, key: RandomStream.key(seed: seed, layer: .shop, index: 1))
        self.productIDs = productIDs
        self.shopIDs = shopIDs
        var cdf: [Double] = []
        var acc = 0.0
        for r in 1...CatalogGenerator.shopRanks { acc += 1 / Double(r); cdf.append(acc) }
        let zipf = cdf.map { $0 / acc }
        self.zipf = zipf

        let shopID: @Sendable (UInt64) -> String = { String(1_000_000 + shopIDs.apply($0)) }
        let backgroundShop: @Sendable (UInt64) -> String = { h in
            shopID(CatalogGenerator.regularShopBase + h % UInt64(16 * CatalogGenerator.shopRanks))
        }
        let builder = CoverBuilder(seed: seed, plan: plan, synthesizer: synthesizer, backgroundShop: backgroundShop, shopID: shopID)
        self.builder = builder

        // The core: anchors, decoy shops, companions; then a seeded shuffle.
        var core: [(product: Product, entry: ManifestEntry?)] = []
        for (i, product) in builder.anchors.enumerated() {
            core.append((product, ManifestEntry(productID: product.productID, layer: .anchor, problemIDs: builder.problemIDs(of: i),
                                                rewardProductID: product.productID, violates: nil)))
        }
        func coverID(_ ordinal: Int) -> String { String(100_000_000 + productIDs.apply(CatalogGenerator.coverIDBase + UInt64(ordinal))) }
        var ordinal = 0
        var decoyShopCounter: UInt64 = 0
        var decoys = 0
        for p in plan.shopProblems {
            let problem = plan.problems[p]
            let items = problem.rewards.compactMap { plan.anchorIndex[$0.productID] }
            guard items.count >= 2 else { continue }
            var rng = RandomStream(seed: seed, layer: .decoy, index: RandomStream.hash(problem.query))
            for d in 0..<rng.int(3...6) {
                let shop = shopID(CoverBuilder.decoyShopBase - decoyShopCounter)
                decoyShopCounter += 1
                let odd = items[d % items.count]
                let kinds = builder.violableConstraints(of: odd).filter { $0 != .shop }
                for (k, i) in items.enumerated() {
                    var kind: ViolatedConstraint? = nil
                    if i == odd {
                        if d % 2 == 0 || kinds.isEmpty { continue }  // the missing item
                        kind = kinds[(d / 2) % kinds.count]
                    }
                    let id = coverID(ordinal)
                    ordinal += 1
                    let (product, built) = builder.nearCopy(of: i, kind: kind, round: d * 16 + k, productID: id, layer: .decoy, decoyShop: shop)
                    core.append((product, ManifestEntry(productID: id, layer: .decoy, problemIDs: builder.problemIDs(of: i),
                                                        rewardProductID: plan.anchors[i].productID, violates: built ?? .shop)))
                    decoys += 1
                }
            }
        }
        var companions = 0
        for (g, shop) in builder.groupShopIDs.enumerated() {
            var rng = RandomStream(seed: seed, layer: .companion, index: UInt64(g))
            for _ in 0..<rng.int(3...8) {
                let id = coverID(ordinal)
                ordinal += 1
                var productRNG = RandomStream(seed: seed, layer: .companion, index: UInt64(g), field: UInt64(ordinal))
                core.append((synthesizer.filler(&productRNG, productID: id, shopID: shop, shopLeaf: RandomStream.hash(shop)), nil))
                companions += 1
            }
        }
        var shuffleRNG = RandomStream(seed: seed, layer: .layout, index: 0)
        shuffleRNG.shuffle(&core)
        self.core = core
        self.coreCounts = (builder.anchors.count, decoys, companions)
        self.warnings = builder.warnings
    }

    /// Products in the catalog: the configured count, or the core when that is larger.
    public var count: Int { max(configuration.productCount, core.count) }

    /// Number of products at the front that cover the problems (anchors, decoys, companions).
    public var coreCount: Int { core.count }

    /// How many hard negatives (and alternates) the first `q` non-core positions hold.
    func negativeCount(_ q: Int) -> Int {
        let anchors = builder.negativeAnchors.count
        guard anchors > 0, q > 0 else { return 0 }
        let density = configuration.negativesPerAnchorAt10k * pow(Double(q) / 10_000, configuration.negativeGrowth)
        return Int(min(Double(anchors) * density, configuration.maximumNegativeShare * Double(q)).rounded(.down))
    }

    /// What sits at a position: a core item, the j-th negative, or the f-th filler product.
    enum Slot { case core(Int), negative(Int), filler(Int) }

    func slot(at index: Int) -> Slot {
        if index < core.count { return .core(index) }
        let q = index - core.count
        let before = negativeCount(q)
        if negativeCount(q + 1) > before { return .negative(before) }
        return .filler(q - before)
    }

    /// The product at `index` (0-based), with its manifest entry when it is not filler.
    public func entry(at index: Int) -> (product: Product, manifest: ManifestEntry?) {
        switch slot(at: index) {
        case .core(let i): return (core[i].product, core[i].entry)
        case .negative(let j): return negative(j)
        case .filler(let f): return (filler(f), nil)
        }
    }

    /// The product at `index` (0-based).
    public func product(at index: Int) -> Product { entry(at: index).product }

    /// The j-th negative of the stream: anchor j mod A, round j / A.
    func negative(_ j: Int) -> (Product, ManifestEntry?) {
        let anchors = builder.negativeAnchors
        let i = anchors[j % anchors.count]
        let round = j / anchors.count
        let kinds = builder.violableConstraints(of: i)
        let every = configuration.alternateEvery
        var kind: ViolatedConstraint? = nil
        // One negative in `every` (by a hash of j, so small catalogs get some too) is a valid alternate.
        let alternate = RandomStream.key(seed: configuration.seed, layer: .negative, index: UInt64(j)) % UInt64(every) == 0
        if !alternate, !kinds.isEmpty { kind = kinds[round % kinds.count] }
        let id = String(100_000_000 + productIDs.apply(CatalogGenerator.negativeIDBase + UInt64(j)))
        let (product, built) = builder.nearCopy(of: i, kind: kind, round: round, productID: id, layer: .negative)
        let entry = ManifestEntry(productID: id, layer: built == nil ? .alternate : .negative, problemIDs: builder.problemIDs(of: i),
                                  rewardProductID: plan.anchors[i].productID, violates: built)
        return (product, entry)
    }

    /// The f-th background product.
    func filler(_ f: Int) -> Product {
        var rng = RandomStream(seed: configuration.seed, layer: .filler, index: UInt64(f))
        let shopIndex = fillerShopIndex(f, &rng)
        let shop = String(1_000_000 + shopIDs.apply(shopIndex))
        let id = String(100_000_000 + productIDs.apply(UInt64(f)))
        return synthesizer.filler(&rng, productID: id, shopID: shop, shopLeaf: StableID.mix(shopIndex ^ configuration.seed))
    }

    func fillerShopIndex(_ f: Int, _ rng: inout RandomStream) -> UInt64 {
        let block = UInt64(f / CatalogGenerator.block)
        let u = rng.unit()
        var lo = 0
        var hi = zipf.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if zipf[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        let rank = UInt64(lo)
        if rank < CatalogGenerator.megaShops { return (block / 8) * CatalogGenerator.megaShops + rank }
        return CatalogGenerator.regularShopBase + block * UInt64(CatalogGenerator.shopRanks) + rank
    }

    /// Writes the catalog (and the manifest of non-filler products) in index order. `progress` is
    /// called with (done, total) every 100,000 products and at the end.
    public func generate(into writer: CatalogWriter, manifest: CatalogWriter? = nil,
                         progress: (Int, Int) -> Void = { _, _ in }) throws(CatalogGenerationError) -> GenerationReport {
        var report = GenerationReport()
        report.warnings = warnings
        var shops = Set<String>()
        let total = count
        let encoder = DocumentEncoder()
        var line: [UInt8] = []
        line.reserveCapacity(4096)
        do {
            for index in 0..<total {
                let (product, entry) = self.entry(at: index)
                line.removeAll(keepingCapacity: true)
                encoder.encode(CatalogDocument(product: product), into: &line)
                try writer.writeLine(bytes: line)
                shops.insert(product.shopID)
                if let entry {
                    try manifest?.writeLine(entry.jsonLine)
                    report.count(entry)
                } else if index < core.count {
                    report.companions += 1
                } else {
                    report.filler += 1
                }
                if (index + 1) % 100_000 == 0 { progress(index + 1, total) }
            }
            try writer.close()
            try manifest?.close()
        } catch {
            throw .write(error)
        }
        progress(total, total)
        report.products = total
        report.shops = shops.count
        return report
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
