import ArenaRuntime
import ArgumentParser

/// `shoparena search demo`: generate a catalog and a problem suite, build the search index, serve it over
/// HTTP and show example queries against the live server.
struct SearchDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a demo catalog and suite, build its index, serve search and run example queries.",
        discussion: """
            Everything is written under --dir (default ./demo-data): catalog.jsonl, manifest.jsonl, suite.json, catalog.idx. Existing files are \
            regenerated only when their inputs changed (different --products or --seed). With --serve the server keeps running until Ctrl-C.
            """)

    @Option(help: "Number of products in the demo catalog.") var products: Int = 20_000
    @Option(help: "Random seed (same seed, same catalog).") var seed: UInt64 = 42
    @Option(help: "Problem files whose rewards must be in the catalog (ORO suite JSON or ShoppingBench JSONL).") var cover: [String] = []
    @Option(help: "Folder for the generated files.") var dir: String = "demo-data"
    @Option(help: "Port of the search server (0 picks a free one).") var port: Int = 5631
    @Flag(help: "Keep serving after the examples until Ctrl-C.") var serve = false

    func run() async throws {
        try await SearchDemo(products: products, seed: seed, cover: cover, dir: dir, port: port, serve: serve).run(console: .standard)
    }
}
