import ArenaModel
import Store

/// `AgentVersionPublic` (oro-api.md §2.1).
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
        ])
    }
}
