import ArenaModel
import Store

/// `RacePublic` and `RaceQualifierPublic` (reference/oro-api.md §5) from race rows.
enum RaceViews {
    /// `projectedCompletionAt`: 1.0.50's estimate of when a running race's work is done (nil otherwise).
    static func race(_ race: RaceRecord, qualifiers: [RaceQualifierRecord], projectedCompletionAt: Int64? = nil) -> JSONValue {
        let winnerName = qualifiers.first { $0.agentVersionID == race.winnerAgentVersionID }?.agentName
        return .object([
            ("race_id", .string(race.raceID)),
            ("suite_id", .int(race.suiteID)),
            ("status", .string(race.status.rawValue)),
            ("race_number", .int(race.raceNumber)),
            ("qualifying_closes_at", Wire.timestamp(race.qualifyingClosesAt)),
            ("race_started_at", Wire.timestamp(race.raceStartedAt)),
            ("race_completed_at", Wire.timestamp(race.raceCompletedAt)),
            ("winner_agent_version_id", race.winnerAgentVersionID.map(JSONValue.string) ?? .null),
            ("winner_score", race.winnerScore.map(JSONValue.double) ?? .null),
            ("qualifying_threshold", race.qualifyingThreshold.map(JSONValue.double) ?? .null),
            ("winner_agent_name", winnerName.map(JSONValue.string) ?? .null),
            ("qualifier_count", .int(Int64(qualifiers.count))),
            ("created_at", Wire.timestamp(race.createdAt)),
            ("projected_completion_at", Wire.timestamp(projectedCompletionAt)),
        ])
    }

    static func qualifier(_ q: RaceQualifierRecord) -> JSONValue {
        .object([
            ("agent_version_id", .string(q.agentVersionID)),
            ("qualification_type", .string(q.qualificationType)),
            ("agent_name", q.agentName.map(JSONValue.string) ?? .null),
            ("miner_hotkey", q.minerHotkey.map(JSONValue.string) ?? .null),
            ("version_number", .int(Int64(q.versionNumber))),
            ("qualifying_score", q.qualifyingScore.map(JSONValue.double) ?? .null),
            ("race_score", q.raceScore.map(JSONValue.double) ?? .null),
            ("race_rank", q.raceRank.map { .int(Int64($0)) } ?? .null),
            ("eliminated_at", Wire.timestamp(q.eliminatedAt)),
        ])
    }
}
