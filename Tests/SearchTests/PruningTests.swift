import Foundation
import Testing
import ArenaModel
import Catalog
@testable import Search

/// Dynamic pruning (block-max MaxScore) must return exactly what the exhaustive walk returns.
@Suite("pruned find_product equals the exhaustive walk")
struct PruningTests {
    /// 6,000 generated products (long-tail titles, Zipf shops), indexed once.
    static let catalog: Result<(index: SearchIndex, products: [Product]), any Error> = Result {
        let generator = try CatalogGenerator(configuration: CatalogGeneratorConfiguration(productCount: 6000, seed: 7), cover: [])
        let products = (0..<generator.count).map { generator.product(at: $0) }
        return (try Fixtures.index(products), products)
    }

    /// A fixed LCG so failures reproduce.
    struct LCG {
        var state: UInt64
        mutating func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        mutating func below(_ n: Int) -> Int { next() % max(n, 1) }
    }

    /// Random queries of 1–6 words from titles and descriptions (common and rare words mixed).
    static func queries(_ products: [Product], count: Int, rng: inout LCG) -> [String] {
        (0..<count).map { _ in
            let p = products[rng.below(products.count)]
            let other = products[rng.below(products.count)]
            let words = (p.title + " " + other.title + " " + p.description).split(separator: " ").map(String.init)
            return (0..<(1 + rng.below(6))).map { _ in words[rng.below(words.count)] }.joined(separator: " ")
        }
    }

    static let sorts: [String?] = [nil, "priceasc", "pricedesc", "order"]
    static let services = ["", "COD", "official", "freeShipping,COD", "flashsale,official", "COD,official,freeShipping"]

    static func request(_ q: String, _ products: [Product], rng: inout LCG) -> FindProductRequest {
        var r = FindProductRequest(q: q, page: String(1 + rng.below(5)), sort: sorts[rng.below(sorts.count)])
        switch rng.below(4) {
        case 0: break
        case 1: r.price = "\(rng.below(500))-\(300 + rng.below(3000))"
        case 2: r.price = rng.below(2) == 0 ? "-\(50 + rng.below(400))" : "\(rng.below(2000))-"
        default: r.price = "100-1000"
        }
        if rng.below(3) == 0 { r.service = services[rng.below(services.count)] }
        if rng.below(4) == 0 { r.shopID = products[rng.below(products.count)].shopID }
        return r
    }

    @Test func randomQueriesMatchForEveryCapFilterPageAndSort() async throws {
        let (index, products) = try Self.catalog.get()
        #expect(index.canPrune)
        var rng = LCG(state: 20_261_122)
        var pruned = 0, fellBack = 0, compared = 0, nonEmpty = 0
        for (n, q) in Self.queries(products, count: 400, rng: &rng).enumerated() {
            if n % 20 == 0 { await Task.yield() }  // CPU-bound: let other suites' tasks run meanwhile
            let r = rng.below(3) == 0 ? FindProductRequest(q: q, page: String(1 + rng.below(5)), sort: Self.sorts[rng.below(4)])
                : Self.request(q, products, rng: &rng)
            guard let query = FindProductQuery(r) else { continue }
            for cap in [FindProductLimits.defaultCandidateCap, 1, 7, 50, 64, 300, 2000] {
                let fast = index.keptDocuments(query, candidateCap: cap, pruning: true)
                let slow = index.keptDocuments(query, candidateCap: cap, pruning: false)
                #expect(fast == slow, "q '\(q)' cap \(cap) request \(r)")
                compared += 1
                if !slow.isEmpty { nonEmpty += 1 }
                // Which path answered: the pruned scan, or the exhaustive fallback.
                var filter = CandidateFilter(shopOrdinal: nil, requiredServices: ServiceMask(query.services).rawValue,
                                             low: query.minPrice ?? -.infinity, high: query.maxPrice ?? .infinity)
                if let shop = query.shopID {
                    guard let o = index.shopOrdinal(shop) else { continue }
                    filter.shopOrdinal = o
                }
                if index.prunedSurvivors(query.text, filter: filter, candidateCap: cap) != nil { pruned += 1 } else { fellBack += 1 }
            }
        }
        #expect(compared > 2000)
        #expect(nonEmpty > compared / 2)
        // Both paths must be exercised for the comparison to mean something.
        #expect(pruned > compared / 2)
        #expect(fellBack > 0)
        // The public entry point agrees with the exhaustive walk page by page.
        for q in Self.queries(products, count: 60, rng: &rng) {
            let r = Self.request(q, products, rng: &rng)
            guard let query = FindProductQuery(r) else { continue }
            let kept = index.keptDocuments(query, pruning: false)
            let start = (query.page - 1) * FindProductLimits.pageSize
            let expected = start < kept.count ? kept[start..<min(kept.count, start + 10)].map { index.productID(ofDocument: $0) } : []
            #expect(index.findProduct(r).map(\.productID) == expected)
        }
    }

    @Test func unfilteredTopFiftyEqualsRankOrderWithScores() throws {
        let (index, products) = try Self.catalog.get()
        var rng = LCG(state: 99)
        for q in Self.queries(products, count: 150, rng: &rng) {
            let ranked = index.rank(query: q, limit: FindProductLimits.maxResults).map(\.document)
            let pruned = index.prunedSurvivors(q, filter: CandidateFilter(shopOrdinal: nil, requiredServices: 0, low: -.infinity, high: .infinity),
                                               candidateCap: FindProductLimits.defaultCandidateCap)
            #expect(pruned == ranked, "q '\(q)'")
        }
    }

    /// Few survivors within a small cap: the answer depends on the cap-th hit, which the pruned scan
    /// proves by counting or leaves to the exhaustive walk.
    @Test func smallCapWithFewSurvivors() throws {
        let (index, products) = try Self.catalog.get()
        let shop = Dictionary(grouping: products, by: \.shopID).max { $0.value.count < $1.value.count }!.key
        for cap in [1, 3, 10, 40, 100, 1000, FindProductLimits.defaultCandidateCap] {
            for q in ["set", "original new", "cotton blue set", "premium quality"] {
                let query = try #require(FindProductQuery(FindProductRequest(q: q, shopID: shop, service: "COD")))
                #expect(index.keptDocuments(query, candidateCap: cap) == index.keptDocuments(query, candidateCap: cap, pruning: false),
                        "q '\(q)' cap \(cap)")
            }
        }
    }

    /// Filtered scans collect the documents that might outrank the last survivor and drop those below
    /// the rising threshold now and then; compacting often must not change any answer.
    @Test func frequentCompactionOfCompetitorsKeepsAnswers() throws {
        let (index, products) = try Self.catalog.get()
        var rng = LCG(state: 4242)
        var answered = 0
        for q in Self.queries(products, count: 150, rng: &rng) {
            for cap in [5, 40, 120, 700] {
                let filter = CandidateFilter(shopOrdinal: nil, requiredServices: rng.below(2) == 0 ? 0 : 1 << UInt8(rng.below(4)),
                                             low: Double(rng.below(300)), high: Double(200 + rng.below(3000)))
                let slow = index.exhaustiveSurvivors(q, filter: filter, candidateCap: cap)
                for start in [1, 3, 16] {
                    if let fast = index.prunedSurvivors(q, filter: filter, candidateCap: cap, compactionStart: start) {
                        #expect(fast == slow, "q '\(q)' cap \(cap) compaction \(start)")
                        answered += 1
                    }
                }
            }
        }
        #expect(answered > 300)
    }

    @Test func cursorAdvanceMatchesLinearDecoding() throws {
        let (index, _) = try Self.catalog.get()
        var rng = LCG(state: 5)
        var checked = 0
        try index.normInverse.withUnsafeBufferPointer { cache in
            for text in ["set", "new", "original", "blue", "cotton", "premium"] {
                guard let info = index.term(text) else { continue }
                var all: [(Int, UInt64)] = []
                var linear = try #require(PostingCursor(info: info, weight: 1, queryPosition: 0, documentCount: index.documentCount, normInverse: cache))
                linear.next()
                while linear.doc != PostingCursor.end {
                    all.append((linear.doc, linear.tf))
                    #expect(BM25.termScore(weight: 1, termFrequency: Float(linear.tf), normInverse: cache[Int(index.norms[linear.doc])])
                            <= linear.maxScore)
                    linear.next()
                }
                #expect(all.count == info.docFreq)
                for _ in 0..<30 {
                    var c = try #require(PostingCursor(info: info, weight: 1, queryPosition: 0, documentCount: index.documentCount, normInverse: cache))
                    c.next()
                    var target = 0
                    while true {
                        target += 1 + rng.below(index.documentCount / 20)
                        let bound = c.window(at: target, cache).bound
                        c.advance(to: target)
                        guard let expected = all.first(where: { $0.0 >= target }) else {
                            #expect(c.doc == PostingCursor.end)
                            break
                        }
                        #expect(c.doc == expected.0 && c.tf == expected.1)
                        let s = BM25.termScore(weight: 1, termFrequency: Float(c.tf), normInverse: cache[Int(index.norms[c.doc])])
                        if c.doc == target { #expect(s <= bound) }
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 100)
    }

    @Test func similaritiesOutsideTheBoundsDisablePruning() throws {
        let path = Fixtures.temporaryPath("sim.idx")
        defer { unlink(path) }
        let products = (0..<40).map { Product(productID: String(500 + $0), shopID: "s", title: "lamp \($0 % 3 == 0 ? "desk" : "floor")", price: 10) }
        _ = try IndexBuilder.build(documents: products.map(CatalogDocument.init(product:)), into: path)
        #expect(try SearchIndex.open(path: path).canPrune)
        #expect(try SearchIndex.open(path: path, similarity: BM25(k1: 1.2, b: 0.75)).canPrune)
        let odd = try SearchIndex.open(path: path, similarity: BM25(k1: 0.9, b: 1.5))
        #expect(!odd.canPrune)
        let query = try #require(FindProductQuery(FindProductRequest(q: "desk lamp")))
        #expect(odd.keptDocuments(query) == odd.keptDocuments(query, pruning: false))
        #expect(odd.keptDocuments(query).count == 40)
    }
}
