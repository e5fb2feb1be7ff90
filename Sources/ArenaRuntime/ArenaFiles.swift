import ArenaModel
import Catalog
import Foundation
import Search

/// The generated inputs of a local arena: a catalog, its search index and a problem suite drawn from
/// non-anchor products. Regenerated only when the inputs (products, problems, seed) change.
public struct ArenaFiles: Sendable {
    public let directory: URL
    public var catalog: URL { directory.appendingPathComponent("catalog.jsonl") }
    public var manifest: URL { directory.appendingPathComponent("manifest.jsonl") }
    public var index: URL { directory.appendingPathComponent("catalog.idx") }
    public var suite: URL { directory.appendingPathComponent("suite.json") }
    private var stamp: URL { directory.appendingPathComponent("inputs.txt") }

    public init(directory: URL) { self.directory = directory }

    /// Makes sure the files exist for `products` products and `problems` problems with `seed`.
    public func prepare(products: Int, problems: Int, seed: UInt64, log: @Sendable (String) -> Void) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let inputs = "products=\(products) problems=\(problems) seed=\(seed)\n"
        let upToDate = (try? String(contentsOf: stamp, encoding: .utf8)) == inputs
            && [catalog, index, suite].allSatisfy { FileManager.default.fileExists(atPath: $0.path) }
        if upToDate {
            log("reusing \(directory.path) (same products, problems and seed)")
            return
        }
        try? FileManager.default.removeItem(at: stamp)
        log("generating a \(products)-product catalog (seed \(seed))")
        let generator = try CatalogGenerator(configuration: CatalogGeneratorConfiguration(productCount: products, seed: seed), cover: [])
        let writer = try CatalogWriter(path: catalog.path)
        let manifestWriter = try CatalogWriter(path: manifest.path)
        _ = try await generator.generate(into: writer, manifest: manifestWriter, parallelism: 2) { _, _ in }
        log("building the search index")
        var reader = try CatalogReader(path: catalog.path)
        var builder = try IndexBuilder(path: index.path, progressEvery: 1_000_000) { _ in }
        while let document = try reader.next() { try builder.add(document) }
        _ = try builder.finish()
        log("generating a \(problems)-problem suite")
        let anchors = Set(try ManifestEntry.readAll(path: manifest.path).map(\.productID))
        let generated = try SuiteGenerator(configuration: SuiteGeneratorConfiguration(count: problems, seed: seed))
            .generate(catalogPath: catalog.path, excluding: anchors)
        try generated.jsonText.write(to: suite, atomically: true, encoding: .utf8)
        try inputs.write(to: stamp, atomically: true, encoding: .utf8)
    }
}
