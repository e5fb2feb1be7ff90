import ArenaModel
import Foundation
import Testing
import TestSupport
@testable import Catalog

@Suite("Catalog generator: determinism, anchors, negatives")
struct CatalogGeneratorTests {
    @Test func sameArgumentsGiveByteIdenticalFilesAndSmallerRunsArePrefixes() throws {
        let cover = try GeneratorFixture.oroSuite()
        func run(_ n: Int) throws -> (String, String) {
            let generator = try CatalogGenerator(configuration: .init(productCount: n, seed: 11), cover: cover)
            let path = GeneratorFixture.temporaryPath("cat.jsonl")
            let manifestPath = GeneratorFixture.temporaryPath("manifest.jsonl")
            defer {
                try? FileManager.default.removeItem(atPath: path)
                try? FileManager.default.removeItem(atPath: manifestPath)
            }
            _ = try generator.generate(into: CatalogWriter(path: path), manifest: CatalogWriter(path: manifestPath))
            return (try String(contentsOfFile: path, encoding: .utf8), try String(contentsOfFile: manifestPath, encoding: .utf8))
        }
        let (a, manifestA) = try run(2000)
        let (b, manifestB) = try run(2000)
        #expect(a == b)
        #expect(manifestA == manifestB)
        let linesA = a.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(linesA.count == 2000)

        let (large, manifestLarge) = try run(5000)
        let linesLarge = large.split(separator: "\n").prefix(2000)
        #expect(Array(linesA) == Array(linesLarge))
        // The manifest of the small run is a prefix of the large one's too.
        let mSmall = manifestA.split(separator: "\n")
        #expect(Array(manifestLarge.split(separator: "\n").prefix(mSmall.count)) == mSmall)
        #expect(manifestLarge.split(separator: "\n").count > mSmall.count)

        // Another seed gives another catalog.
        let other = try CatalogGenerator(configuration: .init(productCount: 10, seed: 12), cover: []).product(at: 0)
        let same = try CatalogGenerator(configuration: .init(productCount: 10, seed: 11), cover: []).product(at: 0)
        #expect(other != same)
    }

    @Test func everyAnchorOfTheOROSuiteSatisfiesItsProblem() throws {
        let cover = try GeneratorFixture.oroSuite()
        let generator = try CatalogGenerator(configuration: .init(productCount: 3000, seed: 5), cover: cover)
        #expect(generator.warnings.isEmpty, "\(generator.warnings)")
        try checkCoverage(of: cover, generator: generator)
    }

    @Test func shoppingBenchJSONLCoverWithASharedIDAndAWebDocument() throws {
        let cover = try ProblemSuite(text: GeneratorFixture.shoppingBenchCover, fileName: "cover.jsonl").problems
        #expect(cover.map(\.category) == [.product, .shop, .voucher, .voucher, .web])
        let generator = try CatalogGenerator(configuration: .init(productCount: 500, seed: 9), cover: cover)
        #expect(generator.warnings.isEmpty, "\(generator.warnings)")
        let byID = try checkCoverage(of: cover, generator: generator)
        // The shared id satisfies the union: both SKU pairs in one variant and the tighter price.
        let shared = try #require(byID["900000001"])
        #expect(shared.skuOptions.contains { Set($0) == [.init("size", "12 inch"), .init("color_family", "red")] })
        #expect(shared.price >= 120 && shared.price <= 400)
        // The web reward is used verbatim.
        #expect(byID["4999999999"] == cover[4].rewards[0].fullProduct)
    }

    /// Checks every reward of every problem against the generated catalog; returns products by id.
    @discardableResult
    func checkCoverage(of problems: [Problem], generator: CatalogGenerator) throws -> [String: Product] {
        let (products, manifest) = GeneratorFixture.materialize(generator)
        var byID: [String: Product] = [:]
        for p in products {
            #expect(byID[p.productID] == nil, "duplicate id \(p.productID)")
            byID[p.productID] = p
        }
        for problem in problems {
            var items: [Product] = []
            for reward in problem.rewards {
                let product = try #require(byID[reward.productID], "problem \(problem.id): no product \(reward.productID)")
                items.append(product)
                #expect(product.title == reward.titles.first, "title of \(reward.productID)")
                let match = RewardMatch(reward: reward, product: product)
                #expect(match.isComplete, "problem \(problem.id) product \(reward.productID) misses \(match.missed)")
                #expect(manifest.contains { $0.productID == reward.productID && $0.layer == .anchor && $0.problemIDs.contains(problem.id) })
            }
            if problem.category == .shop || problem.voucher?.scope == .shop {
                #expect(Set(items.map(\.shopID)).count == 1, "problem \(problem.id) items in several shops")
            }
            if let v = problem.voucher {
                let sum = items.reduce(0) { $0 + GeneratorFixture.cents($1.price) }
                #expect(sum == GeneratorFixture.cents(v.groundTruthTotal), "voucher \(problem.id): \(sum) vs \(v.groundTruthTotal)")
                #expect(GeneratorFixture.budgetPasses(v, prices: items.map(\.price), shops: items.map(\.shopID)))
            }
        }
        return byID
    }

    @Test func hardNegativesViolateExactlyTheirConstraintAndAlternatesNone() throws {
        let cover = try GeneratorFixture.oroSuite()
        let generator = try CatalogGenerator(configuration: .init(productCount: 20_000, seed: 3), cover: cover)
        let (products, manifest) = GeneratorFixture.materialize(generator)
        let byID = Dictionary(uniqueKeysWithValues: products.map { ($0.productID, $0) })
        let problemsByID = Dictionary(uniqueKeysWithValues: cover.map { ($0.id, $0) })
        var kinds: [String: Int] = [:]
        for entry in manifest where entry.layer != .anchor {
            kinds[entry.layer.rawValue + "/" + (entry.violates?.rawValue ?? "none"), default: 0] += 1
            let product = try #require(byID[entry.productID])
            let anchor = try #require(byID[entry.rewardProductID])
            #expect(product.title != anchor.title)
            var missedByField: [String: Int] = [:]
            var budgetFails = false
            for id in entry.problemIDs {
                let problem = try #require(problemsByID[id])
                let index = try #require(problem.rewards.firstIndex { $0.productID == entry.rewardProductID })
                let match = RewardMatch(reward: problem.rewards[index], product: product)
                #expect(match.total - match.hits <= 1, "\(entry.productID) misses \(match.missed) for \(id)")
                missedByField["price", default: 0] += match.priceTotal - match.priceHits
                missedByField["service", default: 0] += match.serviceTotal - match.serviceHits
                missedByField["pairs", default: 0] += match.pairTotal - match.pairHits
                if let v = problem.voucher {
                    var items = problem.rewards.map { byID[$0.productID]! }
                    items[index] = product
                    if entry.layer != .decoy, !GeneratorFixture.budgetPasses(v, prices: items.map(\.price), shops: items.map(\.shopID)) {
                        budgetFails = true
                    }
                }
            }
            let sameShop = product.shopID == anchor.shopID
            let needsShop = entry.problemIDs.contains { problemsByID[$0]!.category == .shop || problemsByID[$0]!.voucher?.scope == .shop }
            let missed = missedByField.values.reduce(0, +)
            switch (entry.layer, entry.violates) {
            case (.alternate, nil):
                #expect(missed == 0 && !budgetFails, "alternate \(entry.productID) fails")
                if needsShop { #expect(sameShop) }
            case (_, .sku?), (_, .attribute?):
                #expect(missedByField["pairs"]! >= 1 && missed == missedByField["pairs"]!)
            case (_, .service?):
                #expect(missedByField["service"]! >= 1 && missed == missedByField["service"]!)
            case (_, .price?):
                #expect((missedByField["price"]! >= 1 && missed == missedByField["price"]!) || (missed == 0 && budgetFails),
                        "price negative \(entry.productID) for \(entry.rewardProductID)")
            case (_, .shop?):
                #expect(missed == 0 && !sameShop && needsShop)
            default:
                Issue.record("unexpected manifest entry \(entry)")
            }
            // Negatives and alternates of shop problems stay in the shop unless the shop is the violation.
            if entry.layer == .negative, entry.violates != .shop, needsShop { #expect(sameShop) }
            if entry.layer == .decoy { #expect(!sameShop) }
        }
        // Every kind appears on the ORO suite, and alternates are 5–25% of the negatives.
        for kind in ["negative/price", "negative/service", "negative/sku", "negative/attribute", "negative/shop", "alternate/none", "decoy/shop"] {
            #expect(kinds[kind, default: 0] > 0, "no \(kind) in \(kinds)")
        }
        let negatives = manifest.filter { $0.layer == .negative || $0.layer == .alternate }.count
        let alternates = manifest.filter { $0.layer == .alternate }.count
        #expect(Double(alternates) / Double(negatives) > 0.05 && Double(alternates) / Double(negatives) < 0.25)
    }

    @Test func negativeDensityGrowsWithTheCatalog() throws {
        let cover = try GeneratorFixture.oroSuite()
        let generator = try CatalogGenerator(configuration: .init(productCount: 1_000_000, seed: 1), cover: cover)
        let anchors = generator.builder.negativeAnchors.count
        let at10k = Double(generator.negativeCount(10_000 - generator.coreCount)) / Double(anchors)
        let at1M = Double(generator.negativeCount(1_000_000 - generator.coreCount)) / Double(anchors)
        #expect(at10k > 2 && at10k < 4)
        #expect(at1M > 30 && at1M < 50)
    }
}

@Suite("Catalog generator: parallel encoding")
struct ParallelGenerationTests {
    @Test func parallelOutputEqualsSequentialOutput() async throws {
        let generator = try CatalogGenerator(configuration: .init(productCount: 20_000, seed: 31), cover: GeneratorFixture.oroSuite())
        let paths = (0..<4).map { GeneratorFixture.temporaryPath("p\($0).jsonl") }
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        let sequential = try generator.generate(into: CatalogWriter(path: paths[0]), manifest: CatalogWriter(path: paths[1]))
        let parallel = try await generator.generate(into: CatalogWriter(path: paths[2]), manifest: CatalogWriter(path: paths[3]), parallelism: 3)
        #expect(try Data(contentsOf: URL(fileURLWithPath: paths[0])) == Data(contentsOf: URL(fileURLWithPath: paths[2])))
        #expect(try Data(contentsOf: URL(fileURLWithPath: paths[1])) == Data(contentsOf: URL(fileURLWithPath: paths[3])))
        #expect(sequential == parallel)
        #expect(parallel.products == 20_000 && parallel.anchors == 53 && parallel.negatives > 0 && parallel.filler > 19_000)
    }
}
