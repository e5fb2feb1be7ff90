import ArenaModel
import Corpus

/// What the corpus ingest needs about one completed run: provenance, the run-level judge figures, and per problem of
/// the run its progress row and where its log is stored.
public struct RunIngestSource: Sendable {
    /// One problem of the run.
    public struct Problem: Sendable {
        /// The problem's id within the suite.
        public var problemID: String
        /// The suite row's `metadata` JSON text (holds `query` and `category`).
        public var metadataJSON: String
        /// product, shop or voucher.
        public var category: String?
        /// Whether it is a hidden (race) problem, whose records are never exported.
        public var isHidden: Bool
        /// The validator's progress row; nil when it never reported this problem.
        public var progress: RunProblemProgress?
        /// The stored log object (key → sha256) of the problem; nil when no upload completed.
        public var log: (key: String, sha256: String)?
    }

    /// The run.
    public var evalRunID: String
    /// The agent version it evaluated.
    public var agentVersionID: String
    /// The agent's name.
    public var agentName: String
    /// The miner's hotkey.
    public var minerHotkey: String
    /// The validator that ran it.
    public var validatorHotkey: String
    /// The suite it ran.
    public var suiteID: Int64
    /// The suite's version (nil when the suite row is gone).
    public var suiteVersion: Int64?
    /// QUALIFYING or RACE.
    public var phase: String
    /// The race of a race-phase run.
    public var raceID: String?
    /// Whether the run counts toward its version's score.
    public var isIncluded: Bool
    /// When it completed, epoch milliseconds.
    public var completedAt: Int64?
    /// The run's reasoning coefficient.
    public var reasoningCoefficient: Double?
    /// What the validator reported at claim/heartbeat (JSON text).
    public var serviceVersions: String?
    /// Every problem of the run, in suite order.
    public var problems: [Problem]
}

/// Filters of the admin listing; nil fields do not filter.
public struct TrajectoryQuery: Sendable, Equatable {
    /// Only records of this run.
    public var evalRunID: String?
    /// Only records of this agent version.
    public var agentVersionID: String?
    /// Only records of this problem.
    public var problemID: String?
    /// Only records with this judge verdict.
    public var verdict: String?
    /// Only accepted (true) or only rejected (false) records.
    public var accepted: Bool?
    /// Only records of this problem category.
    public var category: String?
    /// Only records of this phase.
    public var phase: String?
    /// Reject reason code (any of the record's reasons).
    public var rejectReason: String?
    /// Include never-export (hidden race) records.
    public var includeHidden = true

    /// A query; every filter defaults to none.
    public init(evalRunID: String? = nil, agentVersionID: String? = nil, problemID: String? = nil, verdict: String? = nil,
                accepted: Bool? = nil, category: String? = nil, phase: String? = nil, rejectReason: String? = nil,
                includeHidden: Bool = true) {
        self.evalRunID = evalRunID
        self.agentVersionID = agentVersionID
        self.problemID = problemID
        self.verdict = verdict
        self.accepted = accepted
        self.category = category
        self.phase = phase
        self.rejectReason = rejectReason
        self.includeHidden = includeHidden
    }
}

/// The trajectory corpus in SQL: which runs still need ingesting, what ingest reads, idempotent writes, the admin
/// listing and the statistics. Writes are upserts keyed by (run, problem), and a run is marked done in the same
/// transaction as its records, so a re-sent complete, a retried ingest or a backfill never duplicates a record and
/// a crash mid-ingest leaves the run pending (nothing lost).
public struct TrajectoryRepository: Sendable {
    /// The database holding the corpus tables.
    public let database: any SQLDatabase

    /// A repository over `database`.
    public init(database: any SQLDatabase) { self.database = database }

    /// Completed SUCCESS runs without the ingest mark, oldest completion first.
    public func pendingRuns(limit: Int = 100) async throws -> [String] {
        try await database.read { db in
            try await db.query(
                """
                SELECT r.eval_run_id FROM evaluation_runs r
                WHERE r.status = 'SUCCESS' AND NOT EXISTS (SELECT 1 FROM corpus_runs c WHERE c.eval_run_id = r.eval_run_id)
                ORDER BY r.completed_at, r.eval_run_id LIMIT ?
                """, [.int(Int64(max(1, limit)))]).map { row throws(StoreError) in try row.string("eval_run_id") }
        }
    }

    /// Whether a run's ingest finished.
    public func isIngested(runID: String) async throws -> Bool {
        try await database.read { db in
            (try await db.scalarInt("SELECT COUNT(*) FROM corpus_runs WHERE eval_run_id = ?", [.text(runID)]) ?? 0) > 0
        }
    }

    /// Everything ingest reads about `runID`, or nil when the run does not exist or did not complete SUCCESS.
    public func ingestSource(runID: String) async throws -> RunIngestSource? {
        try await database.read { db -> RunIngestSource? in
            guard let row = try await db.first(
                """
                SELECT r.eval_run_id, r.work_item_id, r.agent_version_id, r.suite_id, r.validator_hotkey, r.status, r.phase, r.race_id,
                    r.lease_expires_at, r.is_included, r.completed_at, r.reasoning_coefficient, r.service_versions,
                    v.miner_hotkey, a.agent_name, s.suite_version
                FROM evaluation_runs r
                JOIN agent_versions v ON v.agent_version_id = r.agent_version_id
                JOIN agents a ON a.agent_id = v.agent_id
                LEFT JOIN suites s ON s.suite_id = r.suite_id
                WHERE r.eval_run_id = ?
                """, [.text(runID)])
            else { return nil }
            let run = try RunRecord(row: row)
            guard run.status == .success else { return nil }
            let filter = WorkQueue.problemFilter(for: run)
            let problemRows = try await db.query(
                "SELECT problem_id, metadata, category, is_hidden FROM problems WHERE \(filter.sql) ORDER BY position, problem_id",
                filter.binds)
            let progress = try await db.query(
                """
                SELECT p.problem_id, p.status, p.score, p.reasoning_score, p.score_components_summary, p.logs_s3_key,
                    p.inference_failure_count, p.inference_total, p.execution_time, p.updated_at, o.sha256
                FROM run_problems p LEFT JOIN objects o ON o.object_key = p.logs_s3_key
                WHERE p.eval_run_id = ?
                """, [.text(runID)])
            var byProblem: [String: (RunProblemProgress, String?)] = [:]
            for p in progress {
                let record = RunProblemProgress(
                    problemID: try p.string("problem_id"), status: try p.string("status"), score: p.optionalDouble("score"),
                    reasoningScore: p.optionalDouble("reasoning_score"), scoreComponentsSummary: p.optionalString("score_components_summary"),
                    logsS3Key: p.optionalString("logs_s3_key"), inferenceFailureCount: p.optionalInt("inference_failure_count"),
                    inferenceTotal: p.optionalInt("inference_total"), executionTime: p.optionalDouble("execution_time"),
                    updatedAt: try p.int("updated_at"))
                byProblem[record.problemID] = (record, p.optionalString("sha256"))
            }
            let problems = try problemRows.map { p throws(StoreError) -> RunIngestSource.Problem in
                let id = try p.string("problem_id")
                let entry = byProblem[id]
                var log: (key: String, sha256: String)?
                if let key = entry?.0.logsS3Key, let sha = entry?.1 { log = (key, sha) }
                return RunIngestSource.Problem(problemID: id, metadataJSON: try p.string("metadata"), category: p.optionalString("category"),
                                               isHidden: try p.bool("is_hidden"), progress: entry?.0, log: log)
            }
            return RunIngestSource(
                evalRunID: run.evalRunID, agentVersionID: run.agentVersionID, agentName: try row.string("agent_name"),
                minerHotkey: try row.string("miner_hotkey"), validatorHotkey: run.validatorHotkey, suiteID: run.suiteID,
                suiteVersion: row.optionalInt("suite_version"), phase: run.phase.rawValue, raceID: run.raceID,
                isIncluded: try row.bool("is_included"), completedAt: row.optionalInt("completed_at"),
                reasoningCoefficient: row.optionalDouble("reasoning_coefficient"), serviceVersions: row.optionalString("service_versions"),
                problems: problems)
        }
    }

    /// Upserts `records` (keyed by run and problem) and, when `completing` names a run, marks it ingested with its
    /// record count — all in one transaction. Re-running with the same records changes nothing but the verdict columns'
    /// values, which are recomputed identically; the first `ingested_at` is kept.
    public func store(_ records: [TrajectoryRecord], completing runID: String? = nil, now: Int64) async throws {
        try await database.transaction { db in
            try await Self.upsert(records, in: db)
            if let runID {
                try await db.execute(
                    """
                    INSERT INTO corpus_runs (eval_run_id, trajectory_count, ingested_at) VALUES (?, ?, ?)
                    ON CONFLICT (eval_run_id) DO UPDATE SET trajectory_count = excluded.trajectory_count
                    """, [.text(runID), .int(Int64(records.count)), .int(now)])
            }
        }
    }

    static let columns = [
        "trajectory_id", "eval_run_id", "problem_id", "agent_version_id", "agent_name", "miner_hotkey", "validator_hotkey", "suite_id",
        "suite_version", "category", "phase", "race_id", "is_hidden", "is_included", "never_export", "envelope_status", "success",
        "outcome", "reasoning_score", "reasoning_coefficient", "judge_kind", "judge_model", "judge_explanation", "trusted_log",
        "inference_calls", "prompt_tokens", "completion_tokens", "search_calls", "execution_time", "completed_at", "ingested_at",
        "versions", "dialogue_key", "dialogue_sha256", "dialect", "accepted", "reject_reasons", "primary_reject", "token_count",
        "catalog_checked", "unknown_product_ids", "features", "verdict", "agentic_richness", "dispatches", "proposed_dispatches",
        "inference_replies", "proposals",
    ]

    /// Rows per INSERT: 48 columns × 100 rows stays far below both drivers' bind limits.
    static let rowsPerStatement = 100

    static func upsert(_ records: [TrajectoryRecord], in db: any SQLExecutor) async throws {
        let keep: Set<String> = ["trajectory_id", "eval_run_id", "problem_id", "ingested_at"]
        let updates = columns.filter { !keep.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var start = 0
        while start < records.count {
            let chunk = records[start..<min(records.count, start + rowsPerStatement)]
            let sql = "INSERT INTO trajectories (\(columns.joined(separator: ", "))) VALUES "
                + Array(repeating: tuple, count: chunk.count).joined(separator: ", ")
                + " ON CONFLICT (eval_run_id, problem_id) DO UPDATE SET \(updates)"
            var binds: [SQLValue] = []
            binds.reserveCapacity(chunk.count * columns.count)
            for record in chunk { binds += values(record) }
            try await db.execute(sql, binds)
            start += chunk.count
        }
    }

    static func values(_ r: TrajectoryRecord) -> [SQLValue] {
        let p = r.provenance
        let writer = JSONWriter()
        return [
            .text(r.trajectoryID), .text(p.evalRunID), .text(p.problemID), .text(p.agentVersionID), .text(p.agentName),
            .text(p.minerHotkey), .text(p.validatorHotkey), .int(p.suiteID), .optional(p.suiteVersion), .optional(p.category),
            .text(p.phase), .optional(p.raceID), .bool(p.isHidden), .bool(p.isIncluded), .bool(r.neverExport),
            .text(r.envelopeStatus), .bool(r.success), r.outcome.isNull ? .null : .text(writer.string(r.outcome)),
            .optional(r.judge.reasoningScore), .optional(r.judge.reasoningCoefficient), .text(r.judge.kind), .optional(r.judge.model),
            .optional(r.judge.explanation), .text(writer.string(r.log.json)), .int(Int64(r.log.inferenceCalls)),
            .int(Int64(r.log.promptTokens)), .int(Int64(r.log.completionTokens)), .int(Int64(r.log.searchCalls)),
            .optional(r.executionTime), .optional(r.completedAt), .int(r.ingestedAt), .text(writer.string(r.versions)),
            .optional(r.dialogueKey), .optional(r.dialogueSHA256), .optional(r.dialect?.rawValue), .bool(r.filter.accepted),
            .text(r.filter.reasons.map(\.rawValue).joined(separator: ",")), .optional(r.filter.primaryReason?.rawValue),
            .int(Int64(r.filter.tokenCount)), .bool(r.filter.catalogChecked),
            .text(writer.string(.array(r.filter.unknownProductIDs.map(JSONValue.string)))), .text(writer.string(r.features.json)),
            .text(r.agentic.verdict.rawValue), .optional(r.agentic.richness), .int(Int64(r.agentic.dispatches)),
            .int(Int64(r.agentic.proposedDispatches)), .int(Int64(r.agentic.inferenceReplies)), .int(Int64(r.agentic.proposals)),
        ]
    }

    static func record(_ row: SQLRow) throws(StoreError) -> TrajectoryRecord {
        func json(_ column: String) -> JSONValue {
            guard let text = row.optionalString(column), let value = try? JSONParser.parse(text) else { return .null }
            return value
        }
        let provenance = TrajectoryProvenance(
            evalRunID: try row.string("eval_run_id"), agentVersionID: try row.string("agent_version_id"),
            agentName: try row.string("agent_name"), minerHotkey: try row.string("miner_hotkey"),
            validatorHotkey: try row.string("validator_hotkey"), suiteID: try row.int("suite_id"),
            suiteVersion: row.optionalInt("suite_version"), problemID: try row.string("problem_id"), category: row.optionalString("category"),
            phase: try row.string("phase"), raceID: row.optionalString("race_id"), isHidden: try row.bool("is_hidden"),
            isIncluded: try row.bool("is_included"))
        let log = json("trusted_log")
        var facts = TrustedLogFacts()
        func int(_ k: String) -> Int { Int(log[k]?.intValue ?? 0) }
        facts.inferenceCalls = int("inference_calls")
        facts.inferenceFailures = int("inference_failures")
        facts.promptTokens = int("prompt_tokens")
        facts.completionTokens = int("completion_tokens")
        facts.searchCalls = int("search_calls")
        facts.searchFailures = int("search_failures")
        facts.otherCalls = int("other_calls")
        facts.inferenceMillis = log["inference_ms"]?.numberValue ?? 0
        facts.searchMillis = log["search_ms"]?.numberValue ?? 0
        facts.firstCallAt = log["first_call_at"]?.intValue
        facts.lastCallAt = log["last_call_at"]?.intValue
        let reasons = (row.optionalString("reject_reasons") ?? "").split(separator: ",").compactMap { RejectReason(rawValue: String($0)) }
        let filter = FilterVerdict(
            reasons: reasons, tokenCount: Int(try row.int("token_count")), catalogChecked: try row.bool("catalog_checked"),
            unknownProductIDs: json("unknown_product_ids").arrayValue?.compactMap(\.stringValue) ?? [])
        let agentic = AgenticAssessment(
            verdict: AgenticVerdict(rawValue: try row.string("verdict")) ?? .noLLM, richness: row.optionalDouble("agentic_richness"),
            dispatches: Int(try row.int("dispatches")), proposedDispatches: Int(try row.int("proposed_dispatches")),
            inferenceReplies: Int(try row.int("inference_replies")), proposals: Int(try row.int("proposals")))
        return TrajectoryRecord(
            trajectoryID: try row.string("trajectory_id"), provenance: provenance, envelopeStatus: try row.string("envelope_status"),
            success: try row.bool("success"), outcome: json("outcome"),
            judge: JudgeFacts(reasoningScore: row.optionalDouble("reasoning_score"),
                              reasoningCoefficient: row.optionalDouble("reasoning_coefficient"), kind: try row.string("judge_kind"),
                              model: row.optionalString("judge_model"), explanation: row.optionalString("judge_explanation")),
            log: facts, executionTime: row.optionalDouble("execution_time"), completedAt: row.optionalInt("completed_at"),
            ingestedAt: try row.int("ingested_at"), versions: json("versions"), dialogueKey: row.optionalString("dialogue_key"),
            dialogueSHA256: row.optionalString("dialogue_sha256"), dialect: row.optionalString("dialect").flatMap(DialogueDialect.init(rawValue:)),
            filter: filter, features: StructuralFeatures(json: json("features")) ?? StructuralFeatures(), agentic: agentic,
            neverExport: try row.bool("never_export"))
    }

    /// One record by id.
    public func record(id: String) async throws -> TrajectoryRecord? {
        try await database.read { db in
            try await db.first("SELECT \(Self.columns.joined(separator: ", ")) FROM trajectories WHERE trajectory_id = ?", [.text(id)])
                .map(Self.record)
        }
    }

    static func whereClause(_ q: TrajectoryQuery) -> (String, [SQLValue]) {
        var parts: [String] = []
        var binds: [SQLValue] = []
        func add(_ sql: String, _ value: SQLValue) {
            parts.append(sql)
            binds.append(value)
        }
        if let v = q.evalRunID { add("eval_run_id = ?", .text(v)) }
        if let v = q.agentVersionID { add("agent_version_id = ?", .text(v)) }
        if let v = q.problemID { add("problem_id = ?", .text(v)) }
        if let v = q.verdict { add("verdict = ?", .text(v)) }
        if let v = q.accepted { add("accepted = ?", .bool(v)) }
        if let v = q.category { add("category = ?", .text(v)) }
        if let v = q.phase { add("phase = ?", .text(v)) }
        if let v = q.rejectReason {
            add("(',' || reject_reasons || ',') LIKE ?", .text("%,\(v),%"))
        }
        if !q.includeHidden { parts.append("never_export = 0") }
        return (parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND "), binds)
    }

    /// A page of records matching `query`, newest ingest first, and how many match in all.
    public func list(_ query: TrajectoryQuery, limit: Int, offset: Int) async throws -> (total: Int, records: [TrajectoryRecord]) {
        let (clause, binds) = Self.whereClause(query)
        return try await database.read { db in
            let total = try await db.scalarInt("SELECT COUNT(*) FROM trajectories" + clause, binds) ?? 0
            let rows = try await db.query(
                "SELECT \(Self.columns.joined(separator: ", ")) FROM trajectories\(clause) ORDER BY ingested_at DESC, trajectory_id LIMIT ? OFFSET ?",
                binds + [.int(Int64(limit)), .int(Int64(offset))])
            return (Int(total), try rows.map(Self.record))
        }
    }

    /// How many records a run has.
    public func count(runID: String) async throws -> Int {
        try await database.read { db in
            Int(try await db.scalarInt("SELECT COUNT(*) FROM trajectories WHERE eval_run_id = ?", [.text(runID)]) ?? 0)
        }
    }

    /// Corpus statistics. `publicOnly`: never-export records are left out of every figure and counted only in
    /// `withheldHidden`.
    public func stats(publicOnly: Bool, runIDs: [String]? = nil) async throws -> CorpusStats {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if publicOnly { conditions.append("never_export = 0") }
        if let runIDs {
            conditions.append(runIDs.isEmpty ? "1 = 0" : "eval_run_id IN (" + Array(repeating: "?", count: runIDs.count).joined(separator: ", ") + ")")
            binds += runIDs.map(SQLValue.text)
        }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let finalConditions = conditions
        let finalBinds = binds
        return try await database.read { db in
            var stats = CorpusStats()
            if let row = try await db.first(
                "SELECT COUNT(*) AS total, CAST(SUM(accepted) AS BIGINT) AS accepted, AVG(agentic_richness) AS richness FROM trajectories" + clause, finalBinds)
            {
                stats.total = Int(row.optionalInt("total") ?? 0)
                stats.accepted = Int(row.optionalInt("accepted") ?? 0)
                stats.meanRichness = row.optionalDouble("richness")
            }
            func grouped(_ expression: String, extra: String? = nil) async throws -> [String: Int] {
                let parts = finalConditions + (extra.map { [$0] } ?? [])
                let whereSQL = parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND ")
                var out: [String: Int] = [:]
                for row in try await db.query(
                    "SELECT \(expression) AS k, COUNT(*) AS n FROM trajectories\(whereSQL) GROUP BY \(expression)", finalBinds)
                {
                    out[row.optionalString("k") ?? "unknown", default: 0] += Int(try row.int("n"))
                }
                return out
            }
            stats.byCategory = try await grouped("COALESCE(category, 'unknown')")
            stats.byVerdict = try await grouped("verdict")
            stats.byRejectReason = try await grouped("primary_reject", extra: "primary_reject IS NOT NULL")
            stats.byAgent = try await grouped("agent_name")
            stats.byPhase = try await grouped("phase")
            stats.byDialect = try await grouped("COALESCE(dialect, 'none')")
            if publicOnly {
                let hiddenConditions = ["never_export = 1"] + finalConditions.filter { $0 != "never_export = 0" }
                stats.withheldHidden = Int(try await db.scalarInt(
                    "SELECT COUNT(*) FROM trajectories WHERE " + hiddenConditions.joined(separator: " AND "), finalBinds) ?? 0)
            }
            return stats
        }
    }
}
