import ArenaModel
import Corpus
import Store

/// A record to export with the pool it was assigned to and its problem's stored suite record.
struct ExportEntry: Sendable {
    var record: TrajectoryRecord
    var pool: SplitPool
    var problem: JSONValue
}

/// One unit of export work: a run of consecutive records (for `sft`, `sft-steps` and `rl`) or every record of one
/// problem (for `preference`, whose rows pair a problem's trajectories).
struct ExportJob: Sendable {
    var entries: [ExportEntry]
}

/// What one job produced, in the order its records came: the lines to write as (file stem, pool, JSON text), the
/// records counted in the statistics, and the records left out by reason.
struct ExportJobResult: Sendable {
    var lines: [(stem: String, pool: SplitPool, text: [UInt8])] = []
    var counted: [(TrajectoryRecord, SplitPool)] = []
    var skipped: [String: Int] = [:]
    var missingProducts = 0
}

/// Does an ``ExportJob``: reads each record's dialogue from the blob store, decodes it to chat and builds its rows
/// as JSON text. Pure apart from the blob reads, so jobs run concurrently and their results are written in job
/// order — the bytes of an export never depend on the number of workers.
struct ExportJobRunner: Sendable {
    let blobs: any BlobStore
    let format: ExportFormat
    let catalog: @Sendable (String) -> JSONValue?

    func run(_ job: ExportJob) async throws -> ExportJobResult {
        var result = ExportJobResult()
        if format == .preference {
            try await preference(job.entries, into: &result)
            return result
        }
        for entry in job.entries {
            guard let item = try await load(entry) else {
                result.skipped["no_dialogue", default: 0] += 1
                continue
            }
            result.counted.append((item.record, item.pool))
            switch format {
            case .sft: result.lines.append(("sft", item.pool, SFTRows.json(item)))
            case .sftSteps:
                for row in StepRows.rows(item) { result.lines.append(("sft-steps", item.pool, Self.text(row))) }
            case .rl:
                let (row, missing) = RLRows.json(item, catalog: catalog)
                result.lines.append(("rl", item.pool, row))
                result.missingProducts += missing.count
            case .preference: break
            }
        }
        return result
    }

    /// The export item of `entry`: its stored dialogue decoded to chat; nil when there is none or it does not read.
    func load(_ entry: ExportEntry) async throws -> ExportItem? {
        guard let sha = entry.record.dialogueSHA256, let bytes = try await blobs.get(sha) else { return nil }
        let query = entry.problem["query"]?.stringValue ?? ""
        if format == .rl {
            // Prompt-only rows: the completion is not written, only the tool results are read.
            guard let prompt = ExportDialogue.prompt(bytes, query: query) else { return nil }
            return ExportItem(record: entry.record, chat: prompt.chat, problem: entry.problem, pool: entry.pool,
                              toolResults: prompt.toolResults)
        }
        guard let decoded = ExportDialogue.decode(bytes, query: query) else { return nil }
        return ExportItem(record: entry.record, chat: decoded.chat, problem: entry.problem, pool: entry.pool,
                          toolResults: decoded.toolResults)
    }

    /// The KTO rows of one problem's trajectories and, when one succeeded, a DPO row per failure against the best
    /// success whose dialogue reads. Each dialogue is read once.
    func preference(_ group: [ExportEntry], into result: inout ExportJobResult) async throws {
        var items: [ExportItem?] = []
        items.reserveCapacity(group.count)
        for entry in group { items.append(try await load(entry)) }
        let readable = items.compactMap { $0 }
        let best = PreferenceRows.chosen(readable.map(\.record))
        let chosen = best.flatMap { best in readable.first { $0.record.trajectoryID == best.trajectoryID } }
        for item in items {
            guard let item else {
                result.skipped["no_dialogue", default: 0] += 1
                continue
            }
            result.counted.append((item.record, item.pool))
            result.lines.append(("kto", item.pool, Self.text(PreferenceRows.kto(item))))
            // A pair never spans pools: all of a problem's trajectories share its pool.
            if let chosen, !item.record.success {
                result.lines.append(("dpo", item.pool, Self.text(PreferenceRows.dpo(chosen: chosen, rejected: item))))
            }
        }
    }

    static func text(_ row: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        JSONWriter().write(row, into: &out)
        return out
    }
}
