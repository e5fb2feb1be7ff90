import ArenaModel
import ArenaRuntime
import ArgumentParser

/// `shoparena bench corpus`: corpus ingest (and export) throughput. Parsing and printing only; the driver is
/// `CorpusBench`.
struct BenchCorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Measure trajectories ingested, normalised and filtered per second (JSON on stdout).")

    @Option(help: "Trajectories to ingest.") var count: Int = 100_000
    @Option(help: "Concurrent analysis tasks (use the number of cores).") var workers: Int = 2
    @Option(help: "Distinct generated trajectories the workload cycles through (every one of --count is parsed and analysed).") var pool: Int = 2_000
    @Option(help: "Trajectories per analysis task and per store transaction.") var chunk: Int = 1_000
    @Option(help: "Store to ingest into: a SQLite file path or a postgres:// URL (default: a temporary SQLite file).") var database: String?
    @Option(help: "Random seed of the generated workload.") var seed: UInt64 = 7
    @Option(name: .customLong("data-dir"),
            help: "Keep the store here (arena.sqlite unless --database, and blobs/) for `shoparena corpus export --data-dir` (default: a temporary folder, removed).")
    var dataDir: String?
    @Flag(inversion: .prefixedNo, help: "Export the stored corpus in every format and report rows per second.") var export = true

    func validate() throws {
        if count <= 0 || workers <= 0 || pool <= 0 || chunk <= 0 { throw ValidationError("--count, --workers, --pool and --chunk must be positive") }
    }

    func run() async throws {
        let bench = CorpusBench(count: count, workers: workers, pool: pool, chunk: chunk, database: database, seed: seed, dataDir: dataDir,
                                export: export)
        printJSON(try await bench.run(), style: .python)
    }
}
