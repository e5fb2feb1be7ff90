import ArenaModel
import Store

/// `PendingEvaluation` and `ValidatorPublic` (oro-api.md §2.1).
public enum EvaluationQueueView {
    /// `now` decides whether a back-off (`next_attempt_at`) is still running.
    public static func pending(_ item: WorkItemRecord, version: AgentVersionRecord, now: Int64) -> JSONValue {
        .object([
            ("work_item_id", .string(item.workItemID)),
            ("agent_version_id", .string(item.agentVersionID)),
            ("agent_name", .string(version.agentName)),
            ("version_number", .int(version.versionNumber)),
            ("miner_hotkey", .string(version.minerHotkey)),
            ("suite_id", .int(item.suiteID)),
            ("required_successes", .int(item.requiredSuccesses)),
            ("completed_successes", .int(item.includedSuccessCount)),
            ("active_runs", .int(item.activeRuns)),
            ("remaining", .int(max(0, item.requiredSuccesses - item.includedSuccessCount))),
            ("queued_at", .string(Wire.timestamp(item.queuedAt))),
            ("phase", .string(item.phase)),
            ("race_id", WireValue.string(item.raceID)),
        ] + EvaluationHoldView.fields(item, now: now))
    }

    /// Status is lower-case `evaluating` while the validator holds a leased run, else `available`; `metrics`
    /// is its latest host report (1.0.50's `cpu_pct`, `ram_pct`, `disk_pct`, `docker_container_count`,
    /// `metrics_reported_at`; null until it reports).
    public static func validator(_ validator: ValidatorRecord, metrics: HostMetrics? = nil) -> JSONValue {
        let current: JSONValue = validator.currentRun.map { run in
            JSONValue.object([("agent_name", .string(run.agentName)), ("version_id", .string(run.agentVersionID)),
                     ("version_number", .int(run.versionNumber)), ("started_at", .string(Wire.timestamp(run.claimedAt)))])
        } ?? .null
        return .object([
            ("hotkey", .string(validator.hotkey)),
            ("status", .string(validator.currentRun == nil ? "available" : "evaluating")),
            ("registered_at", .string(Wire.timestamp(validator.registeredAt))),
            ("name", WireValue.string(validator.name)),
            ("last_claim_at", Wire.timestamp(validator.lastClaimAt)),
            ("last_seen_at", Wire.timestamp(validator.lastSeenAt)),
            ("current_agent", current),
            ("service_versions", WireValue.object(validator.serviceVersions)),
            ("identity_url", .null),
            ("identity_image", .null),
            ("identity_description", .null),
        ] + hostMetrics(metrics))
    }

    /// The five host-metric fields of `ValidatorPublic` / the admin validator entry.
    public static func hostMetrics(_ metrics: HostMetrics?) -> [(String, JSONValue)] {
        [
            ("cpu_pct", WireValue.double(metrics?.cpuPct)), ("ram_pct", WireValue.double(metrics?.ramPct)),
            ("disk_pct", WireValue.double(metrics?.diskPct)),
            ("docker_container_count", WireValue.int(metrics?.dockerContainerCount)),
            ("metrics_reported_at", Wire.timestamp(metrics?.reportedAt)),
        ]
    }
}
