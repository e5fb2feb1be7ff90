import Foundation
import ArenaModel
import Catalog
@testable import Search

/// Access to the committed fixtures and a shared index over the parity catalog.
enum Fixtures {
    static func url(_ name: String) -> URL {
        if let u = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") { return u }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    /// Lines of a JSONL fixture, parsed.
    static func jsonLines(_ name: String) throws -> [JSONValue] {
        let text = try String(contentsOf: url(name), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-search-\(UUID().uuidString)-\(name)").path
    }

    /// The 3,000-product parity catalog, indexed once per test process.
    static let parityIndex: Result<SearchIndex, any Error> = Result {
        let docs = try CatalogReader.readAll(path: url("parity_catalog.jsonl").path)
        let path = temporaryPath("parity.idx")
        _ = try IndexBuilder.build(documents: docs, into: path)
        let index = try SearchIndex.open(path: path)
        unlink(path)  // the mapping stays valid
        return index
    }

    /// Builds an index over products, opens it and removes the file.
    static func index(_ products: [Product]) throws -> SearchIndex {
        let path = temporaryPath("small.idx")
        defer { unlink(path) }
        _ = try IndexBuilder.build(documents: products.map(CatalogDocument.init(product:)), into: path)
        return try SearchIndex.open(path: path)
    }
}
