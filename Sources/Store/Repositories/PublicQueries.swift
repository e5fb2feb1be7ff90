/// The read side of the public API: suites, versions, runs, the leaderboard and the top agent.
///
/// Every query that touches problems filters `problems.is_hidden = 0`: race problems must never leave the
/// arena through a public route. Suites with `is_public = 0` are invisible here.
public struct PublicQueries: Sendable {
    /// The database read.
    public let database: any SQLDatabase

    /// Queries over `database`.
    public init(database: any SQLDatabase) { self.database = database }

    // MARK: Suites and problems

    /// Public suites, newest first.
    public func suites() async throws -> [SuiteRecord] {
        try await database.read { db in
            try await db.query("SELECT \(SuiteRecord.columns) FROM suites s WHERE s.is_public = 1 ORDER BY s.created_at DESC, s.suite_id DESC", [])
                .map { row throws(StoreError) in try SuiteRecord(row: row) }
        }
    }

    /// The active public suite (the newest when several are flagged active), or nil.
    public func currentSuite() async throws -> SuiteRecord? {
        try await database.read { db in
            try await db.first("SELECT \(SuiteRecord.columns) FROM suites s WHERE s.is_active = 1 AND s.is_public = 1 ORDER BY s.created_at DESC, s.suite_id DESC LIMIT 1")
                .map { row throws(StoreError) in try SuiteRecord(row: row) }
        }
    }

    /// A public suite by id, or nil.
    public func suite(_ suiteID: Int64) async throws -> SuiteRecord? {
        try await database.read { db in
            try await db.first("SELECT \(SuiteRecord.columns) FROM suites s WHERE s.suite_id = ? AND s.is_public = 1", [.int(suiteID)])
                .map { row throws(StoreError) in try SuiteRecord(row: row) }
        }
    }

    /// The suite's visible problems in suite order (hidden race problems left out).
    public func visibleProblems(suiteID: Int64) async throws -> [ProblemRecord] {
        try await database.read { db in
            try await db.query(
                "SELECT suite_id, problem_id, position, category, metadata FROM problems WHERE suite_id = ? AND is_hidden = 0 ORDER BY position",
                [.int(suiteID)]
            ).map { row throws(StoreError) in
                ProblemRecord(suiteID: try row.int("suite_id"), problemID: try row.string("problem_id"),
                              position: try row.int("position"), category: row.optionalString("category"),
                              metadata: try row.string("metadata"))
            }
        }
    }

    /// Whether `problemID` is a hidden problem of `suiteID` (its logs are never served).
    public func isHiddenProblem(suiteID: Int64, problemID: String) async throws -> Bool {
        try await database.read { db in
            (try await db.scalarInt("SELECT is_hidden FROM problems WHERE suite_id = ? AND problem_id = ?",
                                    [.int(suiteID), .text(problemID)]) ?? 0) != 0
        }
    }

    // MARK: Agent versions

    /// One agent version, or nil.
    public func agentVersion(_ agentVersionID: String) async throws -> AgentVersionRecord? {
        try await database.read { db in
            try await db.first(AgentVersionRecord.select + " WHERE v.agent_version_id = ?", [.text(agentVersionID)])
                .map { row throws(StoreError) in try AgentVersionRecord(row: row) }
        }
    }

    /// The version's newest work item of `phase` (by queue order), or nil.
    public func latestWorkItem(agentVersionID: String, phase: EvaluationPhase) async throws -> WorkItemRecord? {
        try await database.read { db in
            try await db.first(WorkItemRecord.select + " WHERE w.agent_version_id = ? AND w.phase = ? ORDER BY w.seq DESC LIMIT 1",
                               [.text(agentVersionID), .text(phase.rawValue)])
                .map { row throws(StoreError) in try WorkItemRecord(row: row) }
        }
    }

    /// The version's runs, oldest claim first.
    public func runs(agentVersionID: String) async throws -> [EvaluationRunRecord] {
        try await database.read { db in
            try await db.query(EvaluationRunRecord.select + " WHERE r.agent_version_id = ? ORDER BY r.claimed_at, r.eval_run_id",
                               [.text(agentVersionID)])
                .map { row throws(StoreError) in try EvaluationRunRecord(row: row) }
        }
    }

    /// The runs of one work item, oldest claim first.
    public func runs(workItemID: String) async throws -> [EvaluationRunRecord] {
        try await database.read { db in
            try await db.query(EvaluationRunRecord.select + " WHERE r.work_item_id = ? ORDER BY r.claimed_at, r.eval_run_id",
                               [.text(workItemID)])
                .map { row throws(StoreError) in try EvaluationRunRecord(row: row) }
        }
    }

    /// One run, or nil.
    public func run(_ evalRunID: String) async throws -> EvaluationRunRecord? {
        try await database.read { db in
            try await db.first(EvaluationRunRecord.select + " WHERE r.eval_run_id = ?", [.text(evalRunID)])
                .map { row throws(StoreError) in try EvaluationRunRecord(row: row) }
        }
    }

    /// Per-problem progress of every run of a version on visible problems only, in suite order.
    public func runProblems(agentVersionID: String, phase: EvaluationPhase?, raceID: String?) async throws -> [RunProblemRecord] {
        var sql = """
            SELECT rp.eval_run_id, rp.problem_id, rp.status, rp.score, rp.reasoning_score, rp.score_components_summary,
                rp.inference_failure_count, rp.inference_total, rp.execution_time, rp.updated_at,
                r.validator_hotkey, r.phase, r.race_id, p.category, p.position
            FROM run_problems rp
            JOIN evaluation_runs r ON r.eval_run_id = rp.eval_run_id
            JOIN problems p ON p.suite_id = r.suite_id AND p.problem_id = rp.problem_id AND p.is_hidden = 0
            WHERE r.agent_version_id = ?
            """
        var binds: [SQLValue] = [.text(agentVersionID)]
        if let phase { sql += " AND r.phase = ?"; binds.append(.text(phase.rawValue)) }
        if let raceID { sql += " AND r.race_id = ?"; binds.append(.text(raceID)) }
        sql += " ORDER BY p.position, r.claimed_at, rp.eval_run_id"
        let query = sql, values = binds
        return try await database.read { db in
            try await db.query(query, values).map { row throws(StoreError) in
                RunProblemRecord(
                    evalRunID: try row.string("eval_run_id"), problemID: try row.string("problem_id"),
                    status: try row.string("status"), score: row.optionalDouble("score"),
                    reasoningScore: row.optionalDouble("reasoning_score"),
                    scoreComponentsSummary: row.optionalString("score_components_summary"),
                    inferenceFailureCount: row.optionalInt("inference_failure_count"),
                    inferenceTotal: row.optionalInt("inference_total"), executionTime: row.optionalDouble("execution_time"),
                    updatedAt: try row.int("updated_at"), validatorHotkey: try row.string("validator_hotkey"),
                    phase: try row.string("phase"), raceID: row.optionalString("race_id"),
                    category: row.optionalString("category"), position: try row.int("position"))
            }
        }
    }

    // MARK: Leaderboard and top

    /// One page of the suite's leaderboard: ELIGIBLE, non-discarded versions by `final_score` descending, ties
    /// to the earlier submission; plus the total and the number of distinct miners over the whole board.
    /// Eligible, non-discarded versions of a suite ranked by qualifying `final_score` (ties to the earlier
    /// submission), or with `byRaceScore` only the versions that finished a race, ranked by `race_score`.
    /// `search` keeps versions whose agent name or miner hotkey starts with it (case-insensitive; oro-sdk 7.x `q`).
    public func leaderboard(suiteID: Int64, limit: Int64, offset: Int64, byRaceScore: Bool = false,
                            search: String? = nil) async throws
        -> (total: Int64, uniqueMiners: Int64, entries: [AgentVersionRecord])
    {
        try await database.read { db in
            var filter = " WHERE v.suite_id = ? AND v.state = 'ELIGIBLE' AND v.is_discarded = 0 AND v.final_score IS NOT NULL"
                + (byRaceScore ? " AND v.race_score IS NOT NULL" : "")
            var binds: [SQLValue] = [.int(suiteID)]
            if let search {
                let pattern = Self.likePrefix(search.lowercased())
                filter += " AND (LOWER(a.agent_name) LIKE ? ESCAPE '!' OR LOWER(v.miner_hotkey) LIKE ? ESCAPE '!')"
                binds += [.text(pattern), .text(pattern)]
            }
            let order = byRaceScore ? "v.race_score DESC" : "v.final_score DESC"
            let counts = try await db.first(
                "SELECT COUNT(*) AS total, COUNT(DISTINCT v.miner_hotkey) AS miners FROM agent_versions v"
                    + " JOIN agents a ON a.agent_id = v.agent_id" + filter,
                binds)
            let entries = try await db.query(
                AgentVersionRecord.select + filter
                    + " ORDER BY \(order), v.submitted_at ASC, v.agent_version_id ASC LIMIT ? OFFSET ?",
                binds + [.int(limit), .int(offset)]
            ).map { row throws(StoreError) in try AgentVersionRecord(row: row) }
            return (counts?.optionalInt("total") ?? 0, counts?.optionalInt("miners") ?? 0, entries)
        }
    }

    /// A LIKE pattern matching strings that start with `prefix`, with `!` escaping the wildcards `%`, `_` and `!`.
    static func likePrefix(_ prefix: String) -> String {
        var escaped = ""
        for character in prefix {
            if character == "%" || character == "_" || character == "!" { escaped.append("!") }
            escaped.append(character)
        }
        return escaped + "%"
    }

    /// Top holders, newest first: of one suite, or of every suite when `suiteID` is nil.
    public func topHistory(suiteID: Int64?) async throws -> [TopRecord] {
        try await database.read { db in
            let rows: [SQLRow]
            if let suiteID {
                rows = try await db.query(TopRecord.select + " WHERE t.suite_id = ? ORDER BY t.top_at DESC, t.agent_version_id", [.int(suiteID)])
            } else {
                rows = try await db.query(TopRecord.select + " ORDER BY t.top_at DESC, t.agent_version_id", [])
            }
            return try rows.map { row throws(StoreError) in try TopRecord(row: row) }
        }
    }

    /// The suite's current top holder (its `top_history` row with `ended_at` NULL), or nil.
    public func currentTop(suiteID: Int64) async throws -> TopRecord? {
        try await database.read { db in
            try await db.first(TopRecord.select + " WHERE t.suite_id = ? AND t.ended_at IS NULL ORDER BY t.top_at DESC LIMIT 1",
                               [.int(suiteID)])
                .map { row throws(StoreError) in try TopRecord(row: row) }
        }
    }

    // MARK: Evaluations and validators

    /// Runs holding a lease (CLAIMED or RUNNING) with their finished problem count and the suite's visible
    /// problem count, oldest claim first.
    public func runningRuns() async throws -> [(run: EvaluationRunRecord, finished: Int64, total: Int64)] {
        try await database.read { db in
            let runs = try await db.query(EvaluationRunRecord.select + " WHERE r.status IN ('CLAIMED', 'RUNNING') ORDER BY r.claimed_at, r.eval_run_id", [])
                .map { row throws(StoreError) in try EvaluationRunRecord(row: row) }
            var result: [(run: EvaluationRunRecord, finished: Int64, total: Int64)] = []
            for run in runs {
                let finished = try await db.scalarInt(
                    "SELECT COUNT(*) FROM run_problems WHERE eval_run_id = ? AND status IN ('SUCCESS', 'FAILED', 'TIMED_OUT', 'SKIPPED')",
                    [.text(run.evalRunID)]) ?? 0
                let total = try await db.scalarInt("SELECT COUNT(*) FROM problems WHERE suite_id = ? AND is_hidden = 0",
                                                   [.int(run.suiteID)]) ?? 0
                result.append((run, finished, total))
            }
            return result
        }
    }

    /// Open (neither closed nor cancelled) work items in claim order (`WorkQueue.claimOrder`), one page, with
    /// totals over all of them.
    public func pendingWork(suiteID: Int64?, limit: Int64, offset: Int64) async throws
        -> (items: [(item: WorkItemRecord, version: AgentVersionRecord)], total: Int64, runsNeeded: Int64, runsActive: Int64)
    {
        try await database.read { db in
            var filter = " WHERE w.is_closed = 0 AND w.is_cancelled = 0"
            var binds: [SQLValue] = []
            if let suiteID { filter += " AND w.suite_id = ?"; binds.append(.int(suiteID)) }
            let all = try await db.query(WorkItemRecord.select + filter + " ORDER BY " + WorkQueue.claimOrder, binds)
                .map { row throws(StoreError) in try WorkItemRecord(row: row) }
            let needed = all.reduce(Int64(0)) { $0 + max(0, $1.requiredSuccesses - $1.includedSuccessCount) }
            let active = all.reduce(Int64(0)) { $0 + $1.activeRuns }
            var page: [(item: WorkItemRecord, version: AgentVersionRecord)] = []
            for item in all.dropFirst(Int(min(offset, Int64(all.count)))).prefix(Int(limit)) {
                guard let row = try await db.first(AgentVersionRecord.select + " WHERE v.agent_version_id = ?",
                                                   [.text(item.agentVersionID)]) else { continue }
                page.append((item, try AgentVersionRecord(row: row)))
            }
            return (page, Int64(all.count), needed, active)
        }
    }

    /// Registered validators that are not banned, oldest registration first, each with its newest leased run.
    public func validators() async throws -> [ValidatorRecord] {
        try await database.read { db in
            let rows = try await db.query(
                "SELECT hotkey, name, registered_at, last_claim_at, last_seen_at, service_versions FROM identities WHERE role = 'validator' AND is_banned = 0 ORDER BY registered_at, hotkey",
                [])
            var result: [ValidatorRecord] = []
            for row in rows {
                let hotkey = try row.string("hotkey")
                let current = try await db.first(
                    EvaluationRunRecord.select + " WHERE r.validator_hotkey = ? AND r.status IN ('CLAIMED', 'RUNNING') ORDER BY r.claimed_at DESC LIMIT 1",
                    [.text(hotkey)]
                ).map { row throws(StoreError) in try EvaluationRunRecord(row: row) }
                result.append(ValidatorRecord(
                    hotkey: hotkey, name: row.optionalString("name"), registeredAt: try row.int("registered_at"),
                    lastClaimAt: row.optionalInt("last_claim_at"), lastSeenAt: row.optionalInt("last_seen_at"),
                    serviceVersions: row.optionalString("service_versions"), currentRun: current))
            }
            return result
        }
    }

    // MARK: Artifacts

    /// The logs object key a run recorded for one problem, or nil.
    public func problemLogsKey(evalRunID: String, problemID: String) async throws -> String? {
        try await database.read { db in
            try await db.first("SELECT logs_s3_key FROM run_problems WHERE eval_run_id = ? AND problem_id = ?",
                               [.text(evalRunID), .text(problemID)])?.optionalString("logs_s3_key")
        }
    }

    /// The sha256 of the blob holding a stored object, or nil when no such object exists.
    public func objectSHA256(key: String) async throws -> String? {
        try await database.read { db in
            try await db.first("SELECT sha256 FROM objects WHERE object_key = ?", [.text(key)])?.optionalString("sha256")
        }
    }

    /// Whether a blob may be downloaded publicly at `now`: the code of a released version, or a stored object
    /// that is neither the logs of a hidden problem nor the results bundle of a race run (both would reveal
    /// hidden problems).
    public func isPublicBlob(sha256: String, now: Int64) async throws -> Bool {
        try await database.read { db in
            let code = try await db.scalarInt(
                "SELECT COUNT(*) FROM agent_versions WHERE code_sha256 = ? AND code_available_at IS NOT NULL AND code_available_at <= ?",
                [.text(sha256), .int(now)]) ?? 0
            if code > 0 { return true }
            let objects = try await db.scalarInt(
                """
                SELECT COUNT(*) FROM objects o WHERE o.sha256 = ?
                AND NOT EXISTS (SELECT 1 FROM run_problems rp
                    JOIN evaluation_runs r ON r.eval_run_id = rp.eval_run_id
                    JOIN problems p ON p.suite_id = r.suite_id AND p.problem_id = rp.problem_id
                    WHERE rp.logs_s3_key = o.object_key AND p.is_hidden = 1)
                AND NOT EXISTS (SELECT 1 FROM evaluation_runs r2 WHERE r2.results_s3_key = o.object_key AND r2.phase = 'RACE')
                """, [.text(sha256)]) ?? 0
            return objects > 0
        }
    }
}
