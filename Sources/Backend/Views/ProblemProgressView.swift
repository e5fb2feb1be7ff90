import ArenaModel
import Store

/// `AgentVersionProblemsResponse` (oro-api.md §2.1): per visible problem, each validator's result.
public enum ProblemProgressView {
    static let statuses: Set<String> = ["PENDING", "RUNNING", "SUCCESS", "FAILED", "TIMED_OUT", "SKIPPED"]

    /// Groups rows (already in suite order) by problem, phase and race.
    public static func response(agentVersionID: String, suiteID: Int64?, rows: [RunProblemRecord]) -> JSONValue {
        struct Key: Hashable { var problem: String; var phase: String; var race: String? }
        var order: [Key] = []
        var groups: [Key: [RunProblemRecord]] = [:]
        for row in rows {
            let key = Key(problem: row.problemID, phase: row.phase, race: row.raceID)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(row)
        }
        let problems: [JSONValue] = order.map { key in
            let results = groups[key] ?? []
            return .object([
                ("problem_id", .string(key.problem)),
                ("category", WireValue.string(results.first?.category)),
                ("phase", .string(key.phase)),
                ("race_id", WireValue.string(key.race)),
                ("validator_results", .array(results.map(result))),
            ])
        }
        return .object([("agent_version_id", .string(agentVersionID)), ("problems", .array(problems)),
                        ("suite_id", WireValue.int(suiteID))])
    }

    static func result(_ row: RunProblemRecord) -> JSONValue {
        .object([
            ("eval_run_id", .string(row.evalRunID)),
            ("validator_hotkey", .string(row.validatorHotkey)),
            ("status", .string(statuses.contains(row.status) ? row.status : "PENDING")),
            ("score", WireValue.double(row.score)),
            ("score_components", WireValue.object(row.scoreComponentsSummary)),
            ("reasoning_score", WireValue.double(row.reasoningScore)),
            ("updated_at", .string(Wire.timestamp(row.updatedAt))),
            ("inference_failure_count", WireValue.int(row.inferenceFailureCount)),
            ("inference_total", WireValue.int(row.inferenceTotal)),
            ("execution_time", WireValue.double(row.executionTime)),
        ])
    }
}
