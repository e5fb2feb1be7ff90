import ArenaModel

/// What an export read, wrote and left out; written as `stats.json` beside the data files. Everything but the
/// `timing` block depends only on the corpus and the options, so it is the same on every run.
public struct ExportStats: Sendable, Hashable {
    public var format: ExportFormat
    /// The options that chose the rows (filter, split, seed, …), as given.
    public var options: JSONValue
    /// Trajectories that made rows, per split.
    public var trajectories: [String: Int] = [:]
    /// Rows per data file name.
    public var rows: [String: Int] = [:]
    /// Trajectories per split, then per category / agentic verdict / outcome.
    public var byCategory: [String: [String: Int]] = [:]
    public var byVerdict: [String: [String: Int]] = [:]
    public var bySuccess: [String: [String: Int]] = [:]
    /// Trajectories read but not written, per reason (`never_pool`, `other_split`, `unknown_problem`, `no_dialogue`).
    public var skipped: [String: Int] = [:]
    /// `rl`: product ids for which neither the catalog nor the tool results had a document.
    public var missingProducts = 0
    public var audit: SplitAudit?
    public var seconds = 0.0

    public init(format: ExportFormat, options: JSONValue) {
        self.format = format
        self.options = options
    }

    public var totalRows: Int { rows.values.reduce(0, +) }
    public var rowsPerSecond: Double { seconds > 0 ? Double(totalRows) / seconds : 0 }

    /// Counts one trajectory that made rows.
    public mutating func count(_ record: TrajectoryRecord, pool: SplitPool) {
        let split = pool.rawValue
        trajectories[split, default: 0] += 1
        byCategory[split, default: [:]][record.provenance.category ?? "unknown", default: 0] += 1
        byVerdict[split, default: [:]][record.agentic.verdict.rawValue, default: 0] += 1
        bySuccess[split, default: [:]][record.success ? "success" : "failure", default: 0] += 1
    }

    public var json: JSONValue {
        func flat(_ d: [String: Int]) -> JSONValue { .object(d.keys.sorted().map { ($0, .int(Int64(d[$0]!))) }) }
        func nested(_ d: [String: [String: Int]]) -> JSONValue { .object(d.keys.sorted().map { ($0, flat(d[$0]!)) }) }
        return .object([
            ("format", .string(format.rawValue)), ("options", options), ("trajectories", flat(trajectories)),
            ("rows", flat(rows)), ("rows_total", .int(Int64(totalRows))), ("by_category", nested(byCategory)),
            ("by_verdict", nested(byVerdict)), ("by_outcome", nested(bySuccess)), ("skipped", flat(skipped)),
            ("missing_products", .int(Int64(missingProducts))), ("split_audit", audit?.json ?? .null),
            ("timing", .object([("seconds", .double((seconds * 1000).rounded() / 1000)),
                                ("rows_per_second", .double(rowsPerSecond.rounded()))])),
        ])
    }
}
