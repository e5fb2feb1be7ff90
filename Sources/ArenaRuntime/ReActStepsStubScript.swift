import ArenaModel
import LLM

/// The stub LLM's script that makes the example ReAct agent take exactly `steps` model calls per problem (bench e2e
/// `--steps`): every answer's `<think>` carries a `[[step k]]` marker that the agent copies into its history, so the
/// request of step k+1 is recognised by marker k (highest marker first); steps before the last search the catalog,
/// the last one terminates. `copies`: runs of each problem to script for (unused entries are harmless).
public enum ReActStepsStubScript {
    public static func make(problems: Int, steps: Int, copies: Int) -> ChatScript {
        let steps = max(1, steps)
        let runs = max(1, copies) * max(1, problems)
        func answer(step: Int) -> JSONValue {
            let call: JSONValue = step == steps
                ? .object([("name", "terminate"), ("parameters", .object([("status", "success")]))])
                : .object([("name", "find_product"), ("parameters", .object([("q", .string("shoes \(step)")), ("page", 1)]))])
            return .string("<think>[[step \(step)]] Keep looking for the best match.</think>\n<tool_call>"
                + JSONWriter().string(.array([call])) + "</tool_call>")
        }
        var entries: [ChatScript.Entry] = []
        for step in stride(from: steps, through: 2, by: -1) {
            entries += Array(repeating: ChatScript.Entry(response: answer(step: step), match: "[[step \(step - 1)]]"), count: runs)
        }
        entries += Array(repeating: ChatScript.Entry(response: answer(step: 1), match: "# Dialogue Records History"), count: runs)
        return ChatScript(entries: entries)
    }
}
