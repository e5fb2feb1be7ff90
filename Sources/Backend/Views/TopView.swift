import ArenaModel
import Foundation
import Store

/// `TopAgentResponse` and `TopHistoryEntry` (oro-api.md §2.1), with the policy math of `TopAgentStatus`.
public enum TopView {
    /// The policy numbers for `top` at `now` (nil without a top).
    public static func status(_ top: TopRecord?, now: Int64, policy: ArenaPolicy) -> TopAgentStatus? {
        guard let top else { return nil }
        return TopAgentStatus(topScore: top.score, topSince: date(top.topAt), now: date(now), policy: policy)
    }

    public static func response(suiteID: Int64, top: TopRecord?, now: Int64, policy: ArenaPolicy) -> JSONValue {
        let status = status(top, now: now, policy: policy)
        return .object([
            ("suite_id", .int(suiteID)),
            ("computed_at", .string(Wire.timestamp(now))),
            ("top_agent_version_id", WireValue.string(top?.agentVersionID)),
            ("top_miner_hotkey", WireValue.string(top?.minerHotkey)),
            ("top_score", WireValue.double(top?.score)),
            ("policy", status?.policy ?? policy.jsonValue),
            ("challenge_threshold", WireValue.double(status?.challenge.threshold)),
            ("emission_weight", WireValue.double(status?.emissionWeight)),
            ("margin", WireValue.double(status?.challenge.margin)),
        ])
    }

    public static func historyEntry(_ top: TopRecord) -> JSONValue {
        .object([
            ("agent_version_id", .string(top.agentVersionID)),
            ("agent_name", .string(top.agentName)),
            ("miner_hotkey", .string(top.minerHotkey)),
            ("version_number", .int(top.versionNumber)),
            ("final_score", .double(top.score)),
            ("top_at", .string(Wire.timestamp(top.topAt))),
            ("is_current_top", .bool(top.isCurrent)),
            ("was_top", .bool(true)),
            ("suite_id", .int(top.suiteID)),
        ])
    }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
