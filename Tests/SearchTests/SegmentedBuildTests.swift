import Foundation
import Testing
import ArenaModel
import Catalog
@testable import Search

/// Building from several segments (one per core) must write the very file one builder fed every document
/// in order writes: same terms, postings, skip blocks, columns and stored products, byte for byte.
@Suite("index built from segments")
struct SegmentedBuildTests {
    /// The bytes of the index `products` build into, cut into segments after the given document counts.
    static func fileBytes(_ products: [Product], cuts: [Int], order: IndexDocumentOrder, tokenCacheLimit: Int = 400_000) throws -> [UInt8] {
        let path = Fixtures.temporaryPath("segments-\(cuts.map(String.init).joined(separator: "-"))-\(order.rawValue).idx")
        defer { unlink(path) }
        let bounds = [0] + cuts + [products.count]
        let segments = try (0..<bounds.count - 1).map { k in
            let segment = try IndexSegment(storedPath: IndexBuilder.segmentStoredPath(for: path, segment: k), tokenCacheLimit: tokenCacheLimit)
            for p in products[bounds[k]..<bounds[k + 1]] { try segment.add(CatalogDocument(product: p)) }
            return segment
        }
        let summary = try IndexBuilder.finish(segments: segments, into: path, order: order)
        #expect(summary.documents == products.count)
        for k in segments.indices {
            #expect(!FileManager.default.fileExists(atPath: IndexBuilder.segmentStoredPath(for: path, segment: k)))
        }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static let products: Result<[Product], any Error> = Result { try PruningTests.catalog.get().products }

    @Test(arguments: IndexDocumentOrder.allCases)
    func segmentsWriteTheSameFileAsOneBuilder(order: IndexDocumentOrder) throws {
        let products = try Self.products.get()
        let path = Fixtures.temporaryPath("one-builder-\(order.rawValue).idx")
        defer { unlink(path) }
        _ = try IndexBuilder.build(documents: products.map(CatalogDocument.init(product:)), into: path, order: order)
        let single = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try Self.fileBytes(products, cuts: [], order: order) == single)
        #expect(try Self.fileBytes(products, cuts: [products.count / 2], order: order) == single)
        // Uneven cuts, one segment holding a single document, one holding none.
        #expect(try Self.fileBytes(products, cuts: [1, 1, 2_500, 4_999], order: order) == single)
        _ = try SearchIndex.open(path: path)
    }

    /// The token cache only saves work: with room for 50 tokens (most then analysed every time) or none,
    /// the file is the same.
    @Test func theTokenCacheChangesNothing() throws {
        let products = try Self.products.get()
        let cached = try Self.fileBytes(products, cuts: [3_000], order: .shortestFirst)
        #expect(try Self.fileBytes(products, cuts: [3_000], order: .shortestFirst, tokenCacheLimit: 50) == cached)
        #expect(try Self.fileBytes(products, cuts: [3_000], order: .shortestFirst, tokenCacheLimit: 0) == cached)
    }
}
