import ArenaModel
import Catalog
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Search
import SearchService
import ServiceLifecycle
import UnixSignals

/// Why the search demo stopped.
public enum SearchDemoError: Error, CustomStringConvertible {
    case indexUnopenable(reason: String, directory: String)
    case badAnswer(url: String, status: Int)

    public var description: String {
        switch self {
        case .indexUnopenable(let reason, let directory): "\(reason) (delete \(directory)/ to rebuild)"
        case .badAnswer(let url, let status): "GET \(url) answered HTTP \(status)"
        }
    }
}

/// `shoparena search demo`: generate a catalog and a problem suite, build the search index, serve it over HTTP and
/// show example queries against the live server. Files go under `dir` and are regenerated only when their inputs
/// changed.
public struct SearchDemo: Sendable {
    public var products = 20_000
    public var seed: UInt64 = 42
    /// Problem files whose rewards must be in the catalog.
    public var cover: [String] = []
    public var dir = "demo-data"
    /// Port of the search server (0 picks a free one).
    public var port = 5631
    /// Keep serving after the examples until Ctrl-C.
    public var serve = false

    public init(products: Int = 20_000, seed: UInt64 = 42, cover: [String] = [], dir: String = "demo-data",
                port: Int = 5631, serve: Bool = false) {
        self.products = products
        self.seed = seed
        self.cover = cover
        self.dir = dir
        self.port = port
        self.serve = serve
    }

    /// Prepares the files (or reuses them), serves the index and shows the examples.
    public func run(console: Console) async throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let catalogPath = "\(dir)/catalog.jsonl"
        let manifestPath = "\(dir)/manifest.jsonl"
        let indexPath = "\(dir)/catalog.idx"
        let suitePath = "\(dir)/suite.json"
        let stampPath = "\(dir)/inputs.txt"
        let stamp = "products=\(products) seed=\(seed) cover=\(cover.joined(separator: ","))\n"
        let upToDate = (try? String(contentsOfFile: stampPath, encoding: .utf8)) == stamp
            && [catalogPath, indexPath, suitePath].allSatisfy { FileManager.default.fileExists(atPath: $0) }

        if upToDate {
            console.note("==> reusing \(dir)/ (same products, seed and cover)")
        } else {
            try? FileManager.default.removeItem(atPath: stampPath)
            try await generateCatalog(catalogPath: catalogPath, manifestPath: manifestPath, console: console)
            try indexCatalog(catalogPath: catalogPath, indexPath: indexPath, console: console)
            try generateSuite(catalogPath: catalogPath, manifestPath: manifestPath, suitePath: suitePath, console: console)
            try stamp.write(toFile: stampPath, atomically: true, encoding: .utf8)
        }

        let index = try openIndex(indexPath)
        let suite = try ScoreIO.suite(suitePath)
        try await serveAndShowExamples(index: index, suite: suite, console: console)
    }


    func generateCatalog(catalogPath: String, manifestPath: String, console: Console) async throws {
        console.note("==> generating a \(products)-product catalog (seed \(seed)) -> \(catalogPath)")
        let problems = try ScoreIO.problems(cover)
        let generator = try CatalogGenerator(
            configuration: CatalogGeneratorConfiguration(productCount: products, seed: seed), cover: problems)
        for warning in generator.warnings { console.note("warning: \(warning)") }
        let writer = try CatalogWriter(path: catalogPath)
        let manifest = try CatalogWriter(path: manifestPath)
        let report = try await generator.generate(into: writer, manifest: manifest, parallelism: 2) { done, total in
            if done == total || done % 100_000 == 0 { console.note("    \(done)/\(total) products") }
        }
        console.note("    \(report.summary)")
    }

    func indexCatalog(catalogPath: String, indexPath: String, console: Console) throws {
        console.note("==> building the search index -> \(indexPath)")
        let summary = try IndexBuilding.build(catalog: catalogPath, out: indexPath, progress: nil)
        console.note("    \(summary.documents) documents, \(summary.terms) terms, \(summary.bytes) bytes")
    }

    func generateSuite(catalogPath: String, manifestPath: String, suitePath: String, console: Console) throws {
        console.note("==> generating a 9-problem suite from non-anchor products -> \(suitePath)")
        let anchors = Set(try ManifestEntry.readAll(path: manifestPath).map(\.productID))
        let suite = try SuiteGenerator(configuration: SuiteGeneratorConfiguration(count: 9, seed: seed))
            .generate(catalogPath: catalogPath, excluding: anchors)
        try suite.jsonText.write(toFile: suitePath, atomically: true, encoding: .utf8)
    }

    func openIndex(_ path: String) throws -> SearchIndex {
        do {
            return try SearchIndex.open(path: path)
        } catch {
            throw SearchDemoError.indexUnopenable(reason: "\(error)", directory: dir)
        }
    }

    func serveAndShowExamples(index: SearchIndex, suite: ProblemSuite, console: Console) async throws {
        let keepServing = serve
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = SearchServer.makeApplication(engine: index, port: port) { bound in
            portContinuation.yield(bound)
            portContinuation.finish()
        }
        // A service group so the examples can end the server with a graceful shutdown, as Ctrl-C does.
        let services = ServiceGroup(configuration: .init(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = portStream.makeAsyncIterator()
            guard let bound = await iterator.next() else { return }
            let base = "http://127.0.0.1:\(bound)"
            console.note("==> search server listening on \(base) (\(index.documentCount) products)")
            try await DemoExamples(base: base, suite: suite, console: console).run()
            if keepServing {
                console.note("==> serving until Ctrl-C; try: curl '\(base)/find_product?q=wheel&page=1'")
                try await group.next()
            } else {
                console.result("""

                    Run the server yourself with:
                      shoparena search serve --index \(dir)/catalog.idx --port 5631
                    or keep this one running: shoparena search demo --serve
                    """)
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}

/// The example requests the demo sends to the live server, each printed with its answer.
struct DemoExamples {
    let base: String
    let suite: ProblemSuite
    let console: Console

    func run() async throws {
        for category in [ProblemCategory.product, .shop, .voucher] {
            guard let problem = suite.problems.first(where: { $0.category == category }) else { continue }
            console.result("\n# A \(category.rawValue) problem from the generated suite")
            console.result("  query: \(problem.query.replacingOccurrences(of: "\n", with: "\n         "))")
            let item = problem.rewards[0]
            let words = (item.titles.first ?? problem.query).split(separator: " ").prefix(4).joined(separator: " ")
            var params = "q=\(encode(words))&page=1"
            if category == .shop { params += "&sort=order" }
            if let price = item.price.first {
                params += "&price=\(price.lower.map { String(Int($0)) } ?? "")-\(price.upper.map { String(Int($0)) } ?? "")"
            }
            let found = try await get("/find_product?\(params)")
            let ids = found.arrayValue?.prefix(3).compactMap { $0["product_id"]?.stringValue } ?? []
            if !ids.isEmpty {
                _ = try await get("/view_product_information?product_ids=\(ids.joined(separator: ","))")
            }
            console.result("  ground truth: \(problem.rewards.map(\.productID).joined(separator: ","))"
                + (ids.contains(item.productID) ? " (in the first results)" : ""))
        }
    }

    /// GETs `path`, prints the curl command and a trimmed answer, and returns the parsed JSON.
    @discardableResult
    func get(_ path: String) async throws -> JSONValue {
        let url = base + path
        console.result("\n$ curl '\(url)'")
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw SearchDemoError.badAnswer(url: url, status: status) }
        let value = try JSONParser.parse(utf8: data)
        if let items = value.arrayValue {
            for item in items.prefix(3) { console.result("  " + abbreviate(JSONWriter(style: .python).string(item))) }
            if items.count > 3 { console.result("  … \(items.count - 3) more") }
            if items.isEmpty { console.result("  []") }
        }
        return value
    }

    func abbreviate(_ text: String) -> String {
        text.count > 220 ? String(text.prefix(217)) + "..." : text
    }

    func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
