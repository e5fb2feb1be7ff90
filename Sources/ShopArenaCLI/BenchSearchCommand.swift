import ArenaModel
import ArenaRuntime
import ArgumentParser
import Search

/// `shoparena bench search`: index build time and size, resident memory, in-process find_product
/// latency over a deterministic query set derived from titles (pruned, and exhaustive for comparison,
/// with a count of queries where the two disagree), and top-10 overlap with Lucene.
struct BenchSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Benchmark the search engine on a catalog and print JSON.")

    @Option(help: "The catalog JSONL file (or give --products to generate one).") var catalog: String?
    @Option(help: "Generate a catalog of this many products with `catalog generate` (kept in a temporary file).") var products: Int?
    @Option(help: "Seed for --products.") var seed: UInt64 = 42
    @Option(help: "Concurrent HTTP clients against the real server on 127.0.0.1 (0 skips the HTTP run).") var httpClients = 8
    @Option(help: "find_product requests sent over HTTP in total.") var httpRequests = 3000
    @Option(help: "Index file to build (default: a temporary file, removed afterwards).") var index: String?
    @Flag(help: "Reuse --index if it exists instead of rebuilding.") var reuseIndex = false
    @Option(help: "Document numbering of the built index: shortest-first or catalog.") var documentOrder: IndexDocumentOrder = .shortestFirst
    @Option(help: "How many queries to derive from titles.") var queries = 300
    @Option(help: "Read the queries from this file (one JSON string per line) instead.") var queryFile: String?
    @Option(help: "Write the derived queries to this file (one JSON string per line) for peer engines.") var writeQueries: String?
    @Option(help: "Timed passes over the query set.") var repeats = 3
    @Option(help: "Concurrent query tasks for the throughput run.") var concurrency = 1
    @Option(help: "Oracle output of `LuceneOracle.java bench` (its top10) to compute top-10 overlap.") var golden: String?
    @Option(help: "find_product candidate cap.") var candidateCap = FindProductLimits.defaultCandidateCap

    func validate() throws {
        if (catalog == nil) == (products == nil) { throw ValidationError("give either --catalog FILE or --products N") }
    }

    func run() async throws {
        let bench = BenchSearch(
            source: catalog.map { .file($0) } ?? .generated(products: products ?? 0, seed: seed), httpClients: httpClients,
            httpRequests: httpRequests, index: index, reuseIndex: reuseIndex, documentOrder: documentOrder, queries: queries,
            queryFile: queryFile, writeQueries: writeQueries, repeats: repeats, concurrency: concurrency, golden: golden,
            candidateCap: candidateCap)
        printJSON(try await bench.run(progress: { printError($0) }), style: .python)
    }
}
