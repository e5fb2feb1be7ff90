import Foundation
import Testing
import ArenaModel
@testable import Search

@Suite("BM25 as Lucene computes it")
struct BM25Tests {
    /// d1 "red shoes" (2 terms), d2 "red red dress" (3), d3 "blue shoes running" (3): N = 3, avgdl = 8/3.
    static let products = [
        Product(productID: "d1", shopID: "s", title: "red shoes", price: 1),
        Product(productID: "d2", shopID: "s", title: "red red dress", price: 1),
        Product(productID: "d3", shopID: "s", title: "blue shoes running", price: 1),
    ]

    @Test func handComputedScores() throws {
        let index = try Fixtures.index(Self.products)
        #expect(index.fieldDocumentCount == 3)
        #expect(index.sumTotalTermFreq == 8)
        // "red": df 2, idf = ln(1 + 1.5/2.5) = ln 1.6 = 0.4700036.
        // d1: length 2, K = 0.9·(0.6 + 0.4·2/(8/3)) = 0.81; score = idf·tf/(tf + K) = idf/1.81 = 0.2596705.
        // d2: length 3, K = 0.9·(0.6 + 0.4·3/(8/3)) = 0.945; tf 2: idf·2/2.945 = 0.3191875.
        let red = index.rank(query: "red", limit: 10)
        #expect(red.map(\.productID) == ["d2", "d1"])
        #expect(abs(Double(red[0].score) - 0.3191875) < 1e-6)
        #expect(abs(Double(red[1].score) - 0.2596705) < 1e-6)
        // "blue shoes" on d3: ln(1 + 2.5/1.5)/1.945 + ln(1.6)/1.945 = 0.5042824 + 0.2416471 = 0.7459295;
        // d1 only matches "shoe": 0.2596705.
        let blue = index.rank(query: "blue shoes", limit: 10)
        #expect(blue.map(\.productID) == ["d3", "d1"])
        #expect(abs(Double(blue[0].score) - 0.7459295) < 1e-6)
        #expect(abs(Double(blue[1].score) - 0.2596705) < 1e-6)
        // A repeated query term counts once, its weight multiplied by the count: 2·idf/1.81 = 0.5193411.
        let twice = index.rank(query: "red RED", limit: 10)
        #expect(abs(Double(twice.first { $0.productID == "d1" }!.score) - 0.5193411) < 1e-6)
        // Stop words only: no hits.
        #expect(index.rank(query: "the and of", limit: 10).isEmpty)
    }

    @Test func floatFormulaMatchesLuceneOperationOrder() {
        let sim = BM25()
        let cache = sim.normCache(averageLength: 8.0 / 3.0)
        let idf = BM25.idf(docFreq: 2, docCount: 3)
        #expect(idf == Float(log(1.6)))
        let s = BM25.termScore(weight: idf, termFrequency: 1, normInverse: cache[2])
        #expect(s == idf - idf / (1 + 1 * (1 / (Float(0.9) * ((1 - Float(0.4)) + Float(0.4) * 2 / Float(8.0 / 3.0))))))
    }

    @Test func tiesAreBrokenByIDString() throws {
        let ids = ["9", "10", "100", "2", "11"]
        let index = try Fixtures.index(ids.map { Product(productID: $0, shopID: "s", title: "same words", price: 1) })
        #expect(index.rank(query: "same", limit: 10).map(\.productID) == ["10", "100", "11", "2", "9"])
    }
}

@Suite("Ranking parity with Lucene 8.7 (oracle goldens)")
struct ParityTests {
    @Test func top100IDsAndScoresMatchTheOracle() throws {
        let index = try Fixtures.parityIndex.get()
        #expect(index.documentCount == 3000)
        let goldens = try Fixtures.jsonLines("parity_golden.jsonl")
        #expect(goldens.count >= 200)
        var failures: [String] = []
        var compared = 0
        for g in goldens {
            let q = g["q"]?.stringValue ?? ""
            let expected = (g["hits"]?.arrayValue ?? []).map { hit -> (String, UInt32) in
                let a = hit.arrayValue ?? []
                return (a[0].stringValue ?? "", UInt32(truncatingIfNeeded: a[1].intValue ?? 0))
            }
            let got = index.rank(query: q, limit: 100)
            compared += expected.count
            if got.map(\.productID) != expected.map(\.0) {
                failures.append("'\(q)': ids differ (first: \(got.prefix(3).map(\.productID)) vs \(expected.prefix(3).map(\.0)))")
            } else if got.map(\.score.bitPattern) != expected.map(\.1) {
                let i = got.indices.first { got[$0].score.bitPattern != expected[$0].1 }!
                failures.append("'\(q)': score #\(i) \(got[i].score) vs \(Float(bitPattern: expected[i].1))")
            }
        }
        #expect(compared > 10_000)
        if !failures.isEmpty {
            Issue.record("\(failures.count) queries differ:\n\(failures.prefix(10).joined(separator: "\n"))")
        }
    }
}
