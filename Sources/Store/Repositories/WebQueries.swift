/// Read queries of the arena's web pages that the public API does not already have: a searchable leaderboard
/// with board ranks, submission counts, a miner's versions and cooldown, one run's visible problems, the
/// validators' runs in flight.
///
/// Public data only, like `PublicQueries` (which the pages use for everything else): every query that touches
/// problems joins `problems.is_hidden = 0`, so a hidden race problem never reaches a page.
public struct WebQueries: Sendable {
    /// The database read.
    public let database: any SQLDatabase

    /// Queries over `database`.
    public init(database: any SQLDatabase) { self.database = database }

    // MARK: Leaderboard

    /// The same board as `PublicQueries.leaderboard` (ELIGIBLE, non-discarded versions of the suite by
    /// `final_score` or, with `byRaceScore`, by `race_score`; ties to the earlier submission), each row with
    /// its rank on the whole board, narrowed to agent names containing `search` (case-insensitive) or hotkeys
    /// starting with it (case-sensitive: SS58 addresses are).
    public func leaderboard(suiteID: Int64, byRaceScore: Bool, search: String?, limit: Int64, offset: Int64) async throws
        -> LeaderboardPageRecord
    {
        let filter = " WHERE v.suite_id = ? AND v.state = 'ELIGIBLE' AND v.is_discarded = 0 AND v.final_score IS NOT NULL"
            + (byRaceScore ? " AND v.race_score IS NOT NULL" : "")
        let order = (byRaceScore ? "v.race_score DESC" : "v.final_score DESC") + ", v.submitted_at ASC, v.agent_version_id ASC"
        let ranked = "SELECT ROW_NUMBER() OVER (ORDER BY \(order)) AS board_rank, "
            + AgentVersionRecord.select.dropFirst("SELECT ".count) + filter
        var searchFilter = ""
        var searchBinds: [SQLValue] = []
        if let search, !search.isEmpty {
            searchFilter = " WHERE LOWER(ranked.agent_name) LIKE ? ESCAPE '!' OR SUBSTR(ranked.miner_hotkey, 1, CAST(? AS INTEGER)) = ?"
            searchBinds = [.text("%" + Self.likeEscaped(search.lowercased()) + "%"), .int(Int64(search.count)), .text(search)]
        }
        let pageSQL = "SELECT * FROM (\(ranked)) ranked\(searchFilter) ORDER BY ranked.board_rank LIMIT ? OFFSET ?"
        let countSQL = "SELECT COUNT(*) FROM (\(ranked)) ranked\(searchFilter)"
        let binds = searchBinds
        return try await database.read { db in
            let counts = try await db.first(
                "SELECT COUNT(*) AS total, COUNT(DISTINCT v.miner_hotkey) AS miners FROM agent_versions v" + filter,
                [.int(suiteID)])
            let matched = try await db.scalarInt(countSQL, [.int(suiteID)] + binds) ?? 0
            let entries = try await db.query(pageSQL, [.int(suiteID)] + binds + [.int(limit), .int(offset)])
                .map { row throws(StoreError) in
                    RankedVersionRecord(rank: try row.int("board_rank"), version: try AgentVersionRecord(row: row))
                }
            return LeaderboardPageRecord(boardTotal: counts?.optionalInt("total") ?? 0,
                                         uniqueMiners: counts?.optionalInt("miners") ?? 0, matched: matched, entries: entries)
        }
    }

    /// `%`, `_` and the escape character itself escaped for `LIKE … ESCAPE '!'`.
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "!" { out.append("!") }
            out.append(character)
        }
        return out
    }

    /// Qualifying scores of every eligible, non-discarded version of the suite (who would qualify for a race).
    public func eligibleScores(suiteID: Int64) async throws -> [EligibleScoreRecord] {
        try await database.read { db in
            try await db.query(
                """
                SELECT agent_version_id, final_score FROM agent_versions
                WHERE suite_id = ? AND state = 'ELIGIBLE' AND is_discarded = 0 AND final_score IS NOT NULL
                ORDER BY final_score DESC, submitted_at ASC, agent_version_id ASC
                """, [.int(suiteID)]
            ).map { row throws(StoreError) in
                EligibleScoreRecord(agentVersionID: try row.string("agent_version_id"), finalScore: try row.double("final_score"))
            }
        }
    }

    /// Agent versions submitted at or after `since` (epoch ms), over every suite.
    public func submissionCount(since: Int64) async throws -> Int64 {
        try await database.read { db in
            try await db.scalarInt("SELECT COUNT(*) FROM agent_versions WHERE submitted_at >= ?", [.int(since)]) ?? 0
        }
    }

    // MARK: Miners

    /// The miner behind `hotkey`, or nil when the arena knows neither an identity nor a version of it.
    /// Identities of other roles (validators, admins) without versions are not miners and give nil.
    public func miner(_ hotkey: String) async throws -> MinerRecord? {
        try await database.read { db in
            let identity = try await db.first(
                "SELECT hotkey, role, registered_at, is_banned, cooldown_until, last_submit_at FROM identities WHERE hotkey = ?",
                [.text(hotkey)])
            let versions = try await db.scalarInt("SELECT COUNT(*) FROM agent_versions WHERE miner_hotkey = ?", [.text(hotkey)]) ?? 0
            if let identity, identity.optionalString("role") == "miner" || versions > 0 {
                return MinerRecord(hotkey: hotkey, registeredAt: identity.optionalInt("registered_at"),
                                   isBanned: identity.optionalBool("is_banned") ?? false,
                                   cooldownUntil: identity.optionalInt("cooldown_until"),
                                   lastSubmitAt: identity.optionalInt("last_submit_at"))
            }
            guard versions > 0 else { return nil }
            return MinerRecord(hotkey: hotkey, registeredAt: nil, isBanned: false, cooldownUntil: nil, lastSubmitAt: nil)
        }
    }

    /// Every version of every agent of `hotkey`, oldest submission first.
    public func versions(minerHotkey: String) async throws -> [AgentVersionRecord] {
        try await database.read { db in
            try await db.query(AgentVersionRecord.select + " WHERE v.miner_hotkey = ? ORDER BY v.submitted_at, v.version_number, v.agent_version_id",
                               [.text(minerHotkey)])
                .map { row throws(StoreError) in try AgentVersionRecord(row: row) }
        }
    }

    // MARK: Runs

    static func runProblemColumns(metadata: Bool) -> String {
        """
        SELECT rp.eval_run_id, rp.problem_id, rp.status, rp.score, rp.reasoning_score, rp.score_components_summary,
            rp.inference_failure_count, rp.inference_total, rp.execution_time, rp.updated_at, rp.logs_s3_key,
            r.validator_hotkey, r.phase, r.race_id, p.category, p.position\(metadata ? ", p.metadata" : "")
        FROM run_problems rp
        JOIN evaluation_runs r ON r.eval_run_id = rp.eval_run_id
        JOIN problems p ON p.suite_id = r.suite_id AND p.problem_id = rp.problem_id AND p.is_hidden = 0
        """
    }

    static func detail(_ row: SQLRow) throws(StoreError) -> RunProblemDetailRecord {
        RunProblemDetailRecord(
            progress: RunProblemRecord(
                evalRunID: try row.string("eval_run_id"), problemID: try row.string("problem_id"),
                status: try row.string("status"), score: row.optionalDouble("score"),
                reasoningScore: row.optionalDouble("reasoning_score"),
                scoreComponentsSummary: row.optionalString("score_components_summary"),
                inferenceFailureCount: row.optionalInt("inference_failure_count"),
                inferenceTotal: row.optionalInt("inference_total"), executionTime: row.optionalDouble("execution_time"),
                updatedAt: try row.int("updated_at"), validatorHotkey: try row.string("validator_hotkey"),
                phase: try row.string("phase"), raceID: row.optionalString("race_id"),
                category: row.optionalString("category"), position: try row.int("position")),
            logsKey: row.optionalString("logs_s3_key"), problemMetadata: row.optionalString("metadata"))
    }

    /// The run's progress on visible problems, in suite order (hidden race problems left out), without the
    /// problems' suite rows.
    public func runProblems(evalRunID: String) async throws -> [RunProblemDetailRecord] {
        try await database.read { db in
            try await db.query(Self.runProblemColumns(metadata: false) + " WHERE rp.eval_run_id = ? ORDER BY p.position",
                               [.text(evalRunID)])
                .map { row throws(StoreError) in try Self.detail(row) }
        }
    }

    /// One visible problem's progress in a run with its suite row, or nil (unknown, not started, or hidden).
    public func runProblem(evalRunID: String, problemID: String) async throws -> RunProblemDetailRecord? {
        try await database.read { db in
            try await db.first(Self.runProblemColumns(metadata: true) + " WHERE rp.eval_run_id = ? AND rp.problem_id = ?",
                               [.text(evalRunID), .text(problemID)])
                .map { row throws(StoreError) in try Self.detail(row) }
        }
    }

    /// A visible problem of a suite, or nil (unknown or hidden).
    public func visibleProblem(suiteID: Int64, problemID: String) async throws -> ProblemRecord? {
        try await database.read { db in
            try await db.first(
                "SELECT suite_id, problem_id, position, category, metadata FROM problems WHERE suite_id = ? AND problem_id = ? AND is_hidden = 0",
                [.int(suiteID), .text(problemID)]
            ).map { row throws(StoreError) in
                ProblemRecord(suiteID: try row.int("suite_id"), problemID: try row.string("problem_id"),
                              position: try row.int("position"), category: row.optionalString("category"),
                              metadata: try row.string("metadata"))
            }
        }
    }

    /// How many runs each validator holds a lease on (CLAIMED or RUNNING), by hotkey.
    public func runsInFlight() async throws -> [String: Int64] {
        try await database.read { db in
            var counts: [String: Int64] = [:]
            for row in try await db.query(
                "SELECT validator_hotkey, COUNT(*) AS n FROM evaluation_runs WHERE status IN ('CLAIMED', 'RUNNING') GROUP BY validator_hotkey", [])
            {
                counts[try row.string("validator_hotkey")] = row.optionalInt("n") ?? 0
            }
            return counts
        }
    }

    /// Finished problems (SUCCESS, FAILED, TIMED_OUT or SKIPPED) of each given run, on visible problems only.
    public func finishedVisibleProblems(evalRunIDs: [String]) async throws -> [String: Int64] {
        guard !evalRunIDs.isEmpty else { return [:] }
        let marks = evalRunIDs.map { _ in "?" }.joined(separator: ", ")
        return try await database.read { db in
            var counts: [String: Int64] = [:]
            for row in try await db.query(
                """
                SELECT rp.eval_run_id, COUNT(*) AS n FROM run_problems rp
                JOIN evaluation_runs r ON r.eval_run_id = rp.eval_run_id
                JOIN problems p ON p.suite_id = r.suite_id AND p.problem_id = rp.problem_id AND p.is_hidden = 0
                WHERE rp.eval_run_id IN (\(marks)) AND rp.status IN ('SUCCESS', 'FAILED', 'TIMED_OUT', 'SKIPPED')
                GROUP BY rp.eval_run_id
                """, evalRunIDs.map(SQLValue.text))
            {
                counts[try row.string("eval_run_id")] = row.optionalInt("n") ?? 0
            }
            return counts
        }
    }

    /// Visible problems of a suite (the denominator of a qualifying run's progress).
    public func visibleProblemCount(suiteID: Int64) async throws -> Int64 {
        try await database.read { db in
            try await db.scalarInt("SELECT COUNT(*) FROM problems WHERE suite_id = ? AND is_hidden = 0", [.int(suiteID)]) ?? 0
        }
    }
}
