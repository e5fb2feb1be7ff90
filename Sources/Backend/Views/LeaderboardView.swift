import ArenaModel
import Store

/// `LeaderboardEntry` (oro-api.md §2.1): one ranked version with its top-status flags.
public enum LeaderboardView {
    /// `history` is the suite's `top_history` (any order); `rank` is 1-based over the whole board; `standing`
    /// (who would race now) gives 1.0.50's `is_active_qualifier` and `outranked_by_agent_version_id`.
    public static func entry(_ version: AgentVersionRecord, rank: Int64, history: [TopRecord],
                             standing: RaceStanding? = nil) -> JSONValue {
        let mine = history.filter { $0.agentVersionID == version.agentVersionID }
        let latestTop = mine.map(\.topAt).max()
        return .object([
            ("rank", .int(rank)),
            ("agent_version_id", .string(version.agentVersionID)),
            ("agent_name", .string(version.agentName)),
            ("miner_hotkey", .string(version.minerHotkey)),
            ("version_number", .int(version.versionNumber)),
            ("final_score", .double(version.finalScore ?? 0)),
            ("race_score", WireValue.double(version.raceScore)),
            ("eligible_at", Wire.timestamp(version.eligibleAt)),
            ("is_discarded", .bool(version.isDiscarded)),
            ("is_miner_banned", .bool(version.isMinerBanned)),
            ("is_current_top", .bool(mine.contains { $0.isCurrent })),
            ("was_top", .bool(mine.contains { !$0.isCurrent })),
            ("top_at", Wire.timestamp(latestTop)),
            ("is_active_qualifier", .bool(standing?.isActiveQualifier(version.agentVersionID) ?? false)),
            ("outranked_by_agent_version_id", WireValue.string(standing?.outrankedBy(version.agentVersionID))),
        ])
    }
}
