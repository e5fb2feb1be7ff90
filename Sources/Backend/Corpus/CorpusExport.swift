import ArenaModel
import Corpus
import Foundation
import Scoring
import Store

/// What `shoparena corpus export` was asked for.
public struct CorpusExportOptions: Sendable {
    public var format: ExportFormat
    /// The directory the data files, `stats.json` and `README.md` go to (created when missing; files replaced).
    public var outDirectory: String
    public var split: SplitSelection = .all
    public var splits = CorpusSplits.Configuration()
    public var filter: ExportFilter = .acceptedAgentic
    public var minJudge: Double?
    /// `product`, `shop` or `voucher`.
    public var category: String?
    public var gzip = false
    public var license = "cc-by-4.0"
    /// The arena named in the dataset card.
    public var source = "ShopArena"
    /// Records per store read.
    public var pageSize = 1_000
    /// Concurrent row-building tasks.
    public var workers = 2

    public init(format: ExportFormat, outDirectory: String) {
        self.format = format
        self.outDirectory = outDirectory
    }

    /// The options that decide the rows (no paths, no tuning), for `stats.json` and the card.
    public var json: JSONValue {
        .object([
            ("filter", .string(filter.rawValue)), ("min_judge", minJudge.map(JSONValue.double) ?? .null),
            ("category", category.map(JSONValue.string) ?? .null), ("split", .string(split.rawValue)),
            ("seed", .int(Int64(bitPattern: splits.seed))), ("eval_fraction", .double(splits.evalFraction)),
            ("gzip", .bool(gzip)), ("license", .string(license)),
        ])
    }
}

/// Exports the trajectory corpus of a store as training data (``ExportFormat``): reads the exportable records in a
/// fixed order, page by page (``TrajectoryRepository/exportPage(_:after:limit:)``), assigns each to its problem's
/// pool (``CorpusSplits``, over every problem of every suite, so hidden race problems and their clusters are `never`
/// and never written), reads its dialogue from the blob store, builds its rows with the pure builders of
/// `Corpus/Export` and streams them to JSON-lines files. The same store and options give the same bytes; memory
/// holds one page (and, for `preference`, one problem's records) at a time.
public struct CorpusExport: Sendable {
    public let database: any SQLDatabase
    public let blobs: any BlobStore
    /// The catalog the `rl` rows take product documents from (nil: the tool results' objects only).
    public let catalog: (any ProductLookup)?

    public init(database: any SQLDatabase, blobs: any BlobStore, catalog: (any ProductLookup)? = nil) {
        self.database = database
        self.blobs = blobs
        self.catalog = catalog
    }

    /// The file names of one export, as (stem, split, name), in card order.
    public static func files(_ options: CorpusExportOptions) -> [(stem: String, split: String, name: String)] {
        options.format.stems.flatMap { stem in
            options.split.pools.map { pool in (stem, pool.rawValue, "\(stem)-\(pool.rawValue).jsonl\(options.gzip ? ".gz" : "")") }
        }
    }

    public func run(_ options: CorpusExportOptions) async throws -> ExportStats {
        let started = ContinuousClock.now
        let repository = TrajectoryRepository(database: database)
        let problemRows = try await repository.exportProblems()
        var metadata: [String: JSONValue] = [:]
        var splitInput: [SplitProblem] = []
        for row in problemRows {
            let record = (try? JSONParser.parse(row.metadataJSON)) ?? .object([])
            metadata["\(row.suiteID)\u{1F}\(row.problemID)"] = record
            splitInput.append(SplitProblem(id: row.problemID, record: record, isHidden: row.isHidden))
        }
        let splits = CorpusSplits(problems: splitInput, configuration: options.splits)
        var stats = ExportStats(format: options.format, options: options.json)
        stats.audit = splits.audit

        do {
            try FileManager.default.createDirectory(atPath: options.outDirectory, withIntermediateDirectories: true)
        } catch {
            throw ExportWriteError.cannotCreate(path: options.outDirectory, reason: error.localizedDescription)
        }
        let files = Self.files(options)
        var writers: [String: ExportFileWriter] = [:]
        for file in files {
            writers["\(file.stem)\u{1F}\(file.split)"] = try ExportFileWriter(
                path: (options.outDirectory as NSString).appendingPathComponent(file.name), gzip: options.gzip)
        }
        let query = ExportQuery(accepted: options.filter.requiresAccepted, verdict: options.filter.requiredVerdict?.rawValue,
                                minJudge: options.minJudge, category: options.category?.lowercased())
        let selected = Set(options.split.pools)
        let runner = ExportJobRunner(blobs: blobs, format: options.format,
                                     catalog: { [catalog] id in catalog?.product(id: id)?.json })
        let pageSize = options.pageSize
        // Pages are read here, jobs are done on up to `window` concurrent tasks, and their results are written here in
        // job order: reading the next page, building rows and writing lines overlap.
        let window = max(2, options.workers * 8)
        try await withThrowingTaskGroup(of: (Int, ExportJobResult).self) { group in
            var submitted = 0
            var written = 0
            var finished: [Int: ExportJobResult] = [:]
            func write(_ result: ExportJobResult) throws {
                for (record, pool) in result.counted { stats.count(record, pool: pool) }
                for (reason, n) in result.skipped { stats.skipped[reason, default: 0] += n }
                stats.missingProducts += result.missingProducts
                for line in result.lines {
                    guard let writer = writers["\(line.stem)\u{1F}\(line.pool.rawValue)"] else { continue }
                    try writer.write(bytes: line.text)
                }
            }
            func collect(until limit: Int) async throws {
                while submitted - written > limit, let (n, result) = try await group.next() {
                    finished[n] = result
                    while let next = finished.removeValue(forKey: written) {
                        try write(next)
                        written += 1
                    }
                }
            }
            func submit(_ job: ExportJob) async throws {
                guard !job.entries.isEmpty else { return }
                let n = submitted
                submitted += 1
                group.addTask { (n, try await runner.run(job)) }
                try await collect(until: window)
            }

            var cursor: ExportCursor?
            var problemGroup: [ExportEntry] = []
            while true {
                let page = try await repository.exportPage(query, after: cursor, limit: pageSize)
                guard let last = page.last else { break }
                cursor = ExportCursor(problemID: last.provenance.problemID, trajectoryID: last.trajectoryID)
                // Pool and problem record of each record; those not written are counted.
                var kept: [ExportEntry] = []
                for record in page {
                    guard let pool = splits.pool(of: record.provenance.problemID),
                        let problem = metadata["\(record.provenance.suiteID)\u{1F}\(record.provenance.problemID)"]
                    else {
                        stats.skipped["unknown_problem", default: 0] += 1
                        continue
                    }
                    if pool == .never {
                        stats.skipped["never_pool", default: 0] += 1
                    } else if !selected.contains(pool) {
                        stats.skipped["other_split", default: 0] += 1
                    } else {
                        kept.append(ExportEntry(record: record, pool: pool, problem: problem))
                    }
                }
                if options.format == .preference {
                    // A problem's records are consecutive; its group may continue on the next page.
                    for entry in kept {
                        if let first = problemGroup.first, first.record.provenance.problemID != entry.record.provenance.problemID {
                            try await submit(ExportJob(entries: problemGroup))
                            problemGroup.removeAll()
                        }
                        problemGroup.append(entry)
                    }
                } else {
                    for start in stride(from: 0, to: kept.count, by: Self.jobSize) {
                        try await submit(ExportJob(entries: Array(kept[start..<min(kept.count, start + Self.jobSize)])))
                    }
                }
            }
            try await submit(ExportJob(entries: problemGroup))
            try await collect(until: 0)
        }

        for file in files {
            let writer = writers["\(file.stem)\u{1F}\(file.split)"]!
            try writer.close()
            stats.rows[file.name] = writer.lines
        }
        let elapsed = ContinuousClock.now - started
        stats.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        try Self.writeText(JSONWriter(style: .python).string(stats.json) + "\n", to: options.outDirectory, name: "stats.json")
        try Self.writeText(DatasetCard.markdown(stats: stats, files: files, license: options.license, source: options.source),
                           to: options.outDirectory, name: "README.md")
        return stats
    }

    /// Records per job: small enough to spread a page over the workers, large enough to amortise a task.
    static let jobSize = 32

    static func writeText(_ text: String, to directory: String, name: String) throws {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ExportWriteError.cannotWrite(path: path, reason: "the file cannot be created")
        }
    }
}
