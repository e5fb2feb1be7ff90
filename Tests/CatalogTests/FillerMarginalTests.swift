import ArenaModel
import Foundation
import Testing
@testable import Catalog

@Suite("Catalog generator: background filler marginals")
struct FillerMarginalTests {
    static let products: [Product] = {
        let generator = try! CatalogGenerator(configuration: .init(productCount: 20_000, seed: 2024), cover: [])
        return (0..<generator.count).map(generator.product(at:))
    }()

    func quantile(_ sorted: [Double], _ q: Double) -> Double { sorted[min(Int(Double(sorted.count) * q), sorted.count - 1)] }

    func share(_ predicate: (Product) -> Bool) -> Double {
        Double(Self.products.filter(predicate).count) / Double(Self.products.count)
    }

    @Test func pricesFollowTheReferenceQuantiles() {
        let prices = Self.products.map(\.price).sorted()
        #expect((40...90).contains(quantile(prices, 0.10)), "p10 \(quantile(prices, 0.10))")
        #expect((190...320).contains(quantile(prices, 0.50)), "p50 \(quantile(prices, 0.50))")
        #expect((750...1500).contains(quantile(prices, 0.90)), "p90 \(quantile(prices, 0.90))")
        let withCentavos = share { $0.price != $0.price.rounded() }
        #expect(abs(withCentavos - 0.25) < 0.03, "\(withCentavos)")
        #expect(Self.products.allSatisfy { $0.price >= 1 && GeneratorFixture.cents($0.price) == Int($0.price * 100 + 0.5) })
    }

    @Test func soldCountIsHeavyTailed() {
        let sold = Self.products.map { Double($0.soldCount) }.sorted()
        #expect(quantile(sold, 0.5) == 1)
        #expect((7...16).contains(quantile(sold, 0.9)), "p90 \(quantile(sold, 0.9))")
        #expect(sold.last! > 1000)
    }

    @Test func servicesFollowTheReferenceRates() {
        let tokens: Set<String> = ["official", "freeShipping", "COD", "flashsale"]
        #expect(Self.products.allSatisfy { Set($0.service).isSubset(of: tokens) && Set($0.service).count == $0.service.count })
        for (n, expected) in [(0, 0.31), (1, 0.46), (2, 0.19), (3, 0.04)] {
            let observed = share { $0.service.count == n }
            #expect(abs(observed - expected) < 0.03, "\(n) services: \(observed)")
        }
        for (s, expected) in [("COD", 0.30), ("official", 0.25), ("flashsale", 0.21), ("freeShipping", 0.21)] {
            let observed = share { $0.service.contains(s) }
            #expect(abs(observed - expected) < 0.04, "\(s): \(observed)")
        }
    }

    @Test func skuVariantCountsAndDescriptions() {
        #expect(Self.products.allSatisfy { $0.skuOptions.count <= Product.maxVariants })
        #expect(abs(share { $0.skuOptions.isEmpty } - 0.23) < 0.04)
        #expect(abs(share { (1...8).contains($0.skuOptions.count) } - 0.47) < 0.04)
        #expect(abs(share { $0.skuOptions.count == 9 } - 0.30) < 0.04)
        #expect(abs(share { $0.description.isEmpty } - 0.42) < 0.03)
        #expect(abs(share { $0.shortDescription.isEmpty } - 0.63) < 0.03)
        // Variants of one product are distinct.
        #expect(Self.products.allSatisfy { Set($0.skuOptions).count == $0.skuOptions.count })
    }

    @Test func keysAndValuesAreLowerCaseAndRecur() {
        var valueCounts: [String: Int] = [:]
        for p in Self.products {
            for pair in p.skuOptions.flatMap({ $0 }) + p.attributePairs {
                #expect(pair.key == pair.key.lowercased() && pair.value == pair.value.lowercased(), "\(pair)")
                valueCounts[pair.key + "=" + pair.value, default: 0] += 1
            }
        }
        // Long-tail rule: nearly every key/value pair recurs (upstream drops those seen < 20 times).
        let rare = valueCounts.values.filter { $0 < 20 }.count
        #expect(Double(rare) / Double(valueCounts.count) < 0.2, "\(rare) of \(valueCounts.count) pairs are rare")
    }

    @Test func idsAreUniqueNumericAndShopsZipfSized() {
        let ids = Self.products.map(\.productID)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { (9...10).contains($0.count) && $0.allSatisfy(\.isNumber) })
        var shopSizes: [String: Int] = [:]
        for p in Self.products { shopSizes[p.shopID, default: 0] += 1 }
        let ratio = Double(Self.products.count) / Double(shopSizes.count)
        #expect((6...12).contains(ratio), "products per shop \(ratio)")
        #expect(shopSizes.keys.allSatisfy { $0.count <= 7 && $0.allSatisfy(\.isNumber) })
        let sizes = shopSizes.values.sorted(by: >)
        #expect(sizes[0] > 100 && sizes[sizes.count / 2] < 5, "largest \(sizes[0]), median \(sizes[sizes.count / 2])")
        // Categories have 2–6 levels.
        #expect(Self.products.allSatisfy { (2...6).contains($0.category.components(separatedBy: " > ").count) })
    }
}
