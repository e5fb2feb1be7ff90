import ArenaModel
import Foundation

/// Terminal statuses a validator may report (`TerminalStatus`).
public enum TerminalStatus: String, Sendable, CaseIterable {
    /// The run finished and was scored.
    case success = "SUCCESS"
    /// The run failed; `failureReason` says why.
    case failed = "FAILED"
    /// The run hit its time limit.
    case timedOut = "TIMED_OUT"
}

/// What a validator reports when a run ends (`CompleteRunRequest`); JSON fields as JSON text.
public struct RunCompletion: Sendable, Equatable {
    /// How the run ended.
    public var status: TerminalStatus
    /// The run's score (SUCCESS).
    public var validatorScore: Double?
    /// The judge's mean reasoning quality.
    public var reasoningQuality: Double?
    /// The multiplier derived from `reasoningQuality`.
    public var reasoningCoefficient: Double?
    /// The score components, JSON text.
    public var scoreComponents: String?
    /// The object key of the run's uploaded results.
    public var resultsS3Key: String?
    /// Why the run failed, in words.
    public var failureReason: String?
    /// Sandbox facts, JSON text.
    public var sandboxMetadata: String?

    /// A completion with `status`; the other fields as the request carried them.
    public init(status: TerminalStatus, validatorScore: Double? = nil, reasoningQuality: Double? = nil,
                reasoningCoefficient: Double? = nil, scoreComponents: String? = nil, resultsS3Key: String? = nil,
                failureReason: String? = nil, sandboxMetadata: String? = nil) {
        self.status = status
        self.validatorScore = validatorScore
        self.reasoningQuality = reasoningQuality
        self.reasoningCoefficient = reasoningCoefficient
        self.scoreComponents = scoreComponents
        self.resultsS3Key = resultsS3Key
        self.failureReason = failureReason
        self.sandboxMetadata = sandboxMetadata
    }
}

/// The answer to a completion (`CompleteRunResponse`).
public struct CompletionResult: Sendable, Equatable {
    /// The completed run.
    public var evalRunID: String
    /// The status it was completed with.
    public var status: TerminalStatus
    /// Included successful runs of its work item now.
    public var includedSuccessCount: Int64
    /// Included successful runs the work item needs.
    public var requiredSuccesses: Int64
    /// Whether the work item is now closed.
    public var isClosed: Bool
    /// Whether this completion made the version ELIGIBLE.
    public var agentVersionBecameEligible: Bool
    /// The version's qualifying final score (nil until it is eligible).
    public var finalScore: Double?

    /// A result as the completion decided it.
    public init(evalRunID: String, status: TerminalStatus, includedSuccessCount: Int64, requiredSuccesses: Int64, isClosed: Bool,
                agentVersionBecameEligible: Bool, finalScore: Double?) {
        self.evalRunID = evalRunID
        self.status = status
        self.includedSuccessCount = includedSuccessCount
        self.requiredSuccesses = requiredSuccesses
        self.isClosed = isClosed
        self.agentVersionBecameEligible = agentVersionBecameEligible
        self.finalScore = finalScore
    }
}

extension WorkQueue {
    /// Records a run's terminal status. A SUCCESS on an open work item is included and counted (and clears the
    /// item's failures, un-parking it: a run that succeeds proves the item can be evaluated); at `required_successes` the item closes and (QUALIFYING) the version becomes
    /// ELIGIBLE with the mean of the included scores, `eligible_at = now` and `code_available_at` from `embargo`.
    /// FAILED and TIMED_OUT free the slot; the failure is classified from its reason (`RunFailureReasons`) and
    /// `retryPolicy` decides whether the item is handed out again at once, after a back-off, or parked.
    public func complete(runID: String, validator: String, completion: RunCompletion, now: Int64,
                         embargo: CodeEmbargo = .default) async throws -> CompletionResult {
        let outcome: Outcome<CompletionResult> = try await database.transaction { db in
            let run: RunRecord
            switch try await Self.lockActiveRun(runID, validator: validator, in: db, now: now) {
            case .refused(let error): return .refused(error)
            case .done(let locked): run = locked
            }
            guard let item = try await db.first(
                "SELECT required_successes, included_success_count, is_closed, is_cancelled, failed_attempts FROM work_items WHERE work_item_id = ?"
                    + db.dialect.forUpdate, [.text(run.workItemID)])
            else { throw StoreError.database(message: "work item \(run.workItemID) of run \(runID) is missing", sql: "complete") }
            let required = try item.int("required_successes")
            var included = try item.int("included_success_count")
            var closed = try item.bool("is_closed")
            let cancelled = try item.bool("is_cancelled")
            let open = !closed && !cancelled
            let include = completion.status == .success && open
            try await db.execute(
                """
                UPDATE evaluation_runs SET status = ?, completed_at = ?, is_included = ?, validator_score = ?, reasoning_quality = ?,
                    reasoning_coefficient = ?, score_components = ?, failure_reason = ?, sandbox_metadata = ?, results_s3_key = ?
                WHERE eval_run_id = ?
                """,
                [.text(completion.status.rawValue), .int(now), .bool(include), .optional(completion.validatorScore),
                 .optional(completion.reasoningQuality), .optional(completion.reasoningCoefficient),
                 .optional(completion.scoreComponents), .optional(completion.failureReason),
                 .optional(completion.sandboxMetadata), .optional(completion.resultsS3Key), .text(runID)])
            var becameEligible = false
            if include {
                included += 1
                closed = included >= required
                try await db.execute(
                    """
                    UPDATE work_items SET included_success_count = ?, is_closed = ?, closed_at = ?, failed_attempts = 0, retry_at = NULL,
                        parked_at = NULL, last_failure_at = NULL, last_failure_kind = NULL, last_failure_reason = NULL
                    WHERE work_item_id = ?
                    """,
                    [.int(included), .bool(closed), closed ? .int(now) : .null, .text(run.workItemID)])
                if closed {
                    becameEligible = try await Self.settle(run: run, in: db, now: now, embargo: embargo)
                }
            } else if open, completion.status != .success {
                try await Self.recordFailure(of: run, reason: completion.failureReason, failedBefore: try item.int("failed_attempts"),
                                             policy: retryPolicy, in: db, now: now)
            }
            let score = try await db.first("SELECT final_score FROM agent_versions WHERE agent_version_id = ?", [.text(run.agentVersionID)])
            return .done(CompletionResult(
                evalRunID: runID, status: completion.status, includedSuccessCount: included, requiredSuccesses: required,
                isClosed: closed, agentVersionBecameEligible: becameEligible, finalScore: score?.optionalDouble("final_score")))
        }
        return try outcome.get()
    }

    /// Counts a FAILED/TIMED_OUT run against its open work item: classifies the reason, then backs the item off
    /// or parks it as `policy` decides (a validator handing the run back counts nothing; a run whose validator's
    /// inference provider was unavailable counts nothing either, and the item avoids that validator for a while). A parked QUALIFYING
    /// version that nothing runs any more goes back from RUNNING to QUEUED: it waits, it is not being evaluated.
    static func recordFailure(of run: RunRecord, reason: String?, failedBefore: Int64, policy: RunRetryPolicy,
                              in db: any SQLExecutor, now: Int64) async throws {
        let kind = RunFailureReasons.classify(reason)
        let attempts = failedBefore + 1
        let decision = policy.decision(after: kind, consecutiveFailures: Int(attempts))
        var retryAt: SQLValue = .null
        var parkedAt: SQLValue = .null
        switch decision {
        case .ignore: return
        case .reassign(let avoid):
            // Not counted (no attempt, no back-off): recorded, and kept from this validator for a while.
            try await db.execute(
                """
                UPDATE work_items SET last_failure_at = ?, last_failure_kind = ?, last_failure_reason = ?,
                    avoid_validator_hotkey = ?, avoid_until = ? WHERE work_item_id = ?
                """,
                [.int(now), .text(kind.rawValue), .optional(reason), .text(run.validatorHotkey), .int(now + avoid),
                 .text(run.workItemID)])
            return
        case .retry(let delay): if delay > 0 { retryAt = .int(now + delay) }
        case .park: parkedAt = .int(now)
        }
        try await db.execute(
            """
            UPDATE work_items SET failed_attempts = ?, retry_at = ?, parked_at = ?, last_failure_at = ?, last_failure_kind = ?,
                last_failure_reason = ? WHERE work_item_id = ?
            """,
            [.int(attempts), retryAt, parkedAt, .int(now), .text(kind.rawValue), .optional(reason), .text(run.workItemID)])
        if case .park = decision {
            try await db.execute(
                """
                UPDATE agent_versions SET state = 'QUEUED' WHERE agent_version_id = ? AND state = 'RUNNING'
                  AND NOT EXISTS (SELECT 1 FROM evaluation_runs r WHERE r.agent_version_id = ? AND r.status IN ('CLAIMED', 'RUNNING')
                      AND r.lease_expires_at >= ?)
                """, [.text(run.agentVersionID), .text(run.agentVersionID), .int(now)])
        }
    }

    /// Aggregates a closed work item's included SUCCESS runs onto its version. QUALIFYING: ELIGIBLE with the
    /// mean score; RACE: the mean becomes `race_score` (the race logic decides what it means). Returns whether
    /// the version became eligible.
    static func settle(run: RunRecord, in db: any SQLExecutor, now: Int64, embargo: CodeEmbargo) async throws -> Bool {
        let means = try await db.first(
            """
            SELECT AVG(validator_score) AS score, AVG(reasoning_coefficient) AS coefficient FROM evaluation_runs
            WHERE work_item_id = ? AND status = 'SUCCESS' AND is_included = 1 AND invalidated_at IS NULL
            """, [.text(run.workItemID)])
        let score = means?.optionalDouble("score")
        let coefficient = means?.optionalDouble("coefficient")
        switch run.phase {
        case .qualifying:
            let available = Int64((embargo.codeAvailableAt(eligibleAt: Date(timeIntervalSince1970: Double(now) / 1000))
                .timeIntervalSince1970 * 1000).rounded())
            try await db.execute(
                """
                UPDATE agent_versions SET state = 'ELIGIBLE', final_score = ?, reasoning_coefficient = ?, eligible_at = ?,
                    code_available_at = ? WHERE agent_version_id = ? AND state IN ('QUEUED', 'RUNNING')
                """, [.optional(score), .optional(coefficient), .int(now), .int(available), .text(run.agentVersionID)])
            return true
        case .race:
            try await db.execute("UPDATE agent_versions SET race_score = ? WHERE agent_version_id = ?",
                                 [.optional(score), .text(run.agentVersionID)])
            return false
        }
    }
}
