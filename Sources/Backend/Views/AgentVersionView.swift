import ArenaModel
import Store

/// `AgentVersionPublic` (oro-api.md §2.1). Only released versions are served, so `released_at` and
/// `code_available_at` (both the end of the code embargo; required, non-null datetimes for oro-sdk 1.0.129+)
/// are always set there.
public enum AgentVersionView {
    public static func json(_ version: AgentVersionRecord) -> JSONValue {
        .object([
            ("agent_version_id", .string(version.agentVersionID)),
            ("agent_id", .string(version.agentID)),
            ("agent_name", .string(version.agentName)),
            ("miner_hotkey", .string(version.minerHotkey)),
            ("version_number", .int(version.versionNumber)),
            ("submitted_at", .string(Wire.timestamp(version.submittedAt))),
            ("suite_id", WireValue.int(version.suiteID)),
            ("latest_final_score", WireValue.double(version.finalScore)),
            ("released_at", Wire.timestamp(version.codeAvailableAt)),
            ("code_available_at", Wire.timestamp(version.codeAvailableAt)),
        ])
    }
}
