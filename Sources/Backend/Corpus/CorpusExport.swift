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
        func write(_ stem: String, _ pool: SplitPool, _ row: JSONValue) throws {
            guard let writer = writers["\(stem)\u{1F}\(pool.rawValue)"] else { return }
            try writer.write(JSONWriter().string(row))
        }

        let query = ExportQuery(accepted: options.filter.requiresAccepted, verdict: options.filter.requiredVerdict?.rawValue,
                                minJudge: options.minJudge, category: options.category?.lowercased())
        let selected = Set(options.split.pools)
        let lookup: @Sendable (String) -> JSONValue? = { [catalog] id in catalog?.product(id: id)?.json }
        var cursor: ExportCursor?
        var group: [(TrajectoryRecord, SplitPool, JSONValue)] = []

        while true {
            let page = try await repository.exportPage(query, after: cursor, limit: options.pageSize)
            guard let last = page.last else { break }
            cursor = ExportCursor(problemID: last.provenance.problemID, trajectoryID: last.trajectoryID)
            // Pool and problem record of each record; those not written are counted.
            var kept: [(TrajectoryRecord, SplitPool, JSONValue)] = []
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
                    kept.append((record, pool, problem))
                }
            }
            if options.format == .preference {
                for entry in kept {
                    if let first = group.first, first.0.provenance.problemID != entry.0.provenance.problemID {
                        try await flushPreference(group, stats: &stats, write: write)
                        group.removeAll()
                    }
                    group.append(entry)
                }
                continue
            }
            // Blobs are read in order; decoding the dialogues, building the rows and writing their JSON text (the
            // bulk of the work) run on `workers` tasks; the lines are then written in order, so the bytes never
            // depend on the number of workers.
            let sources = try await dialogueBytes(kept, stats: &stats)
            let built = await build(sources, format: options.format, workers: options.workers, catalog: lookup)
            for entry in built {
                guard let item = entry.item else {
                    stats.skipped["no_dialogue", default: 0] += 1
                    continue
                }
                stats.count(item.record, pool: item.pool)
                stats.missingProducts += entry.missing
                for (stem, line) in entry.lines {
                    guard let writer = writers["\(stem)\u{1F}\(item.pool.rawValue)"] else { continue }
                    try writer.write(line)
                }
            }
        }
        if !group.isEmpty { try await flushPreference(group, stats: &stats, write: write) }

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

    /// The items of `entries` whose dialogue reads; the others are counted as `no_dialogue`.
    func load(_ entries: [(TrajectoryRecord, SplitPool, JSONValue)], stats: inout ExportStats) async throws -> [ExportItem] {
        var items: [ExportItem] = []
        for source in try await dialogueBytes(entries, stats: &stats) {
            guard let item = Self.item(from: source) else {
                stats.skipped["no_dialogue", default: 0] += 1
                continue
            }
            items.append(item)
        }
        return items
    }

    /// The export item of a source: its dialogue decoded to chat; nil when the dialogue does not read.
    static func item(from source: DialogueSource) -> ExportItem? {
        let query = source.problem["query"]?.stringValue ?? ""
        guard let chat = ExportDialogue.chat(from: source.bytes, query: query) else { return nil }
        return ExportItem(record: source.record, chat: chat, problem: source.problem, pool: source.pool)
    }

    /// A record to export with its problem and its stored dialogue bytes.
    struct DialogueSource: Sendable {
        var record: TrajectoryRecord
        var pool: SplitPool
        var problem: JSONValue
        var bytes: [UInt8]
    }

    /// One built record: its item (nil when the dialogue does not read), its lines as (stem, JSON text) and its
    /// missing product count.
    struct BuiltRows: Sendable {
        var item: ExportItem?
        var lines: [(String, String)]
        var missing: Int
    }

    /// The stored dialogue bytes of `entries`, in order; entries without a stored dialogue are counted as `no_dialogue`.
    func dialogueBytes(_ entries: [(TrajectoryRecord, SplitPool, JSONValue)], stats: inout ExportStats) async throws
        -> [DialogueSource]
    {
        var sources: [DialogueSource] = []
        sources.reserveCapacity(entries.count)
        for (record, pool, problem) in entries {
            guard let sha = record.dialogueSHA256, let bytes = try await blobs.get(sha) else {
                stats.skipped["no_dialogue", default: 0] += 1
                continue
            }
            sources.append(DialogueSource(record: record, pool: pool, problem: problem, bytes: bytes))
        }
        return sources
    }

    /// Decodes each source's dialogue and builds its rows as JSON text, `workers` chunks at a time, in source order.
    func build(_ sources: [DialogueSource], format: ExportFormat, workers: Int,
               catalog: @escaping @Sendable (String) -> JSONValue?) async -> [BuiltRows] {
        let chunk = max(1, (sources.count + max(1, workers) - 1) / max(1, workers))
        let ranges = stride(from: 0, to: sources.count, by: chunk).map { $0..<min(sources.count, $0 + chunk) }
        let parts = await withTaskGroup(of: (Int, [BuiltRows]).self) { group in
            for (n, range) in ranges.enumerated() {
                group.addTask {
                    (n, sources[range].map { source in Self.rows(of: source, format: format, catalog: catalog) })
                }
            }
            var out = [[BuiltRows]](repeating: [], count: ranges.count)
            for await (n, rows) in group { out[n] = rows }
            return out.flatMap { $0 }
        }
        return parts
    }

    static func rows(of source: DialogueSource, format: ExportFormat, catalog: (String) -> JSONValue?) -> BuiltRows {
        guard let item = item(from: source) else { return BuiltRows(item: nil, lines: [], missing: 0) }
        let writer = JSONWriter()
        switch format {
        case .sft: return BuiltRows(item: item, lines: [("sft", writer.string(SFTRows.row(item)))], missing: 0)
        case .sftSteps: return BuiltRows(item: item, lines: StepRows.rows(item).map { ("sft-steps", writer.string($0)) }, missing: 0)
        case .rl:
            let (row, missing) = RLRows.row(item, catalog: catalog)
            return BuiltRows(item: item, lines: [("rl", writer.string(row))], missing: missing.count)
        case .preference: return BuiltRows(item: item, lines: [], missing: 0)
        }
    }

    /// The KTO rows of one problem's trajectories and, when one succeeded, a DPO row per failure against the best
    /// success. The group holds records only; dialogues are read one at a time (the chosen one once).
    func flushPreference(_ group: [(TrajectoryRecord, SplitPool, JSONValue)], stats: inout ExportStats,
                         write: (String, SplitPool, JSONValue) throws -> Void) async throws {
        var unreadable = ExportStats(format: .preference, options: .null)
        let readable = group.filter { $0.0.dialogueSHA256 != nil }
        // The best success among those whose dialogue reads.
        var candidates = readable.map(\.0)
        var chosen: ExportItem?
        while let best = PreferenceRows.chosen(candidates) {
            let entry = readable.first { $0.0.trajectoryID == best.trajectoryID }!
            if let item = try await load([entry], stats: &unreadable).first {
                chosen = item
                break
            }
            candidates.removeAll { $0.trajectoryID == best.trajectoryID }
        }
        for entry in group {
            let item: ExportItem
            if let chosen, chosen.record.trajectoryID == entry.0.trajectoryID {
                item = chosen
            } else if let loaded = try await load([entry], stats: &stats).first {
                item = loaded
            } else {
                continue
            }
            stats.count(item.record, pool: item.pool)
            try write("kto", item.pool, PreferenceRows.kto(item))
            // A pair never spans pools: all of a problem's trajectories share its pool.
            if let chosen, !item.record.success { try write("dpo", item.pool, PreferenceRows.dpo(chosen: chosen, rejected: item)) }
        }
    }

    static func writeText(_ text: String, to directory: String, name: String) throws {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ExportWriteError.cannotWrite(path: path, reason: "the file cannot be created")
        }
    }
}
