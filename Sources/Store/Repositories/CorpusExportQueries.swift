import ArenaModel
import Corpus

/// One problem row as the export's split reads it (every suite's, hidden ones included).
public struct ExportProblemRow: Sendable, Hashable {
    /// The suite the problem belongs to.
    public var suiteID: Int64
    /// The problem's id within its suite.
    public var problemID: String
    /// Whether the problem is in the hidden race bank (its trajectories are never exported).
    public var isHidden: Bool
    /// The suite record as stored (JSON text).
    public var metadataJSON: String
}

/// Which trajectories an export reads. Records marked never-export and hidden-problem records are always left out.
public struct ExportQuery: Sendable, Hashable {
    /// Only records the structural filter accepted (true) or rejected (false); nil: both.
    public var accepted: Bool?
    /// Only records with this agentic verdict (`agentic`, `scripted`, `no-llm`); nil: any.
    public var verdict: String?
    /// The judge's problem score at least this (records without one are left out).
    public var minJudge: Double?
    /// Only records of this problem category (`product`, `shop`, `voucher`, lower case); nil: any.
    public var category: String?

    /// A query; every filter defaults to "any".
    public init(accepted: Bool? = nil, verdict: String? = nil, minJudge: Double? = nil, category: String? = nil) {
        self.accepted = accepted
        self.verdict = verdict
        self.minJudge = minJudge
        self.category = category
    }
}

/// Where an ordered export read stopped: the last (problem id, trajectory id) returned.
public struct ExportCursor: Sendable, Hashable {
    /// The problem id of the last record returned.
    public var problemID: String
    /// The trajectory id of the last record returned.
    public var trajectoryID: String

    /// The cursor after the record with these ids.
    public init(problemID: String, trajectoryID: String) {
        self.problemID = problemID
        self.trajectoryID = trajectoryID
    }
}

extension TrajectoryRepository {
    /// Every problem of every suite, ordered by problem id (bytewise) then suite.
    public func exportProblems() async throws -> [ExportProblemRow] {
        try await database.read { db in
            let order = db.dialect.bytewise
            return try await db.query(
                "SELECT suite_id, problem_id, is_hidden, metadata FROM problems ORDER BY problem_id\(order), suite_id", []
            ).map { row throws(StoreError) in
                ExportProblemRow(suiteID: try row.int("suite_id"), problemID: try row.string("problem_id"),
                                 isHidden: try row.bool("is_hidden"), metadataJSON: try row.string("metadata"))
            }
        }
    }

    /// Up to `limit` exportable records after `cursor`, in (problem id, trajectory id) order compared bytewise, so
    /// SQLite and PostgreSQL return the same sequence and a problem's records are consecutive. Keyset pagination:
    /// each page is one indexed range read, whatever the corpus size.
    public func exportPage(_ query: ExportQuery, after cursor: ExportCursor?, limit: Int) async throws -> [TrajectoryRecord] {
        try await database.read { db in
            let c = db.dialect.bytewise
            // On SQLite the filters are written `+column` so the planner cannot pick the (never_export, accepted,
            // verdict) index and sort every match per page (quadratic in the corpus: a 100,000-record export spent
            // most of its time there); the page is then a range read of the (problem_id, trajectory_id) index.
            let f = db.dialect == .sqlite ? "+" : ""
            var parts = ["\(f)never_export = 0", "\(f)is_hidden = 0"]
            var binds: [SQLValue] = []
            if let v = query.accepted { parts.append("\(f)accepted = ?"); binds.append(.bool(v)) }
            if let v = query.verdict { parts.append("\(f)verdict = ?"); binds.append(.text(v)) }
            if let v = query.minJudge { parts.append("\(f)reasoning_score >= ?"); binds.append(.double(v)) }
            if let v = query.category { parts.append("\(f)category = ?"); binds.append(.text(v)) }
            if let cursor {
                parts.append("(problem_id\(c), trajectory_id\(c)) > (?, ?)")
                binds += [.text(cursor.problemID), .text(cursor.trajectoryID)]
            }
            let sql = "SELECT \(Self.columns.joined(separator: ", ")) FROM trajectories WHERE " + parts.joined(separator: " AND ")
                + " ORDER BY problem_id\(c), trajectory_id\(c) LIMIT ?"
            return try await db.query(sql, binds + [.int(Int64(max(1, limit)))]).map(Self.record)
        }
    }
}
