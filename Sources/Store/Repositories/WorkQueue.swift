import ArenaModel
import Foundation

/// Status of an evaluation run (oro-sdk `EvaluationRunStatus`).
public enum RunStatus: String, Sendable, CaseIterable {
    /// Claimed, no heartbeat yet.
    case claimed = "CLAIMED"
    /// Heartbeating: the validator is working on it.
    case running = "RUNNING"
    /// Completed with a score.
    case success = "SUCCESS"
    /// Completed as failed, with a reason.
    case failed = "FAILED"
    /// Completed as timed out.
    case timedOut = "TIMED_OUT"
    /// The lease lapsed before completion; the work was reopened.
    case stale = "STALE"
    /// Stopped by an admin (e.g. its version was discarded).
    case cancelled = "CANCELLED"

    /// CLAIMED or RUNNING: the run holds a slot while its lease lasts.
    public var isActive: Bool { self == .claimed || self == .running }
}

/// Why a queue operation was refused. Each case maps to one error code of the API (oro-api.md §3).
public enum WorkQueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The validator already holds an active run (409 AT_CAPACITY).
    case atCapacity(evalRunID: String)
    /// No run with this id (404 EVAL_RUN_NOT_FOUND).
    case runNotFound(String)
    /// The run belongs to another validator (409 NOT_RUN_OWNER).
    case notRunOwner(String)
    /// The run already reached a terminal status (409 RUN_ALREADY_COMPLETE).
    case runAlreadyComplete(String, status: String)
    /// The run's lease lapsed; it is (now) STALE (409 LEASE_EXPIRED).
    case leaseExpired(String)
    /// A progress update named a problem that is not part of the run (400 INVALID_PROBLEM_ID).
    case invalidProblemID(String)
    /// A presign named a problem that is not part of the run (404 PROBLEM_NOT_FOUND).
    case problemNotFound(String)

    /// The refusal in words a validator operator can act on.
    public var description: String {
        switch self {
        case .atCapacity(let id): return "this validator already holds the active run \(id); complete it first"
        case .runNotFound(let id): return "evaluation run \(id) not found"
        case .notRunOwner(let id): return "evaluation run \(id) belongs to another validator"
        case .runAlreadyComplete(let id, let status): return "evaluation run \(id) is already complete (\(status))"
        case .leaseExpired(let id): return "the lease of evaluation run \(id) lapsed; the run is STALE and its work was reopened"
        case .invalidProblemID(let id): return "problem \(id) is not part of this evaluation run"
        case .problemNotFound(let id): return "problem \(id) is not part of this evaluation run"
        }
    }
}

/// A claimed run, as the claim answer needs it.
public struct ClaimedRun: Sendable, Equatable {
    /// The new run's id.
    public var evalRunID: String
    /// The work item it was claimed for.
    public var workItemID: String
    /// The agent version to evaluate.
    public var agentVersionID: String
    /// The suite to run.
    public var suiteID: Int64
    /// Qualifying or race.
    public var phase: EvaluationPhase
    /// When the lease lapses unless a heartbeat extends it, epoch milliseconds.
    public var leaseExpiresAt: Int64
    /// The miner whose agent it is (whose credential pays for inference).
    public var minerHotkey: String
    /// The miner's stored inference credential exactly as stored (encrypted at rest by the miner routes), or nil.
    public var storedInferenceCredential: String?
}

/// The columns of one evaluation run that the queue checks.
public struct RunRecord: Sendable, Equatable {
    /// The run's id.
    public var evalRunID: String
    /// Its work item.
    public var workItemID: String
    /// The agent version it evaluates.
    public var agentVersionID: String
    /// The suite it runs.
    public var suiteID: Int64
    /// The validator holding it.
    public var validatorHotkey: String
    /// Where it stands.
    public var status: RunStatus
    /// Qualifying or race.
    public var phase: EvaluationPhase
    /// The race of a race-phase run.
    public var raceID: String?
    /// When its lease lapses, epoch milliseconds.
    public var leaseExpiresAt: Int64

    static let columns = "eval_run_id, work_item_id, agent_version_id, suite_id, validator_hotkey, status, phase, race_id, lease_expires_at"

    init(row: SQLRow) throws(StoreError) {
        evalRunID = try row.string("eval_run_id")
        workItemID = try row.string("work_item_id")
        agentVersionID = try row.string("agent_version_id")
        suiteID = try row.int("suite_id")
        validatorHotkey = try row.string("validator_hotkey")
        let statusText = try row.string("status")
        guard let status = RunStatus(rawValue: statusText) else {
            throw .decoding(column: "status", expected: "EvaluationRunStatus", found: .text(statusText))
        }
        self.status = status
        phase = EvaluationPhase(rawValue: try row.string("phase")) ?? .qualifying
        raceID = row.optionalString("race_id")
        leaseExpiresAt = try row.int("lease_expires_at")
    }
}

/// The validator work queue: FIFO claims with leases, heartbeats, per-problem progress, completion with
/// "X successes from distinct validators" eligibility, and the lease reaper.
///
/// The queue is fair: a work item whose runs fail is backed off (`retry_at`) and, at the attempt limit of its
/// `RunRetryPolicy`, parked with the reason, so one poisoned item never starves the items behind it. Claims
/// take ready items ordered by the time they became ready (`COALESCE(retry_at, queued_at)`, then `seq`).
/// An item held back because the miner had no working inference credential is ready again as soon as the
/// miner stores a new one (`identities.credential_updated_at` later than the failure).
///
/// Every state change runs in one transaction. On PostgreSQL concurrent claimers skip each other's locked
/// work items (`FOR UPDATE SKIP LOCKED`) and re-count a locked item's active runs with a fresh statement, so an
/// item is never handed out beyond its `required_successes`; on SQLite write transactions are serialised.
/// A run is active while CLAIMED/RUNNING *and* its lease has not lapsed (`lease_expires_at >= now`), so a
/// lapsed lease frees its slot at once, even before the reaper marks it STALE.
public struct WorkQueue: Sendable {
    /// The database the queue lives in.
    public let database: any SQLDatabase
    /// Lease length granted by a claim or a heartbeat, in milliseconds.
    public let leaseMillis: Int64
    /// Back-off and attempt limits applied when runs fail.
    public let retryPolicy: RunRetryPolicy

    /// A queue granting leases of `leaseSeconds`, backing off failing items by `retryPolicy`.
    public init(database: any SQLDatabase, leaseSeconds: Double, retryPolicy: RunRetryPolicy = .default) {
        self.database = database
        self.leaseMillis = Int64((leaseSeconds * 1000).rounded())
        self.retryPolicy = retryPolicy
    }

    /// Either a value or a refusal decided inside a transaction. Refusals that must still commit a change
    /// (marking a lapsed run STALE) are returned, not thrown, so the transaction commits.
    enum Outcome<T: Sendable>: Sendable {
        case done(T)
        case refused(WorkQueueError)

        func get() throws(WorkQueueError) -> T {
            switch self {
            case .done(let value): return value
            case .refused(let error): throw error
            }
        }
    }

    // MARK: Claim

    /// Claims the oldest open work item this validator may take, or returns nil when there is none.
    ///
    /// Throws `WorkQueueError.atCapacity` when the validator already holds an active run.
    /// `serviceVersions` is the JSON text of the validator's reported versions (kept when nil).
    public func claim(validator: String, serviceVersions: String?, now: Int64) async throws -> ClaimedRun? {
        let leaseMillis = self.leaseMillis
        let outcome: Outcome<ClaimedRun?> = try await database.transaction { db in
            // One claim at a time per validator (PostgreSQL; SQLite is serialised anyway).
            _ = try await db.first("SELECT hotkey FROM identities WHERE hotkey = ?" + db.dialect.forUpdate, [.text(validator)])
            // Lazy reaping of this validator's own lapsed runs (others' lapsed runs already stop counting as
            // active; the reaper marks them). Scoped so concurrent claimers never update the same rows.
            try await Self.markLapsed(in: db, now: now, validator: validator)
            if let held = try await db.first(
                "SELECT eval_run_id FROM evaluation_runs WHERE validator_hotkey = ? AND status IN ('CLAIMED', 'RUNNING') AND lease_expires_at >= ? LIMIT 1",
                [.text(validator), .int(now)])
            {
                return .refused(.atCapacity(evalRunID: try held.string("eval_run_id")))
            }
            guard let item = try await Self.lockCandidate(in: db, validator: validator, now: now) else {
                try await db.execute("UPDATE identities SET last_seen_at = ?, service_versions = COALESCE(?, service_versions) WHERE hotkey = ?",
                                     [.int(now), .optional(serviceVersions), .text(validator)])
                return .done(nil)
            }
            if let hold = try await db.first("SELECT parked_at, retry_at FROM work_items WHERE work_item_id = ?", [item["work_item_id"]]),
               Self.isHeldBack(hold, now: now)
            {
                // Ready only because the miner stored a new credential since the item was held back: a fresh start.
                try await db.execute(
                    "UPDATE work_items SET failed_attempts = 0, retry_at = NULL, parked_at = NULL WHERE work_item_id = ?",
                    [item["work_item_id"]])
            }
            let runID = UUID().uuidString.lowercased()
            let lease = now + leaseMillis
            try await db.execute(
                """
                INSERT INTO evaluation_runs (eval_run_id, work_item_id, agent_version_id, suite_id, validator_hotkey, status,
                    phase, race_id, race_number, claimed_at, lease_expires_at, is_included, service_versions)
                VALUES (?, ?, ?, ?, ?, 'CLAIMED', ?, ?, ?, ?, ?, 0, ?)
                """,
                [.text(runID), item["work_item_id"], item["agent_version_id"], item["suite_id"], .text(validator),
                 item["phase"], item["race_id"], item["race_number"], .int(now), .int(lease), .optional(serviceVersions)])
            try await db.execute(
                "UPDATE identities SET last_claim_at = ?, last_seen_at = ?, service_versions = COALESCE(?, service_versions) WHERE hotkey = ?",
                [.int(now), .int(now), .optional(serviceVersions), .text(validator)])
            try await db.execute("UPDATE agent_versions SET state = 'RUNNING' WHERE agent_version_id = ? AND state = 'QUEUED'",
                                 [item["agent_version_id"]])
            let miner = try await db.first(
                """
                SELECT v.miner_hotkey, i.inference_credential FROM agent_versions v
                LEFT JOIN identities i ON i.hotkey = v.miner_hotkey WHERE v.agent_version_id = ?
                """, [item["agent_version_id"]])
            return .done(ClaimedRun(
                evalRunID: runID, workItemID: try item.string("work_item_id"),
                agentVersionID: try item.string("agent_version_id"), suiteID: try item.int("suite_id"),
                phase: EvaluationPhase(rawValue: try item.string("phase")) ?? .qualifying, leaseExpiresAt: lease,
                minerHotkey: miner?.optionalString("miner_hotkey") ?? "",
                storedInferenceCredential: miner?.optionalString("inference_credential")))
        }
        return try outcome.get()
    }

    /// Finds and locks the first open work item (FIFO by `seq`) that still needs a run and that this
    /// validator has neither succeeded on nor is running.
    ///
    /// On PostgreSQL the candidate query skips rows other claimers hold (`FOR UPDATE SKIP LOCKED`); once a row
    /// is locked its active runs are re-counted by a new statement (which sees every commit made before the
    /// lock was granted), so a stale snapshot can never over-claim. When every remaining candidate is locked by
    /// someone else, the claimer waits a moment and looks again rather than answering "no work" while a slot
    /// may still be free once they commit (no blocking row waits, so claimers cannot deadlock).
    static func lockCandidate(in db: any SQLExecutor, validator: String, now: Int64) async throws -> SQLRow? {
        var rejected: [String] = []
        for _ in 0..<500 {
            let filter = candidateFilter(validator: validator, now: now, excluding: rejected)
            let sql = "SELECT w.work_item_id, w.agent_version_id, w.suite_id, w.phase, w.race_id, w.race_number, w.required_successes "
                + "FROM work_items w WHERE " + filter.sql + " ORDER BY " + claimOrder + " LIMIT 1" + db.dialect.skipLocked
            guard let row = try await db.first(sql, filter.binds) else {
                guard db.dialect == .postgres,
                      try await db.first("SELECT w.work_item_id FROM work_items w WHERE " + filter.sql + " LIMIT 1", filter.binds) != nil
                else { return nil }
                try await Task.sleep(for: .milliseconds(2))  // candidates exist but are locked by other claimers
                continue
            }
            guard db.dialect == .postgres else { return row }
            let itemID = try row.string("work_item_id")
            let fresh = try await db.first(
                """
                SELECT w.is_closed, w.is_cancelled, w.required_successes, w.included_success_count,
                    (SELECT COUNT(*) FROM evaluation_runs r WHERE r.work_item_id = w.work_item_id
                        AND r.status IN ('CLAIMED', 'RUNNING') AND r.lease_expires_at >= ?) AS active,
                    CASE WHEN \(readySQL) THEN 1 ELSE 0 END AS ready
                FROM work_items w WHERE w.work_item_id = ?
                """, [.int(now), .int(now), .text(itemID)])
            if let fresh, try fresh.int("is_closed") == 0, try fresh.int("is_cancelled") == 0, try fresh.int("ready") == 1,
               try fresh.int("included_success_count") + fresh.int("active") < fresh.int("required_successes")
            {
                return row
            }
            rejected.append(itemID)
        }
        return nil
    }

    /// The claim order: ready items by the time they became ready, then FIFO.
    public static let claimOrder = "COALESCE(w.retry_at, w.queued_at), w.seq"

    /// Whether a work item `w` may be handed out at the bound time: neither parked nor backing off, or held
    /// back for the miner's credential and the miner stored a new one since. One bind: now.
    static let readySQL = """
        ((w.parked_at IS NULL AND (w.retry_at IS NULL OR w.retry_at <= ?))
          OR (w.last_failure_kind = 'MINER_CREDENTIAL' AND EXISTS (SELECT 1 FROM agent_versions cv
              JOIN identities ci ON ci.hotkey = cv.miner_hotkey
              WHERE cv.agent_version_id = w.agent_version_id AND ci.credential_updated_at > w.last_failure_at)))
        """

    /// Whether a claimable item (its `parked_at`, `retry_at`) was parked or backing off, i.e. made ready only
    /// by a new miner credential.
    static func isHeldBack(_ row: SQLRow, now: Int64) -> Bool {
        row.optionalInt("parked_at") != nil || (row.optionalInt("retry_at").map { $0 > now } ?? false)
    }

    /// Open, ready, not full, not already succeeded on or being run by `validator`, and not avoiding `validator` (its
    /// inference provider failed a run of the item a short while ago).
    static func candidateFilter(validator: String, now: Int64, excluding rejected: [String]) -> (sql: String, binds: [SQLValue]) {
        var sql = """
            w.is_closed = 0 AND w.is_cancelled = 0 AND \(readySQL)
              AND w.included_success_count + (SELECT COUNT(*) FROM evaluation_runs r WHERE r.work_item_id = w.work_item_id
                  AND r.status IN ('CLAIMED', 'RUNNING') AND r.lease_expires_at >= ?) < w.required_successes
              AND NOT EXISTS (SELECT 1 FROM evaluation_runs m WHERE m.work_item_id = w.work_item_id AND m.validator_hotkey = ?
                  AND ((m.status = 'SUCCESS' AND m.is_included = 1) OR (m.status IN ('CLAIMED', 'RUNNING') AND m.lease_expires_at >= ?)))
              AND (w.avoid_until IS NULL OR w.avoid_until <= ? OR w.avoid_validator_hotkey <> ?)
            """
        var binds: [SQLValue] = [.int(now), .int(now), .text(validator), .int(now), .int(now), .text(validator)]
        if !rejected.isEmpty {
            sql += " AND w.work_item_id NOT IN (" + Array(repeating: "?", count: rejected.count).joined(separator: ", ") + ")"
            binds += rejected.map(SQLValue.text)
        }
        return (sql, binds)
    }

    // MARK: Heartbeat

    /// Extends the lease of an active run owned by `validator` (the first heartbeat moves CLAIMED → RUNNING)
    /// and returns the new lease end.
    public func heartbeat(runID: String, validator: String, serviceVersions: String?, now: Int64) async throws -> Int64 {
        let leaseMillis = self.leaseMillis
        let outcome: Outcome<Int64> = try await database.transaction { db in
            switch try await Self.lockActiveRun(runID, validator: validator, in: db, now: now) {
            case .refused(let error): return .refused(error)
            case .done:
                let lease = now + leaseMillis
                try await db.execute(
                    """
                    UPDATE evaluation_runs SET status = 'RUNNING', lease_expires_at = ?, last_heartbeat_at = ?,
                        service_versions = COALESCE(?, service_versions) WHERE eval_run_id = ?
                    """, [.int(lease), .int(now), .optional(serviceVersions), .text(runID)])
                try await db.execute(
                    "UPDATE identities SET last_seen_at = ?, service_versions = COALESCE(?, service_versions) WHERE hotkey = ?",
                    [.int(now), .optional(serviceVersions), .text(validator)])
                return .done(lease)
            }
        }
        return try outcome.get()
    }

    /// Locks a run and checks, in order: it exists, `validator` owns it, it is not terminal, its lease has not
    /// lapsed (a lapsed run is marked STALE here — the caller must commit, so this is returned, not thrown).
    static func lockActiveRun(_ runID: String, validator: String, in db: any SQLExecutor, now: Int64) async throws
        -> Outcome<RunRecord>
    {
        guard let row = try await db.first("SELECT \(RunRecord.columns) FROM evaluation_runs WHERE eval_run_id = ?" + db.dialect.forUpdate,
                                           [.text(runID)])
        else { return .refused(.runNotFound(runID)) }
        let run = try RunRecord(row: row)
        if run.validatorHotkey != validator { return .refused(.notRunOwner(runID)) }
        switch run.status {
        case .claimed, .running:
            if run.leaseExpiresAt < now {
                try await db.execute("UPDATE evaluation_runs SET status = 'STALE' WHERE eval_run_id = ?", [.text(runID)])
                return .refused(.leaseExpired(runID))
            }
            return .done(run)
        case .stale:
            return .refused(.leaseExpired(runID))
        case .success, .failed, .timedOut, .cancelled:
            return .refused(.runAlreadyComplete(runID, status: run.status.rawValue))
        }
    }

    /// The run with this id, or nil.
    public func run(_ runID: String) async throws -> RunRecord? {
        try await database.read { db in
            try await db.first("SELECT \(RunRecord.columns) FROM evaluation_runs WHERE eval_run_id = ?", [.text(runID)])
                .map(RunRecord.init(row:))
        }
    }

    // MARK: Reaper

    /// Marks every CLAIMED/RUNNING run whose lease lapsed before `now` STALE (freeing its slot) and returns
    /// how many it marked.
    @discardableResult
    public func reapLapsed(now: Int64) async throws -> Int {
        try await database.transaction { db in try await Self.markLapsed(in: db, now: now) }
    }

    @discardableResult
    static func markLapsed(in db: any SQLExecutor, now: Int64, validator: String? = nil) async throws -> Int {
        var filter = "status IN ('CLAIMED', 'RUNNING') AND lease_expires_at < ?"
        var binds: [SQLValue] = [.int(now)]
        if let validator { filter += " AND validator_hotkey = ?"; binds.append(.text(validator)) }
        let count = try await db.scalarInt("SELECT COUNT(*) FROM evaluation_runs WHERE " + filter, binds) ?? 0
        guard count > 0 else { return 0 }
        try await db.execute("UPDATE evaluation_runs SET status = 'STALE' WHERE " + filter, binds)
        return Int(count)
    }
}

extension WorkQueue {
    /// A run and the blob address of its agent version's code, for the code download route.
    public func codeBlob(runID: String) async throws -> (run: RunRecord, sha256: String)? {
        try await database.read { db in
            guard let row = try await db.first(
                """
                SELECT r.eval_run_id, r.work_item_id, r.agent_version_id, r.suite_id, r.validator_hotkey, r.status, r.phase,
                    r.race_id, r.lease_expires_at, v.code_sha256
                FROM evaluation_runs r JOIN agent_versions v ON v.agent_version_id = r.agent_version_id WHERE r.eval_run_id = ?
                """, [.text(runID)])
            else { return nil }
            return (try RunRecord(row: row), try row.string("code_sha256"))
        }
    }
}
