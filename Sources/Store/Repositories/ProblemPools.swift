import ArenaModel

/// One stored problem as the leak guard reads it: the suite that keeps it, whether it is in the hidden race bank,
/// and its record as it was loaded (the `metadata` JSON).
public struct PoolProblemRow: Sendable, Equatable {
    /// The suite that keeps the problem.
    public var suiteID: Int64
    /// The problem's id within the suite.
    public var problemID: String
    /// Whether it is in the hidden race bank.
    public var isHidden: Bool
    /// The problem's record as loaded (`metadata` JSON text).
    public var metadataJSON: String

    /// A row as read.
    public init(suiteID: Int64, problemID: String, isHidden: Bool, metadataJSON: String) {
        self.suiteID = suiteID
        self.problemID = problemID
        self.isHidden = isHidden
        self.metadataJSON = metadataJSON
    }
}

/// The problem pools a new entry is checked against: every suite's public problems, and the hidden race bank
/// (the hidden problems of every suite). Reading only; the clustering itself is `Corpus.LeakGuard`'s.
extension SuiteRepository {
    /// The problems of one pool, in suite and position order: the hidden bank when `hidden`, else the public
    /// problems of every suite.
    public func poolProblems(hidden: Bool) async throws -> [PoolProblemRow] {
        try await database.read { db in
            try await db.query(
                "SELECT suite_id, problem_id, is_hidden, metadata FROM problems WHERE is_hidden = ? ORDER BY suite_id, position",
                [.bool(hidden)]
            ).map { row in
                PoolProblemRow(suiteID: try row.int("suite_id"), problemID: try row.string("problem_id"),
                               isHidden: try row.bool("is_hidden"), metadataJSON: try row.string("metadata"))
            }
        }
    }

    /// The ids of the problems suite `suiteID` already holds, public or hidden (a hidden-bank load skips them).
    public func problemIDs(inSuite suiteID: Int64) async throws -> Set<String> {
        try await database.read { db in
            Set(try await db.query("SELECT problem_id FROM problems WHERE suite_id = ?", [.int(suiteID)]).map { try $0.string("problem_id") })
        }
    }
}
