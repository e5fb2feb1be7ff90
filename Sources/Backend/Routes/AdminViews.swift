import ArenaModel
import Store

/// JSON shapes of the admin listings, built from the repository's rows. Times go out as ISO-8601 (`Wire`),
/// booleans as booleans and stored JSON columns as objects.
enum AdminViews {
    static func time(_ row: SQLRow, _ column: String) -> JSONValue { Wire.timestamp(row.optionalInt(column)) }
    static func text(_ row: SQLRow, _ column: String) -> JSONValue { row.optionalString(column).map(JSONValue.string) ?? .null }
    static func int(_ row: SQLRow, _ column: String) -> JSONValue { row.optionalInt(column).map(JSONValue.int) ?? .null }
    static func number(_ row: SQLRow, _ column: String) -> JSONValue { row.optionalDouble(column).map(JSONValue.double) ?? .null }
    static func bool(_ row: SQLRow, _ column: String) -> JSONValue { .bool(row.optionalBool(column) ?? false) }
    /// A stored JSON document, parsed (null when absent or unreadable).
    static func json(_ row: SQLRow, _ column: String) -> JSONValue { parsed(row.optionalString(column)) }

    static func parsed(_ text: String?) -> JSONValue {
        guard let text, let value = try? JSONParser.parse(text) else { return .null }
        return value
    }

    static func version(_ row: SQLRow) -> JSONValue {
        .object([
            ("agent_version_id", text(row, "agent_version_id")), ("agent_id", text(row, "agent_id")),
            ("agent_name", text(row, "agent_name")), ("miner_hotkey", text(row, "miner_hotkey")),
            ("version_number", int(row, "version_number")), ("created_at", time(row, "submitted_at")),
            ("submitted_at", time(row, "submitted_at")), ("suite_id", int(row, "suite_id")), ("state", text(row, "state")),
            ("is_eligible", .bool(row.optionalString("state") == "ELIGIBLE")), ("is_discarded", bool(row, "is_discarded")),
            ("discard_reason", text(row, "discard_reason")), ("final_score", number(row, "final_score")),
            ("race_score", number(row, "race_score")), ("reasoning_coefficient", number(row, "reasoning_coefficient")),
            ("eligible_at", time(row, "eligible_at")), ("code_available_at", time(row, "code_available_at")),
            ("eliminated_at", time(row, "eliminated_at")), ("eliminated_in_race_number", int(row, "eliminated_in_race_number")),
            ("code_sha256", text(row, "code_sha256")), ("code_size", int(row, "code_size")),
        ])
    }

    /// EvaluationRunPublic plus the admin entry's names (`run_id`, `created_at`, `score`, `eval_work_item_id`).
    static func run(_ row: SQLRow) -> JSONValue {
        .object([
            ("run_id", text(row, "eval_run_id")), ("created_at", time(row, "claimed_at")), ("score", number(row, "validator_score")),
            ("eval_work_item_id", text(row, "work_item_id")),
            ("eval_run_id", text(row, "eval_run_id")), ("agent_version_id", text(row, "agent_version_id")),
            ("suite_id", int(row, "suite_id")), ("validator_hotkey", text(row, "validator_hotkey")),
            ("status", text(row, "status")), ("claimed_at", time(row, "claimed_at")),
            ("lease_expires_at", time(row, "lease_expires_at")), ("is_included", bool(row, "is_included")),
            ("last_heartbeat_at", time(row, "last_heartbeat_at")), ("completed_at", time(row, "completed_at")),
            ("invalidated_at", time(row, "invalidated_at")), ("invalidated_by", text(row, "invalidated_by")),
            ("invalidation_reason", text(row, "invalidation_reason")), ("failure_reason", text(row, "failure_reason")),
            ("validator_score", number(row, "validator_score")), ("reasoning_quality", number(row, "reasoning_quality")),
            ("reasoning_coefficient", number(row, "reasoning_coefficient")),
            ("score_components_summary", json(row, "score_components")), ("service_versions", json(row, "service_versions")),
            ("sandbox_metadata", json(row, "sandbox_metadata")), ("phase", text(row, "phase")),
            ("race_id", text(row, "race_id")), ("race_number", int(row, "race_number")),
        ])
    }

    static func miner(_ row: SQLRow) -> JSONValue {
        .object([
            ("miner_hotkey", text(row, "hotkey")), ("is_banned", bool(row, "is_banned")),
            ("ban_reason", text(row, "ban_reason")), ("banned_at", time(row, "banned_at")),
            ("agent_count", .int(row.optionalInt("agent_count") ?? 0)), ("version_count", .int(row.optionalInt("version_count") ?? 0)),
            ("registered_at", time(row, "registered_at")), ("last_submitted_at", time(row, "last_submit_at")),
            ("cooldown_until", time(row, "cooldown_until")),
        ])
    }

    /// ValidatorPublic plus `is_banned`, `ban_reason`, `banned_at`, and 1.0.50's host metrics.
    static func validator(_ row: SQLRow, metrics: HostMetrics?) -> JSONValue {
        .object([
            ("hotkey", text(row, "hotkey")),
            ("status", .string((row.optionalInt("active_runs") ?? 0) > 0 ? "evaluating" : "available")),
            ("registered_at", time(row, "registered_at")), ("name", text(row, "name")),
            ("last_claim_at", time(row, "last_claim_at")), ("last_seen_at", time(row, "last_seen_at")),
            ("service_versions", json(row, "service_versions")),
            ("is_banned", bool(row, "is_banned")), ("ban_reason", text(row, "ban_reason")), ("banned_at", time(row, "banned_at")),
        ] + EvaluationQueueView.hostMetrics(metrics))
    }

    static func event(_ event: AuditEvent) -> JSONValue {
        .object([
            ("event_id", .string(event.eventID)), ("action", .string(event.action)), ("target_type", .string(event.targetType)),
            ("target_id", .string(event.targetID)), ("actor_hotkey", .string(event.actorHotkey)),
            ("created_at", .string(Wire.timestamp(event.createdAt))),
            ("reason", event.reason.map(JSONValue.string) ?? .null), ("details", parsed(event.details)),
        ])
    }
}
