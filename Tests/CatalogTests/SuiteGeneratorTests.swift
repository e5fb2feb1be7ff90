import ArenaModel
import Foundation
import Testing
@testable import Catalog

@Suite("Suite generator")
struct SuiteGeneratorTests {
    @Test func generatedSuiteLoadsHasTheMixAndIsSolvedByItsGroundTruth() throws {
        let cover = try GeneratorFixture.oroSuite()
        let generator = try CatalogGenerator(configuration: .init(productCount: 8_000, seed: 21), cover: cover)
        let catalogPath = GeneratorFixture.temporaryPath("cat.jsonl")
        let manifestPath = GeneratorFixture.temporaryPath("manifest.jsonl")
        defer {
            try? FileManager.default.removeItem(atPath: catalogPath)
            try? FileManager.default.removeItem(atPath: manifestPath)
        }
        _ = try generator.generate(into: CatalogWriter(path: catalogPath), manifest: CatalogWriter(path: manifestPath))
        let excluded = Set(try ManifestEntry.readAll(path: manifestPath).map(\.productID))
        #expect(excluded.count > 100)

        let suiteGenerator = SuiteGenerator(configuration: .init(count: 45, seed: 8))
        let suite = try suiteGenerator.generate(catalogPath: catalogPath, excluding: excluded)
        let loaded = try ProblemSuite(text: suite.jsonText, fileName: "generated.json")
        #expect(loaded.problems.count == 45)
        #expect(loaded.problems.filter { $0.category == .product }.count == 15)
        #expect(loaded.problems.filter { $0.category == .shop }.count == 15)
        #expect(loaded.problems.filter { $0.category == .voucher }.count == 15)
        #expect(Set(loaded.problems.map(\.query)).count == 45)

        let catalog = Dictionary(uniqueKeysWithValues: try CatalogReader.readAll(path: catalogPath).map { ($0.id, $0.product) })
        var voucherScopes = Set<Voucher.Scope>()
        for problem in loaded.problems {
            var items: [Product] = []
            for reward in problem.rewards {
                let product = try #require(catalog[reward.productID])
                #expect(!excluded.contains(reward.productID), "anchor or negative used: \(reward.productID)")
                #expect(reward.titles == [product.title])
                #expect(RewardMatch(reward: reward, product: product).isComplete, "\(problem.query)")
                for price in reward.price { #expect(price.mode != .lessThan) }
                items.append(product)
            }
            switch problem.category {
            case .product: #expect(problem.rewards.count == 1 && problem.rewards[0].nonTitleConstraintCount > 0)
            case .shop:
                #expect((2...4).contains(items.count))
                #expect(Set(items.map(\.shopID)).count == 1)
            case .voucher:
                let v = try #require(problem.voucher)
                voucherScopes.insert(v.scope)
                #expect(problem.rewards.allSatisfy { $0.price.isEmpty })
                let total = items.reduce(0) { $0 + GeneratorFixture.cents($1.price) }
                #expect(total >= 10_000)
                #expect(GeneratorFixture.cents(v.groundTruthTotal) == total)
                #expect(v.threshold >= Double(Int(0.1 * Double(total) / 100)) && v.threshold <= Double(total) / 100 * 0.9)
                #expect(v.budget >= v.priceAfterVoucher.rounded(.up))
                #expect(GeneratorFixture.budgetPasses(v, prices: items.map(\.price), shops: items.map(\.shopID)))
                if v.scope == .shop { #expect(Set(items.map(\.shopID)).count == 1) }
                #expect(problem.query.contains("\n\nMy budget is only `\(Int(v.budget))`, but I have a voucher with the following rules:\n1. "))
            case .web: Issue.record("no web problems are generated")
            }
        }
        #expect(voucherScopes == [.platform, .shop])

        // Same seed, same suite; the service sentences use the LazMall/LazFlash names.
        let again = try suiteGenerator.generate(catalogPath: catalogPath, excluding: excluded)
        #expect(again.jsonText == suite.jsonText)
        let text = loaded.problems.map(\.query).joined(separator: " ")
        #expect(text.contains("LazMall") || text.contains("LazFlash"))
    }

    @Test func tooSmallACatalogIsAClearError() throws {
        let generator = SuiteGenerator(configuration: .init(count: 20, seed: 1))
        let products = (0..<3).map { Product(productID: "\($0)", shopID: "1", title: "Widget \($0)", price: 150, service: ["COD"]) }
        #expect(throws: SuiteGenerationError.self) { try generator.generate(products: products, shops: [("1", products)]) }
    }
}
