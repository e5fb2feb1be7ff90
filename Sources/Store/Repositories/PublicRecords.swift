/// Typed rows read by the public API (and reused by the miner routes): plain values decoded from one
/// `SELECT` each, so route handlers never see column names.

/// A problem suite.
public struct SuiteRecord: Sendable, Hashable {
    public var suiteID: Int64
    public var suiteVersion: Int64
    public var isActive: Bool
    public var isPublic: Bool
    /// Where the suite was loaded from (admin reads; nil when the query did not select it).
    public var sourceURI: String?
    public var problemCount: Int64
    public var createdAt: Int64

    static let columns = "s.suite_id, s.suite_version, s.is_active, s.is_public, s.problem_count, s.created_at"

    init(row: SQLRow) throws(StoreError) {
        suiteID = try row.int("suite_id")
        suiteVersion = try row.int("suite_version")
        isActive = try row.bool("is_active")
        isPublic = try row.bool("is_public")
        sourceURI = row.optionalString("source_uri")
        problemCount = try row.int("problem_count")
        createdAt = try row.int("created_at")
    }
}

/// A visible (never hidden) problem of a suite with its raw suite-row JSON text.
public struct ProblemRecord: Sendable, Hashable {
    public var suiteID: Int64
    public var problemID: String
    public var position: Int64
    public var category: String?
    public var metadata: String
}

/// An agent version joined with its agent's name and its miner's ban flag.
public struct AgentVersionRecord: Sendable, Hashable {
    public var agentVersionID: String
    public var agentID: String
    public var agentName: String
    public var minerHotkey: String
    public var versionNumber: Int64
    public var submittedAt: Int64
    public var suiteID: Int64?
    public var codeSHA256: String
    /// Bytes of the agent file (0 when the query did not select `code_size`).
    public var codeSize: Int64
    /// `AgentVersionState` on the wire: RECEIVED, QUEUED, RUNNING, ELIGIBLE, DISCARDED or CANCELLED.
    public var state: String
    public var finalScore: Double?
    public var eligibleAt: Int64?
    public var codeAvailableAt: Int64?
    public var isDiscarded: Bool
    public var eliminatedAt: Int64?
    public var eliminatedInRaceNumber: Int64?
    public var raceScore: Double?
    public var reasoningCoefficient: Double?
    /// Whether the miner is banned (false when the query did not join identities).
    public var isMinerBanned: Bool

    /// Whether the code embargo has ended at `now` (`release_state` RELEASED).
    public func isReleased(now: Int64) -> Bool { codeAvailableAt.map { $0 <= now } ?? false }

    static let select = """
        SELECT v.agent_version_id, v.agent_id, a.agent_name, v.miner_hotkey, v.version_number, v.submitted_at,
            v.suite_id, v.code_sha256, v.code_size, v.state, v.final_score, v.eligible_at, v.code_available_at, v.is_discarded,
            v.eliminated_at, v.eliminated_in_race_number, v.race_score, v.reasoning_coefficient,
            COALESCE(i.is_banned, 0) AS is_miner_banned
        FROM agent_versions v
        JOIN agents a ON a.agent_id = v.agent_id
        LEFT JOIN identities i ON i.hotkey = v.miner_hotkey
        """

    init(row: SQLRow) throws(StoreError) {
        agentVersionID = try row.string("agent_version_id")
        agentID = try row.string("agent_id")
        agentName = try row.string("agent_name")
        minerHotkey = try row.string("miner_hotkey")
        versionNumber = try row.int("version_number")
        submittedAt = try row.int("submitted_at")
        suiteID = row.optionalInt("suite_id")
        codeSHA256 = try row.string("code_sha256")
        codeSize = row.optionalInt("code_size") ?? 0
        state = try row.string("state")
        finalScore = row.optionalDouble("final_score")
        eligibleAt = row.optionalInt("eligible_at")
        codeAvailableAt = row.optionalInt("code_available_at")
        isDiscarded = row.optionalBool("is_discarded") ?? false
        eliminatedAt = row.optionalInt("eliminated_at")
        eliminatedInRaceNumber = row.optionalInt("eliminated_in_race_number")
        raceScore = row.optionalDouble("race_score")
        reasoningCoefficient = row.optionalDouble("reasoning_coefficient")
        isMinerBanned = row.optionalBool("is_miner_banned") ?? false
    }
}

/// A work item with the number of its runs currently leased (CLAIMED or RUNNING).
public struct WorkItemRecord: Sendable, Hashable {
    public var workItemID: String
    public var agentVersionID: String
    public var suiteID: Int64
    public var phase: String
    public var raceID: String?
    public var raceNumber: Int64?
    public var requiredSuccesses: Int64
    public var includedSuccessCount: Int64
    public var isClosed: Bool
    public var isCancelled: Bool
    public var queuedAt: Int64
    public var activeRuns: Int64
    /// Consecutive failed runs counted against the item since its last included success.
    public var failedAttempts: Int64
    /// Not handed out before this time (back-off), or nil.
    public var retryAt: Int64?
    /// When the item stopped being handed out (attempt limit reached), or nil.
    public var parkedAt: Int64?
    /// The last counted failure: when, its reason and its `RunFailureKind` raw value.
    public var lastFailureAt: Int64?
    public var lastFailureReason: String?
    public var lastFailureKind: String?
    /// The validator that may not claim the item before ``avoidUntil`` (its inference provider failed a run), or nil.
    public var avoidValidatorHotkey: String?
    public var avoidUntil: Int64?

    static let select = """
        SELECT w.work_item_id, w.agent_version_id, w.suite_id, w.phase, w.race_id, w.race_number,
            w.required_successes, w.included_success_count, w.is_closed, w.is_cancelled, w.queued_at,
            w.failed_attempts, w.retry_at, w.parked_at, w.last_failure_at, w.last_failure_reason, w.last_failure_kind,
            w.avoid_validator_hotkey, w.avoid_until,
            (SELECT COUNT(*) FROM evaluation_runs r WHERE r.work_item_id = w.work_item_id
                AND r.status IN ('CLAIMED', 'RUNNING')) AS active_runs
        FROM work_items w
        """

    init(row: SQLRow) throws(StoreError) {
        workItemID = try row.string("work_item_id")
        agentVersionID = try row.string("agent_version_id")
        suiteID = try row.int("suite_id")
        phase = try row.string("phase")
        raceID = row.optionalString("race_id")
        raceNumber = row.optionalInt("race_number")
        requiredSuccesses = try row.int("required_successes")
        includedSuccessCount = try row.int("included_success_count")
        isClosed = try row.bool("is_closed")
        isCancelled = try row.bool("is_cancelled")
        queuedAt = try row.int("queued_at")
        activeRuns = try row.int("active_runs")
        failedAttempts = row.optionalInt("failed_attempts") ?? 0
        retryAt = row.optionalInt("retry_at")
        parkedAt = row.optionalInt("parked_at")
        lastFailureAt = row.optionalInt("last_failure_at")
        lastFailureReason = row.optionalString("last_failure_reason")
        lastFailureKind = row.optionalString("last_failure_kind")
        avoidValidatorHotkey = row.optionalString("avoid_validator_hotkey")
        avoidUntil = row.optionalInt("avoid_until")
    }
}

/// An evaluation run (JSON columns left as text) with its version's agent name, version number and miner.
public struct EvaluationRunRecord: Sendable, Hashable {
    public var evalRunID: String
    public var workItemID: String
    public var agentVersionID: String
    public var suiteID: Int64
    public var validatorHotkey: String
    public var status: String
    public var phase: String
    public var raceID: String?
    public var raceNumber: Int64?
    public var claimedAt: Int64
    public var leaseExpiresAt: Int64
    public var lastHeartbeatAt: Int64?
    public var completedAt: Int64?
    public var isIncluded: Bool
    public var validatorScore: Double?
    public var reasoningQuality: Double?
    public var reasoningCoefficient: Double?
    public var scoreComponents: String?
    public var failureReason: String?
    public var sandboxMetadata: String?
    public var serviceVersions: String?
    public var resultsKey: String?
    public var invalidatedAt: Int64?
    public var invalidatedBy: String?
    public var invalidationReason: String?
    public var agentName: String
    public var versionNumber: Int64
    public var minerHotkey: String

    static let select = """
        SELECT r.eval_run_id, r.work_item_id, r.agent_version_id, r.suite_id, r.validator_hotkey, r.status, r.phase,
            r.race_id, r.race_number, r.claimed_at, r.lease_expires_at, r.last_heartbeat_at, r.completed_at,
            r.is_included, r.validator_score, r.reasoning_quality, r.reasoning_coefficient, r.score_components,
            r.failure_reason, r.sandbox_metadata, r.service_versions, r.results_s3_key, r.invalidated_at,
            r.invalidated_by, r.invalidation_reason, a.agent_name, v.version_number, v.miner_hotkey
        FROM evaluation_runs r
        JOIN agent_versions v ON v.agent_version_id = r.agent_version_id
        JOIN agents a ON a.agent_id = v.agent_id
        """

    init(row: SQLRow) throws(StoreError) {
        evalRunID = try row.string("eval_run_id")
        workItemID = try row.string("work_item_id")
        agentVersionID = try row.string("agent_version_id")
        suiteID = try row.int("suite_id")
        validatorHotkey = try row.string("validator_hotkey")
        status = try row.string("status")
        phase = try row.string("phase")
        raceID = row.optionalString("race_id")
        raceNumber = row.optionalInt("race_number")
        claimedAt = try row.int("claimed_at")
        leaseExpiresAt = try row.int("lease_expires_at")
        lastHeartbeatAt = row.optionalInt("last_heartbeat_at")
        completedAt = row.optionalInt("completed_at")
        isIncluded = try row.bool("is_included")
        validatorScore = row.optionalDouble("validator_score")
        reasoningQuality = row.optionalDouble("reasoning_quality")
        reasoningCoefficient = row.optionalDouble("reasoning_coefficient")
        scoreComponents = row.optionalString("score_components")
        failureReason = row.optionalString("failure_reason")
        sandboxMetadata = row.optionalString("sandbox_metadata")
        serviceVersions = row.optionalString("service_versions")
        resultsKey = row.optionalString("results_s3_key")
        invalidatedAt = row.optionalInt("invalidated_at")
        invalidatedBy = row.optionalString("invalidated_by")
        invalidationReason = row.optionalString("invalidation_reason")
        agentName = try row.string("agent_name")
        versionNumber = try row.int("version_number")
        minerHotkey = try row.string("miner_hotkey")
    }
}

/// One problem's progress within one run, with the run's phase and validator and the problem's category.
public struct RunProblemRecord: Sendable, Hashable {
    public var evalRunID: String
    public var problemID: String
    public var status: String
    public var score: Double?
    public var reasoningScore: Double?
    public var scoreComponentsSummary: String?
    public var inferenceFailureCount: Int64?
    public var inferenceTotal: Int64?
    public var executionTime: Double?
    public var updatedAt: Int64
    public var validatorHotkey: String
    public var phase: String
    public var raceID: String?
    public var category: String?
    public var position: Int64
}

/// A holder of top status on a suite, with its version's identity.
public struct TopRecord: Sendable, Hashable {
    public var suiteID: Int64
    public var agentVersionID: String
    public var score: Double
    public var topAt: Int64
    public var endedAt: Int64?
    public var agentName: String
    public var minerHotkey: String
    public var versionNumber: Int64

    public var isCurrent: Bool { endedAt == nil }

    static let select = """
        SELECT t.suite_id, t.agent_version_id, t.score, t.top_at, t.ended_at, a.agent_name, v.miner_hotkey,
            v.version_number
        FROM top_history t
        JOIN agent_versions v ON v.agent_version_id = t.agent_version_id
        JOIN agents a ON a.agent_id = v.agent_id
        """

    init(row: SQLRow) throws(StoreError) {
        suiteID = try row.int("suite_id")
        agentVersionID = try row.string("agent_version_id")
        score = try row.double("score")
        topAt = try row.int("top_at")
        endedAt = row.optionalInt("ended_at")
        agentName = try row.string("agent_name")
        minerHotkey = try row.string("miner_hotkey")
        versionNumber = try row.int("version_number")
    }
}

/// A registered, unbanned validator and the run it currently holds (if any).
public struct ValidatorRecord: Sendable, Hashable {
    public var hotkey: String
    public var name: String?
    public var registeredAt: Int64
    public var lastClaimAt: Int64?
    public var lastSeenAt: Int64?
    public var serviceVersions: String?
    public var currentRun: EvaluationRunRecord?
}
