import Foundation
import Testing
import ArenaModel
import Catalog
@testable import Search

/// Renumbering documents (shortest first) must change nothing a caller can see.
@Suite("document order of the index")
struct DocumentOrderTests {
    static func build(_ products: [Product], order: IndexDocumentOrder) throws -> SearchIndex {
        let path = Fixtures.temporaryPath("order-\(order.rawValue).idx")
        defer { unlink(path) }
        _ = try IndexBuilder.build(documents: products.map(CatalogDocument.init(product:)), into: path, order: order)
        return try SearchIndex.open(path: path)
    }

    /// The pruning fixture's products indexed in both orders (the fixture's own index is shortest first),
    /// built once: these suites are CPU-bound and share two cooperative threads with every other suite.
    static let bothOrders: Result<(byLength: SearchIndex, byCatalog: SearchIndex, products: [Product]), any Error> = Result {
        let (byLength, products) = try PruningTests.catalog.get()
        return (byLength, try build(products, order: .catalog), products)
    }

    @Test func shortestFirstNumbersDocumentsByLengthThenCatalogOrder() throws {
        let (index, catalogOrder, products) = try Self.bothOrders.get()
        let norms = Array(UnsafeBufferPointer(start: index.norms, count: index.documentCount))
        #expect(norms == norms.sorted())
        #expect(norms.first! < norms.last!, "the fixture must have titles of different lengths")
        // Within one length, catalog order is kept.
        let position = Dictionary(uniqueKeysWithValues: products.enumerated().map { ($0.element.productID, $0.offset) })
        for d in 1..<index.documentCount where norms[d] == norms[d - 1] {
            #expect(position[index.productID(ofDocument: d - 1)]! < position[index.productID(ofDocument: d)]!)
        }
        #expect((0..<catalogOrder.documentCount).allSatisfy { catalogOrder.productID(ofDocument: $0) == products[$0].productID })
    }

    @Test func bothOrdersAnswerEveryRequestIdentically() async throws {
        let (byLength, byCatalog, products) = try Self.bothOrders.get()
        var rng = PruningTests.LCG(state: 11_22)
        var nonEmpty = 0
        for (n, q) in PruningTests.queries(products, count: 300, rng: &rng).enumerated() {
            if n % 20 == 0 { await Task.yield() }  // let other suites' tasks run meanwhile
            let request = PruningTests.request(q, products, rng: &rng)
            for cap in [50, 1_000, FindProductLimits.defaultCandidateCap] {
                let a = byLength.findProduct(request, candidateCap: cap)
                let b = byCatalog.findProduct(request, candidateCap: cap)
                #expect(a == b, "\(request)")
                if !a.isEmpty { nonEmpty += 1 }
            }
            let ranked = byLength.rank(query: q, limit: 200).map { [$0.productID: $0.score] }
            #expect(ranked == byCatalog.rank(query: q, limit: 200).map { [$0.productID: $0.score] })
        }
        #expect(nonEmpty > 300)
        for p in products.prefix(500) {
            #expect(byLength.product(id: p.productID) == p)
        }
    }

    @Test func renumberedPostingsDecodeToTheSameDocumentsAndFrequencies() {
        // Documents 0...4; shortest first is 3, 1, then 0 and 4 (equal norms: catalog order), then 2.
        let permutation = DocumentPermutation(order: .shortestFirst, norms: [5, 2, 12, 1, 5])
        #expect(permutation.oldOf == [3, 1, 0, 4, 2])
        #expect(permutation.newOf == [2, 1, 4, 0, 3])
        // Old postings: doc 0 tf 1, doc 2 tf 3, doc 3 tf 1, doc 4 tf 200, as two segments (docs 0–2, 3–4).
        func encoded(_ postings: [(Int, UInt64)]) -> [UInt8] {
            var bytes: [UInt8] = []
            var last = -1
            for (doc, tf) in postings {
                bytes.appendPosting(delta: UInt64(doc - last), tf: tf)
                last = doc
            }
            return bytes
        }
        let first = encoded([(0, 1), (2, 3)]), second = encoded([(0, 1), (1, 200)])
        var merged = MergedPostings()
        var scratch: [UInt64] = []
        SegmentMerge.merge([.init(bytes: first, range: 0..<first.count, base: 0),
                            .init(bytes: second, range: 0..<second.count, base: 3)],
                           newOf: permutation.newOf, norms: [1, 2, 5, 5, 12], entries: &scratch, into: &merged)
        var reader = PostingsReader(merged.bytes)
        var decoded: [(Int, UInt64)] = []
        while let posting = reader.next() { decoded.append(posting) }
        // New numbers: old 3 → 0, old 0 → 2, old 4 → 3, old 2 → 4.
        #expect(decoded.map(\.0) == [0, 2, 3, 4])
        #expect(decoded.map(\.1) == [1, 1, 200, 3])
        #expect(merged.lengths == [merged.bytes.count])
        // One partial skip block: last document 4, ends at the end, max tf 200, smallest norm 1 (document 0).
        #expect(merged.blocks == [4, 0, 0, 0, UInt8(merged.bytes.count), 0, 0, 0, 200, 0, 0, 0, 1, 0, 0, 0])
    }
}
