import ArenaModel

/// One finished, not invalidated evaluation run as the admin analytics read it.
public struct FinishedRunRecord: Sendable, Hashable {
    /// The run's id.
    public var evalRunID: String
    /// Its work item.
    public var workItemID: String
    /// The agent version it evaluated.
    public var agentVersionID: String
    /// The agent's name.
    public var agentName: String
    /// The miner's hotkey.
    public var minerHotkey: String
    /// The validator that ran it.
    public var validatorHotkey: String
    /// SUCCESS, FAILED or TIMED_OUT.
    public var status: String
    /// QUALIFYING or RACE.
    public var phase: String
    /// The race number of a race-phase run.
    public var raceNumber: Int64?
    /// The score the validator reported.
    public var validatorScore: Double?
    /// Whether the run counts toward its version's score.
    public var isIncluded: Bool
    /// When it was claimed, epoch milliseconds.
    public var claimedAt: Int64
    /// When it completed, epoch milliseconds.
    public var completedAt: Int64
    /// Why it failed, in words.
    public var failureReason: String?
}

/// Filters shared by the analytics endpoints (nil = no filter). `since`/`until` bound `completed_at`.
public struct AnalyticsFilter: Sendable {
    /// Only runs on this suite.
    public var suiteID: Int64?
    /// Only runs of this phase.
    public var phase: String?
    /// Completed at or after, epoch milliseconds.
    public var since: Int64?
    /// Completed at or before, epoch milliseconds.
    public var until: Int64?

    /// A filter; every field defaults to none.
    public init(suiteID: Int64? = nil, phase: String? = nil, since: Int64? = nil, until: Int64? = nil) {
        self.suiteID = suiteID
        self.phase = phase
        self.since = since
        self.until = until
    }
}

/// Reads for `/v1/admin/analytics/*` (oro-sdk 1.0.50) and the admin's elimination reinstatement.
public struct AdminAnalytics: Sendable {
    /// The database read.
    public let database: any SQLDatabase

    /// Analytics over `database`.
    public init(database: any SQLDatabase) { self.database = database }

    /// Finished runs (SUCCESS, FAILED, TIMED_OUT) that were not invalidated, oldest completion first.
    public func finishedRuns(_ filter: AnalyticsFilter) async throws -> [FinishedRunRecord] {
        var sql = """
            SELECT r.eval_run_id, r.work_item_id, r.agent_version_id, a.agent_name, v.miner_hotkey, r.validator_hotkey,
                r.status, r.phase, r.race_number, r.validator_score, r.is_included, r.claimed_at, r.completed_at, r.failure_reason
            FROM evaluation_runs r
            JOIN agent_versions v ON v.agent_version_id = r.agent_version_id
            JOIN agents a ON a.agent_id = v.agent_id
            WHERE r.status IN ('SUCCESS', 'FAILED', 'TIMED_OUT') AND r.invalidated_at IS NULL AND r.completed_at IS NOT NULL
            """
        var binds: [SQLValue] = []
        if let v = filter.suiteID { sql += " AND r.suite_id = ?"; binds.append(.int(v)) }
        if let v = filter.phase { sql += " AND r.phase = ?"; binds.append(.text(v)) }
        if let v = filter.since { sql += " AND r.completed_at >= ?"; binds.append(.int(v)) }
        if let v = filter.until { sql += " AND r.completed_at <= ?"; binds.append(.int(v)) }
        sql += " ORDER BY r.completed_at, r.eval_run_id"
        let query = sql
        let values = binds
        return try await database.read { db in
            try await db.query(query, values).map { row throws(StoreError) in
                FinishedRunRecord(
                    evalRunID: try row.string("eval_run_id"), workItemID: try row.string("work_item_id"),
                    agentVersionID: try row.string("agent_version_id"), agentName: try row.string("agent_name"),
                    minerHotkey: try row.string("miner_hotkey"), validatorHotkey: try row.string("validator_hotkey"),
                    status: try row.string("status"), phase: try row.string("phase"), raceNumber: row.optionalInt("race_number"),
                    validatorScore: row.optionalDouble("validator_score"), isIncluded: try row.bool("is_included"),
                    claimedAt: try row.int("claimed_at"), completedAt: try row.int("completed_at"),
                    failureReason: row.optionalString("failure_reason"))
            }
        }
    }

    /// Clears a version's elimination (`eliminated_at`, `eliminated_in_race_number`, and its race qualifier
    /// rows' `eliminated_at`) so it can qualify again; records the audit event. The suite is `suiteID`, else the
    /// version's, else the active one. Returns the suite id.
    public func reinstateElimination(_ versionID: String, suiteID: Int64?, actor: AdminActor) async throws -> Int64 {
        let admin = AdminRepository(database: database)
        return try await database.transaction { db in
            guard let version = try await AdminRepository.version(versionID, in: db) else {
                throw AdminError.agentVersionNotFound(versionID)
            }
            let suite = try await AdminRepository.resolveSuite(suiteID ?? version.optionalInt("suite_id"), in: db)
            let wasEliminatedAt = version.optionalInt("eliminated_at")
            let wasRace = version.optionalInt("eliminated_in_race_number")
            try await db.execute(
                "UPDATE agent_versions SET eliminated_at = NULL, eliminated_in_race_number = NULL WHERE agent_version_id = ?",
                [.text(versionID)])
            try await db.execute(
                """
                UPDATE race_qualifiers SET eliminated_at = NULL
                WHERE agent_version_id = ? AND race_id IN (SELECT race_id FROM races WHERE suite_id = ?)
                """, [.text(versionID), .int(suite)])
            try await admin.audit(db, actor, action: "agent_version.reinstate_elimination", targetType: "agent_version",
                                  targetID: versionID,
                                  details: .object([("suite_id", .int(suite)),
                                                    ("was_eliminated_at", wasEliminatedAt.map { .int($0) } ?? .null),
                                                    ("was_eliminated_in_race_number", wasRace.map { .int($0) } ?? .null)]))
            return suite
        }
    }
}
