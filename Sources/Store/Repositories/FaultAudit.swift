/// What the fault bench checks after a storm of crashes (issue 19): every invariant as a count of violations, so
/// zero means it holds. Read-only; both dialects.
public struct FaultAuditReport: Sendable, Equatable {
    /// Agent versions by state.
    public var versionsByState: [String: Int64]
    /// Included runs beyond a work item's required successes, plus included runs a work item's counter does not
    /// match, plus second included runs of one validator on one item.
    public var runsDoubleCounted: Int64
    /// (included run, suite problem) pairs without a progress row.
    public var missingProblems: Int64
    /// Extra corpus records of one (run, problem).
    public var corpusDuplicates: Int64
    /// (included run, suite problem) pairs without a corpus record.
    public var corpusMissing: Int64
    /// Runs left CLAIMED or RUNNING (nothing should be in flight once the arena is drained).
    public var runsInFlight: Int64
    /// SQLite `PRAGMA integrity_check` and `foreign_key_check`; on PostgreSQL, that every table answers a count.
    public var integrityOK: Bool
    /// The integrity check's own words when it failed.
    public var integrityDetail: String
}

/// Reads the fault invariants from the store (see ``FaultAuditReport``).
public struct FaultAudit: Sendable {
    /// The database audited.
    public let database: any SQLDatabase

    /// An audit of `database`.
    public init(database: any SQLDatabase) { self.database = database }

    /// Reads every invariant in one read and returns the counts.
    public func run() async throws -> FaultAuditReport {
        try await database.read { db in
            var states: [String: Int64] = [:]
            for row in try await db.query("SELECT state, COUNT(*) AS n FROM agent_versions GROUP BY state", []) {
                states[try row.string("state")] = try row.int("n")
            }
            let overRequired = try await db.scalarInt(
                """
                SELECT CAST(COALESCE(SUM(CASE WHEN n > w.required_successes THEN n - w.required_successes ELSE 0 END
                    + CASE WHEN n <> w.included_success_count THEN 1 ELSE 0 END), 0) AS BIGINT)
                FROM work_items w JOIN (SELECT work_item_id, COUNT(*) AS n FROM evaluation_runs
                    WHERE is_included = 1 GROUP BY work_item_id) c ON c.work_item_id = w.work_item_id
                """, []) ?? 0
            let counterWithoutRuns = try await db.scalarInt(
                """
                SELECT COUNT(*) FROM work_items w WHERE w.included_success_count > 0 AND NOT EXISTS
                    (SELECT 1 FROM evaluation_runs r WHERE r.work_item_id = w.work_item_id AND r.is_included = 1)
                """, []) ?? 0
            let sameValidator = try await db.scalarInt(
                """
                SELECT CAST(COALESCE(SUM(n - 1), 0) AS BIGINT) FROM (SELECT work_item_id, validator_hotkey, COUNT(*) AS n
                    FROM evaluation_runs WHERE is_included = 1 GROUP BY work_item_id, validator_hotkey) g WHERE n > 1
                """, []) ?? 0
            let includedNotSuccess = try await db.scalarInt(
                "SELECT COUNT(*) FROM evaluation_runs WHERE is_included = 1 AND status <> 'SUCCESS'", []) ?? 0
            let missing = try await db.scalarInt(
                """
                SELECT COUNT(*) FROM evaluation_runs r JOIN problems p ON p.suite_id = r.suite_id AND p.is_hidden = 0
                WHERE r.is_included = 1 AND NOT EXISTS
                    (SELECT 1 FROM run_problems rp WHERE rp.eval_run_id = r.eval_run_id AND rp.problem_id = p.problem_id)
                """, []) ?? 0
            let duplicates = try await db.scalarInt(
                """
                SELECT CAST(COALESCE(SUM(n - 1), 0) AS BIGINT) FROM (SELECT eval_run_id, problem_id, COUNT(*) AS n FROM trajectories
                    GROUP BY eval_run_id, problem_id) g WHERE n > 1
                """, []) ?? 0
            let corpusMissing = try await db.scalarInt(
                """
                SELECT COUNT(*) FROM evaluation_runs r JOIN problems p ON p.suite_id = r.suite_id AND p.is_hidden = 0
                WHERE r.is_included = 1 AND NOT EXISTS
                    (SELECT 1 FROM trajectories t WHERE t.eval_run_id = r.eval_run_id AND t.problem_id = p.problem_id)
                """, []) ?? 0
            let inFlight = try await db.scalarInt(
                "SELECT COUNT(*) FROM evaluation_runs WHERE status IN ('CLAIMED', 'RUNNING')", []) ?? 0
            var detail = "ok"
            var ok = true
            switch db.dialect {
            case .sqlite:
                let words = try await db.query("PRAGMA integrity_check", []).compactMap { $0.optionalString("integrity_check") }
                let foreign = try await db.query("PRAGMA foreign_key_check", []).count
                ok = words == ["ok"] && foreign == 0
                if !ok { detail = words.joined(separator: "; ") + (foreign > 0 ? "; \(foreign) foreign key violations" : "") }
            case .postgres:
                for table in ["identities", "agent_versions", "work_items", "evaluation_runs", "run_problems", "trajectories"] {
                    _ = try await db.scalarInt("SELECT COUNT(*) FROM " + table, [])
                }
            }
            return FaultAuditReport(
                versionsByState: states,
                runsDoubleCounted: overRequired + counterWithoutRuns + sameValidator + includedNotSuccess,
                missingProblems: missing, corpusDuplicates: duplicates, corpusMissing: corpusMissing,
                runsInFlight: inFlight, integrityOK: ok, integrityDetail: detail)
        }
    }
}

extension FaultAudit {
    /// How many acknowledged writes are absent: agent versions, progress rows (run, problem) and completed runs
    /// (a run acknowledged as completed must no longer be CLAIMED, RUNNING or STALE).
    public func missingAcknowledged(versions: [String], progress: [(run: String, problem: String)], completes: [String])
        async throws -> (versions: Int, progress: Int, completes: Int)
    {
        try await database.read { db in
            var lostVersions = 0
            for id in versions {
                let row = try await db.first("SELECT 1 AS one FROM agent_versions WHERE agent_version_id = ?", [.text(id)])
                if row == nil { lostVersions += 1 }
            }
            var lostProgress = 0
            for entry in progress {
                let row = try await db.first("SELECT 1 AS one FROM run_problems WHERE eval_run_id = ? AND problem_id = ?",
                                             [.text(entry.run), .text(entry.problem)])
                if row == nil { lostProgress += 1 }
            }
            var lostCompletes = 0
            for id in completes {
                let status = try await db.first("SELECT status FROM evaluation_runs WHERE eval_run_id = ?", [.text(id)])?.optionalString("status")
                if ["CLAIMED", "RUNNING", "STALE"].contains(status ?? "STALE") { lostCompletes += 1 }
            }
            return (lostVersions, lostProgress, lostCompletes)
        }
    }
}
