import ArenaModel

/// `preference` rows in TRL's conversational form, from the trajectories of one problem:
/// - DPO `{"prompt", "chosen", "rejected"}`: `prompt` the system and user messages; `chosen` the completion (assistant
///   and tool messages) of the problem's best success — the highest judge score, ties to the smaller trajectory id;
///   `rejected` the completion of a failure. One row per failure of a problem that has a success.
/// - KTO `{"prompt", "completion", "label"}`: one row per trajectory, `label` its outcome success.
/// Both carry the problem id, category and split; DPO rows name both trajectories and their judge scores.
public enum PreferenceRows {
    /// The best success among `records` (one problem's), or nil when none succeeded.
    public static func chosen(_ records: [TrajectoryRecord]) -> TrajectoryRecord? {
        records.filter(\.success).min { a, b in
            let (x, y) = (a.judge.reasoningScore ?? -1, b.judge.reasoningScore ?? -1)
            return x != y ? x > y : a.trajectoryID < b.trajectoryID
        }
    }

    public static func dpo(chosen: ExportItem, rejected: ExportItem) -> JSONValue {
        .object([
            ("prompt", .array(rejected.promptMessages.map(\.json))),
            ("chosen", .array(chosen.completionMessages.map(\.json))),
            ("rejected", .array(rejected.completionMessages.map(\.json))),
            ("problem_id", .string(rejected.record.provenance.problemID)),
            ("category", rejected.record.provenance.category.map(JSONValue.string) ?? .null),
            ("chosen_trajectory_id", .string(chosen.record.trajectoryID)),
            ("rejected_trajectory_id", .string(rejected.record.trajectoryID)),
            ("chosen_judge_score", chosen.record.judge.reasoningScore.map(JSONValue.double) ?? .null),
            ("rejected_judge_score", rejected.record.judge.reasoningScore.map(JSONValue.double) ?? .null),
            ("split", .string(rejected.pool.rawValue)),
        ])
    }

    public static func kto(_ item: ExportItem) -> JSONValue {
        .object([
            ("prompt", .array(item.promptMessages.map(\.json))),
            ("completion", .array(item.completionMessages.map(\.json))),
            ("label", .bool(item.record.success)),
        ] + item.columns)
    }
}
