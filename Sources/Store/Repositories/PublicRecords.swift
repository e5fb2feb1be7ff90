/// Typed rows read by the public API (and reused by the miner routes): plain values decoded from one
/// `SELECT` each, so route handlers never see column names.

/// A problem suite.
public struct SuiteRecord: Sendable, Hashable {
    /// The suite's id (also its public number).
    public var suiteID: Int64
    /// 1 for the first suite loaded, one more for each later one.
    public var suiteVersion: Int64
    /// Whether this is the suite runs are evaluated on now (at most one is).
    public var isActive: Bool
    /// Whether its problems may be listed publicly.
    public var isPublic: Bool
    /// Where the suite was loaded from (admin reads; nil when the query did not select it).
    public var sourceURI: String?
    /// Problems in the suite.
    public var problemCount: Int64
    /// When the suite was loaded, epoch milliseconds.
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
    /// The suite the problem belongs to.
    public var suiteID: Int64
    /// The problem's id within the suite.
    public var problemID: String
    /// Its place in the suite's order (0-based).
    public var position: Int64
    /// product, shop or voucher (nil when the row has none).
    public var category: String?
    /// The suite row as JSON text.
    public var metadata: String
}

/// An agent version joined with its agent's name and its miner's ban flag.
public struct AgentVersionRecord: Sendable, Hashable {
    /// The version's id.
    public var agentVersionID: String
    /// The agent the version belongs to.
    public var agentID: String
    /// The agent's name, unique per miner.
    public var agentName: String
    /// The SS58 hotkey of the miner who submitted it.
    public var minerHotkey: String
    /// 1 for an agent's first version, then counting up.
    public var versionNumber: Int64
    /// When it was submitted, epoch milliseconds.
    public var submittedAt: Int64
    /// The suite it is (or was) evaluated on, once queued.
    public var suiteID: Int64?
    /// Address of the agent file in the blob store.
    public var codeSHA256: String
    /// Bytes of the agent file (0 when the query did not select `code_size`).
    public var codeSize: Int64
    /// `AgentVersionState` on the wire: RECEIVED, QUEUED, RUNNING, ELIGIBLE, DISCARDED or CANCELLED.
    public var state: String
    /// The aggregated score once ELIGIBLE.
    public var finalScore: Double?
    /// When it became ELIGIBLE, epoch milliseconds.
    public var eligibleAt: Int64?
    /// When its code becomes public (end of the embargo), epoch milliseconds.
    public var codeAvailableAt: Int64?
    /// Whether an admin discarded it.
    public var isDiscarded: Bool
    /// When a race eliminated it, epoch milliseconds.
    public var eliminatedAt: Int64?
    /// The race that eliminated it.
    public var eliminatedInRaceNumber: Int64?
    /// Its score in the race it ran in.
    public var raceScore: Double?
    /// The reasoning coefficient applied to its score (judge quality mapped to a multiplier).
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
    /// The item's id.
    public var workItemID: String
    /// The agent version the item evaluates.
    public var agentVersionID: String
    /// The suite it is evaluated on.
    public var suiteID: Int64
    /// `EvaluationPhase` raw value: QUALIFYING or RACE.
    public var phase: String
    /// The race the item belongs to (race phase only).
    public var raceID: String?
    /// The number of that race.
    public var raceNumber: Int64?
    /// Included successful runs needed to close the item.
    public var requiredSuccesses: Int64
    /// Included successful runs so far.
    public var includedSuccessCount: Int64
    /// Whether the item got its required successes.
    public var isClosed: Bool
    /// Whether it was cancelled (e.g. its version was discarded).
    public var isCancelled: Bool
    /// When it was queued, epoch milliseconds (claims take the oldest ready item first).
    public var queuedAt: Int64
    /// Runs of the item currently leased (CLAIMED or RUNNING).
    public var activeRuns: Int64
    /// Consecutive failed runs counted against the item since its last included success.
    public var failedAttempts: Int64
    /// Not handed out before this time (back-off), or nil.
    public var retryAt: Int64?
    /// When the item stopped being handed out (attempt limit reached), or nil.
    public var parkedAt: Int64?
    /// The last counted failure: when, its reason and its `RunFailureKind` raw value.
    public var lastFailureAt: Int64?
    /// The reason of the last counted failure.
    public var lastFailureReason: String?
    /// The `RunFailureKind` raw value of the last counted failure.
    public var lastFailureKind: String?
    /// The validator that may not claim the item before ``avoidUntil`` (its inference provider failed a run), or nil.
    public var avoidValidatorHotkey: String?
    /// When that validator may claim the item again (epoch milliseconds), or nil.
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
    /// The run's id.
    public var evalRunID: String
    /// The work item the run was claimed for.
    public var workItemID: String
    /// The agent version it evaluates.
    public var agentVersionID: String
    /// The suite it runs.
    public var suiteID: Int64
    /// The validator holding (or that held) the run.
    public var validatorHotkey: String
    /// CLAIMED or RUNNING while leased; then SUCCESS, FAILED, TIMED_OUT, STALE or CANCELLED.
    public var status: String
    /// QUALIFYING or RACE, as its work item.
    public var phase: String
    /// The race of a race-phase run.
    public var raceID: String?
    /// The number of that race.
    public var raceNumber: Int64?
    /// When it was claimed, epoch milliseconds.
    public var claimedAt: Int64
    /// When the lease lapses unless a heartbeat extends it, epoch milliseconds.
    public var leaseExpiresAt: Int64
    /// The last heartbeat, epoch milliseconds.
    public var lastHeartbeatAt: Int64?
    /// When it was completed, epoch milliseconds.
    public var completedAt: Int64?
    /// Whether the run counts toward its version's score.
    public var isIncluded: Bool
    /// The score the validator reported.
    public var validatorScore: Double?
    /// The judge's reasoning quality for the run.
    public var reasoningQuality: Double?
    /// The multiplier derived from `reasoningQuality`.
    public var reasoningCoefficient: Double?
    /// The score components as JSON text.
    public var scoreComponents: String?
    /// Why the run failed, in words.
    public var failureReason: String?
    /// Sandbox facts the validator reported, as JSON text.
    public var sandboxMetadata: String?
    /// The validator's reported service versions, as JSON text.
    public var serviceVersions: String?
    /// The object key of the run's uploaded results.
    public var resultsKey: String?
    /// When an admin invalidated the run, epoch milliseconds.
    public var invalidatedAt: Int64?
    /// Who invalidated it.
    public var invalidatedBy: String?
    /// Why it was invalidated.
    public var invalidationReason: String?
    /// The evaluated agent's name.
    public var agentName: String
    /// The evaluated version's number.
    public var versionNumber: Int64
    /// The hotkey of the miner whose agent it evaluates.
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
    /// The run the problem belongs to.
    public var evalRunID: String
    /// The problem's id within the suite.
    public var problemID: String
    /// The problem's status as the validator last reported it.
    public var status: String
    /// The outcome score.
    public var score: Double?
    /// The judge's reasoning score.
    public var reasoningScore: Double?
    /// A short text summary of the score components.
    public var scoreComponentsSummary: String?
    /// Inference calls of the agent that failed.
    public var inferenceFailureCount: Int64?
    /// Inference calls of the agent.
    public var inferenceTotal: Int64?
    /// Seconds the agent ran in the sandbox.
    public var executionTime: Double?
    /// Last update, epoch milliseconds.
    public var updatedAt: Int64
    /// The validator of the run.
    public var validatorHotkey: String
    /// The run's phase.
    public var phase: String
    /// The run's race, if any.
    public var raceID: String?
    /// The problem's category.
    public var category: String?
    /// The problem's place in the suite.
    public var position: Int64
}

/// A holder of top status on a suite, with its version's identity.
public struct TopRecord: Sendable, Hashable {
    /// The suite the top status is on.
    public var suiteID: Int64
    /// The version that held it.
    public var agentVersionID: String
    /// Its score when it took the top.
    public var score: Double
    /// When it took the top, epoch milliseconds.
    public var topAt: Int64
    /// When it lost it, epoch milliseconds (nil: still holds it).
    public var endedAt: Int64?
    /// The version's agent name.
    public var agentName: String
    /// The version's miner.
    public var minerHotkey: String
    /// The version's number.
    public var versionNumber: Int64

    /// Whether it holds the top now.
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
    /// The validator's SS58 hotkey.
    public var hotkey: String
    /// Its display name, if set.
    public var name: String?
    /// When it was registered, epoch milliseconds.
    public var registeredAt: Int64
    /// Its last claim, epoch milliseconds.
    public var lastClaimAt: Int64?
    /// Its last request of any kind, epoch milliseconds.
    public var lastSeenAt: Int64?
    /// Its reported service versions, as JSON text.
    public var serviceVersions: String?
    /// The run it holds now, if any.
    public var currentRun: EvaluationRunRecord?
}
