/// Reads the inputs of the weight modes from backend responses (oro-sdk 1.0.45 shapes), so the HTTP
/// part of `shoparena weights` is only three GETs.
public enum WeightSources {
    /// `top_miner_hotkey` and `emission_weight` of a `TopAgentResponse` (either may be null or absent).
    public static func topAgent(_ response: JSONValue) throws(PolicyError) -> (hotkey: String?, emissionWeight: Double?) {
        guard response.objectValue != nil else {
            throw .malformedResponse("/v1/public/top must return an object, got \(response.kindName)")
        }
        let hotkey = response["top_miner_hotkey"]?.stringValue
        let weight = response["emission_weight"]?.numberValue
        return (hotkey, weight)
    }

    /// The `race_id` of the newest `RACE_COMPLETE` race in a `RaceHistoryResponse` (races are newest
    /// first), or nil when none of them completed.
    public static func latestCompletedRaceID(_ history: JSONValue) throws(PolicyError) -> String? {
        guard let races = history["races"]?.arrayValue else {
            throw .malformedResponse("/v1/public/races/history must have a 'races' array")
        }
        for race in races where race["status"]?.stringValue == "RACE_COMPLETE" {
            guard let id = race["race_id"]?.stringValue else {
                throw .malformedResponse("a RACE_COMPLETE race has no race_id")
            }
            return id
        }
        return nil
    }

    /// The finishers of a `RaceDetailResponse`: qualifiers with a non-null `race_score` and `miner_hotkey`.
    public static func finishers(_ detail: JSONValue) throws(PolicyError) -> [WeightFinisher] {
        guard detail["race"] != nil else {
            throw .malformedResponse("/v1/public/races/{id} must have a 'race' object")
        }
        let qualifiers = detail["qualifiers"]?.arrayValue ?? []
        return qualifiers.compactMap { q in
            guard let score = q["race_score"]?.numberValue, let hotkey = q["miner_hotkey"]?.stringValue,
                let id = q["agent_version_id"]?.stringValue
            else { return nil }
            return WeightFinisher(hotkey: hotkey, raceScore: score, agentVersionID: id)
        }
    }
}
