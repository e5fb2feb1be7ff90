import ArenaModel
import Backend
import Corpus
import Foundation
import Scoring
import Store

/// `shoparena bench corpus`: corpus ingest throughput. Each generated trajectory goes the backend's ingest path —
/// gunzip the stored log, parse the envelope with its trusted proxy log, normalise the dialogue to tool-call chat,
/// run the structural filter, features and agentic richness, build the record — and is then upserted into a store
/// in batches. Two measured passes: `analyse` (no store) and `ingest` (analyse + store), both over ``count``
/// trajectories with ``workers`` analysis tasks; the store has one writer. Then, when ``export`` is set, the stored
/// corpus (its dialogues in a blob store, its 30 problems in the problems table, three of them hidden race problems)
/// is exported in every format through `CorpusExport` and the rows per second of each format are reported under
/// `export` (see ``CorpusBench/exportReport(store:blobs:folder:)``).
public struct CorpusBench: Sendable {
    /// Trajectories to ingest.
    public var count = 100_000
    /// Concurrent analysis tasks.
    public var workers = 2
    /// Distinct generated trajectories the workload cycles through.
    public var pool = 2_000
    /// Trajectories per analysis task and per store transaction.
    public var chunk = 1_000
    /// A SQLite file path or a postgres:// URL; nil: a SQLite file in ``dataDir`` or a temporary folder.
    public var database: String?
    /// Random seed of the generated workload.
    public var seed: UInt64 = 7
    /// Where to keep the store (`arena.sqlite` unless ``database``, and `blobs/`); nil: a temporary folder, removed.
    public var dataDir: String?
    /// Whether to export the stored corpus in every format.
    public var export = true

    public init(count: Int = 100_000, workers: Int = 2, pool: Int = 2_000, chunk: Int = 1_000, database: String? = nil,
                seed: UInt64 = 7, dataDir: String? = nil, export: Bool = true) {
        self.count = count
        self.workers = workers
        self.pool = pool
        self.chunk = chunk
        self.database = database
        self.seed = seed
        self.dataDir = dataDir
        self.export = export
    }

    /// Generates the workload, runs the warm-up and the two measured passes, exports, and returns the report.
    public func run() async throws -> JSONValue {
        let clock = ContinuousClock()
        var started = clock.now
        let items = CorpusBenchWorkload.pool(size: pool, seed: seed)
        let generateSeconds = ProcessUsage.seconds(clock.now - started)
        let logBytes = items.reduce(0) { $0 + $1.log.count }

        _ = try await pass(items: items, count: min(count, 5_000), repository: nil)  // warm-up
        started = clock.now
        var cpu = ProcessUsage.cpuSeconds()
        let analysed = try await pass(items: items, count: count, repository: nil)
        let analyseSeconds = ProcessUsage.seconds(clock.now - started)
        let analyseCPU = ProcessUsage.cpuSeconds() - cpu

        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-bench-corpus-\(UUID().uuidString)")
        let folder = dataDir.map { URL(fileURLWithPath: $0) } ?? temporary
        let target = database ?? folder.appendingPathComponent(dataDir == nil ? "corpus.sqlite" : "arena.sqlite").path
        let store: any SQLDatabase
        if target.hasPrefix("postgres://") || target.hasPrefix("postgresql://") {
            store = try PostgresDatabase(url: target)
        } else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            store = try SQLiteDatabase(path: target)
        }
        try await Migrator().migrate(store, now: SystemClock().nowMillis())
        let blobs = try FileBlobStore(root: folder.appendingPathComponent("blobs"))
        var shas: [String] = []
        for item in items { shas.append(try await blobs.put(item.log)) }
        try await CorpusBenchWorkload.storeProblems(in: store)
        let repository = TrajectoryRepository(database: store)
        started = clock.now
        cpu = ProcessUsage.cpuSeconds()
        let stored = try await pass(items: items, count: count, repository: repository, shas: shas)
        let ingestSeconds = ProcessUsage.seconds(clock.now - started)
        let ingestCPU = ProcessUsage.cpuSeconds() - cpu
        let stats = try await repository.stats(publicOnly: false)
        let exports = export ? try await exportReport(store: store, blobs: blobs, folder: folder) : []
        await store.close()
        try? FileManager.default.removeItem(at: temporary)

        #if DEBUG
            let build = "debug"
        #else
            let build = "release"
        #endif
        return .object([
            ("benchmark", "corpus"), ("build", .string(build)), ("trajectories", .int(Int64(count))),
            ("distinct_generated", .int(Int64(items.count))), ("mean_log_bytes", .int(Int64(logBytes / max(1, items.count)))),
            ("workers", .int(Int64(workers))), ("cores", .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
            ("store", .string(target.hasPrefix("postgres") ? "postgresql" : (database == nil ? "sqlite (temporary file)" : "sqlite"))),
            ("generate_seconds", .double(PythonRounding.round(generateSeconds, 3))),
            ("analyse_seconds", .double(PythonRounding.round(analyseSeconds, 3))),
            ("analysed_per_second", .double(PythonRounding.round(Double(analysed) / analyseSeconds, 1))),
            ("ingest_seconds", .double(PythonRounding.round(ingestSeconds, 3))),
            ("trajectories_per_second", .double(PythonRounding.round(Double(stored) / ingestSeconds, 1))),
            // CPU time of this process (user + system): on a shared machine the wall-clock rates above depend on what
            // else runs; the CPU-second rates do not.
            ("analyse_cpu_seconds", .double(PythonRounding.round(analyseCPU, 3))),
            ("analysed_per_cpu_second", .double(PythonRounding.round(Double(analysed) / analyseCPU, 1))),
            ("ingest_cpu_seconds", .double(PythonRounding.round(ingestCPU, 3))),
            ("ingested_per_cpu_second", .double(PythonRounding.round(Double(stored) / ingestCPU, 1))),
            ("load_average_1m", .double(PythonRounding.round(ProcessUsage.loadAverage(), 2))),
            ("stored_records", .int(Int64(stats.total))), ("accepted", .int(Int64(stats.accepted))),
            ("by_verdict", stats.json["by_verdict"] ?? .null), ("by_reject_reason", stats.json["by_reject_reason"] ?? .null),
            ("by_dialect", stats.json["by_dialect"] ?? .null),
            ("export", .object(exports)),
        ])
    }

    /// Exports the stored corpus in every format (store read, dialogue, split, rows, file) into `folder`/export-FORMAT
    /// (removed again unless ``dataDir`` keeps the store) and returns each format's rows, rates and audit verdict.
    func exportReport(store: any SQLDatabase, blobs: FileBlobStore, folder: URL) async throws -> [(String, JSONValue)] {
        var exports: [(String, JSONValue)] = []
        for format in ExportFormat.allCases {
            var options = CorpusExportOptions(format: format, outDirectory: folder.appendingPathComponent("export-\(format.rawValue)").path)
            options.filter = .all
            options.workers = workers
            let cpuBefore = ProcessUsage.cpuSeconds()
            let result = try await CorpusExport(database: store, blobs: blobs).run(options)
            let cpuUsed = ProcessUsage.cpuSeconds() - cpuBefore
            let trajectories = result.trajectories.values.reduce(0, +)
            exports.append((format.rawValue, .object([
                ("rows", .int(Int64(result.totalRows))), ("trajectories", .int(Int64(trajectories))),
                ("seconds", .double(PythonRounding.round(result.seconds, 3))),
                ("rows_per_second", .double(PythonRounding.round(result.rowsPerSecond, 1))),
                ("trajectories_per_second", .double(PythonRounding.round(Double(trajectories) / max(result.seconds, 1e-9), 1))),
                ("rows_per_cpu_second", .double(PythonRounding.round(Double(result.totalRows) / max(cpuUsed, 1e-9), 1))),
                ("skipped", .object(result.skipped.keys.sorted().map { ($0, .int(Int64(result.skipped[$0]!))) })),
                ("audit_clean", .bool(result.audit?.isClean ?? false)),
            ])))
            if dataDir == nil { try? FileManager.default.removeItem(atPath: options.outDirectory) }
        }
        return exports
    }

    /// Analyses `count` trajectories in chunks, ``workers`` at a time, storing each chunk when a repository is given;
    /// returns how many were processed.
    func pass(items: [CorpusBenchWorkload.Item], count: Int, repository: TrajectoryRepository?, shas: [String] = []) async throws -> Int {
        let chunks = (count + chunk - 1) / chunk
        let size = chunk
        let now = SystemClock().nowMillis()
        return try await withThrowingTaskGroup(of: [TrajectoryRecord].self) { group in
            var next = 0
            var done = 0
            while next < min(workers, chunks) {
                let range = (next * size)..<min(count, (next + 1) * size)
                group.addTask { try Self.analyse(range, items: items, now: now, shas: shas) }
                next += 1
            }
            while let records = try await group.next() {
                if let repository { try await repository.store(records, now: now) }
                done += records.count
                if next < chunks {
                    let range = (next * size)..<min(count, (next + 1) * size)
                    group.addTask { try Self.analyse(range, items: items, now: now, shas: shas) }
                    next += 1
                }
            }
            return done
        }
    }

    /// The backend's ingest of one problem, minus the database read: gunzip, parse, analyse, record.
    public static func analyse(_ range: Range<Int>, items: [CorpusBenchWorkload.Item], now: Int64, shas: [String] = []) throws -> [TrajectoryRecord] {
        var records: [TrajectoryRecord] = []
        records.reserveCapacity(range.count)
        for i in range {
            let item = items[i % items.count]
            let plain = try GzipReader.decompress(item.log)
            let envelope = try Envelope(json: try JSONParser.parse(utf8: plain))
            let analysis = CorpusAnalysis.analyse(envelope: envelope, query: item.query,
                                                  catalog: .lookup { !$0.hasPrefix("UNKNOWN-") })
            // Each problem (i mod 30) has successes and failures across runs (i / 30): preference pairs exist.
            let run = "bench-run-\(i / 30)"
            let provenance = TrajectoryProvenance(
                evalRunID: run, agentVersionID: "bench-agent-\(i % 97)", agentName: "agent-\(i % 97)", minerHotkey: "miner-\(i % 97)",
                validatorHotkey: "validator-\(i % 5)", suiteID: 1, suiteVersion: 1, problemID: "problem-\(i % 30)",
                category: ["product", "shop", "voucher"][i % 3], phase: i % 10 == 0 ? "RACE" : "QUALIFYING", raceID: nil,
                isHidden: i % 10 == 0, isIncluded: true)
            records.append(TrajectoryRecord(
                provenance: provenance, analysis: analysis, envelopeStatus: envelope.status?.rawValue ?? "MISSING", success: (i / 30) % 2 == 0,
                outcome: .object([("rule", .double((i / 30) % 2 == 0 ? 1 : 0.5))]),
                judge: JudgeFacts(reasoningScore: 0.8, reasoningCoefficient: 1, kind: "rule", model: nil, explanation: "generated"),
                executionTime: envelope.executionTime, completedAt: now, ingestedAt: now,
                versions: .object([("corpus", .string(CorpusPipeline.version))]), dialogueKey: "bench/\(i)", dialogueSHA256: shas.isEmpty ? nil : shas[i % shas.count]))
        }
        return records
    }
}
