import ArenaModel
import Store

/// `EvaluationRunPublic`, `EvaluationRunDetail` and `RunningEvaluation` (oro-api.md §2.1).
public enum EvaluationRunView {
    /// Run statuses as sent on the wire; anything unexpected is reported as FAILED rather than an unknown member.
    static let statuses: Set<String> = ["CLAIMED", "RUNNING", "SUCCESS", "FAILED", "TIMED_OUT", "STALE", "CANCELLED"]
    static func status(_ text: String) -> JSONValue { .string(statuses.contains(text) ? text : "FAILED") }

    public static func publicRun(_ run: EvaluationRunRecord) -> JSONValue {
        .object([
            ("eval_run_id", .string(run.evalRunID)),
            ("agent_version_id", .string(run.agentVersionID)),
            ("suite_id", .int(run.suiteID)),
            ("validator_hotkey", .string(run.validatorHotkey)),
            ("status", status(run.status)),
            ("claimed_at", .string(Wire.timestamp(run.claimedAt))),
            ("lease_expires_at", .string(Wire.timestamp(run.leaseExpiresAt))),
            ("is_included", .bool(run.isIncluded)),
            ("last_heartbeat_at", Wire.timestamp(run.lastHeartbeatAt)),
            ("completed_at", Wire.timestamp(run.completedAt)),
            ("invalidated_at", Wire.timestamp(run.invalidatedAt)),
            ("invalidated_by", WireValue.string(run.invalidatedBy)),
            ("invalidation_reason", WireValue.string(run.invalidationReason)),
            ("failure_reason", WireValue.string(run.failureReason)),
            ("validator_score", WireValue.double(run.validatorScore)),
            ("reasoning_quality", WireValue.double(run.reasoningQuality)),
            ("reasoning_coefficient", WireValue.double(run.reasoningCoefficient)),
            ("score_components_summary", WireValue.object(run.scoreComponents)),
            ("service_versions", WireValue.object(run.serviceVersions)),
            ("sandbox_metadata", WireValue.object(run.sandboxMetadata)),
            ("phase", .string(run.phase)),
            ("race_id", WireValue.string(run.raceID)),
            ("race_number", WireValue.int(run.raceNumber)),
        ])
    }

    public static func detail(_ run: EvaluationRunRecord) -> JSONValue {
        .object([
            ("eval_run_id", .string(run.evalRunID)),
            ("agent_version_id", .string(run.agentVersionID)),
            ("agent_name", .string(run.agentName)),
            ("validator_hotkey", .string(run.validatorHotkey)),
            ("status", status(run.status)),
            ("version_number", .int(run.versionNumber)),
            ("claimed_at", .string(Wire.timestamp(run.claimedAt))),
            ("score", WireValue.double(run.validatorScore)),
            ("completed_at", Wire.timestamp(run.completedAt)),
            ("failure_reason", WireValue.string(run.failureReason)),
            ("is_included", .bool(run.isIncluded)),
            ("invalidated_at", Wire.timestamp(run.invalidatedAt)),
            ("invalidation_reason", WireValue.string(run.invalidationReason)),
            ("sandbox_metadata", WireValue.object(run.sandboxMetadata)),
            ("score_components_summary", WireValue.object(run.scoreComponents)),
        ])
    }

    /// `progress_percent` = finished problems / visible suite problems × 100, capped at 100.
    public static func running(_ run: EvaluationRunRecord, finished: Int64, total: Int64) -> JSONValue {
        let percent = total > 0 ? min(100, Double(finished) / Double(total) * 100) : 0
        return .object([
            ("eval_run_id", .string(run.evalRunID)),
            ("agent_version_id", .string(run.agentVersionID)),
            ("agent_name", .string(run.agentName)),
            ("version_number", .int(run.versionNumber)),
            ("miner_hotkey", .string(run.minerHotkey)),
            ("validator_hotkey", .string(run.validatorHotkey)),
            ("status", status(run.status)),
            ("started_at", .string(Wire.timestamp(run.claimedAt))),
            ("progress_percent", .double(percent)),
            ("phase", .string(run.phase)),
            ("race_id", WireValue.string(run.raceID)),
        ])
    }
}
