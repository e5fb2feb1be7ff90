import Foundation
import Testing
import ArenaModel
@testable import Search

/// `SearchIndex.profile` reports the terms and what the pruned scan did.
@Suite("search profile")
struct SearchProfileTests {
    @Test func profileCountsAgreeWithTheIndexAndTheAnswer() throws {
        let (index, products) = try PruningTests.catalog.get()
        var rng = PruningTests.LCG(state: 5)
        for q in PruningTests.queries(products, count: 60, rng: &rng) {
            let request = FindProductRequest(q: q)
            let profile = index.profile(request)
            let query = try #require(FindProductQuery(request))
            #expect(profile.kept == index.keptDocuments(query).count)
            let terms = index.queryTerms(q)
            #expect(profile.terms.map(\.text) == terms.map(\.text))
            #expect(profile.terms.map(\.documentFrequency) == terms.map { $0.info?.docFreq ?? 0 })
            guard let stats = profile.statistics else {
                Issue.record("a valid request has scan statistics")
                continue
            }
            #expect(stats.scans == (profile.terms.contains { $0.documentFrequency > 0 } ? 1 : 0))
            #expect(stats.documentsScored <= stats.documentsVisited)
            #expect(stats.documentsVisited <= profile.terms.map(\.documentFrequency).reduce(0, +))
            #expect(stats.documentsScored >= min(profile.kept, 1))
        }
        #expect(index.profile(FindProductRequest(q: "set", page: "6")).statistics == nil)
    }

    @Test func shortestFirstScoresFewerDocumentsThanCatalogOrder() async throws {
        let (byLength, byCatalog, products) = try DocumentOrderTests.bothOrders.get()
        var rng = PruningTests.LCG(state: 9)
        var scored = (byLength: 0, byCatalog: 0)
        for (n, q) in PruningTests.queries(products, count: 200, rng: &rng).enumerated() {
            if n % 20 == 0 { await Task.yield() }
            scored.byLength += byLength.profile(FindProductRequest(q: q)).statistics?.documentsScored ?? 0
            scored.byCatalog += byCatalog.profile(FindProductRequest(q: q)).statistics?.documentsScored ?? 0
        }
        #expect(scored.byLength < scored.byCatalog, "\(scored)")
    }
}
