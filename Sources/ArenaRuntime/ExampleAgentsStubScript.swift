import ArenaModel
import LLM

/// The stub LLM's script for the three example agents together, robust to runs of the same problem at the same time:
///
/// - the scripted classifier's `# Intent classification` and `# Narration` requests get a label and a sentence
///   (these entries come first, so they never fall to the ReAct entries that also match the query);
/// - the ReAct agent's second request (its history holds an observation, `</obs>`) gets `terminate`, whichever run it
///   belongs to;
/// - its first request (matched by the problem's query) gets a `find_product` for that query.
///
/// With `ReActStubScript` both entries of a problem matched the query, so two validators running one problem at once
/// could take each other's turn. `copies`: how many runs of each problem to script for (unused entries are harmless).
public enum ExampleAgentsStubScript {
    public static func make(queries: [String], copies: Int) -> ChatScript {
        let runs = max(1, copies) * max(1, queries.count)
        var entries: [ChatScript.Entry] = []
        entries += Array(repeating: ChatScript.Entry(response: "product", match: "# Intent classification"), count: runs)
        entries += Array(repeating: ChatScript.Entry(response: "These products match every requirement of your request.",
                                                     match: "# Narration"), count: runs)
        let stop = JSONValue.array([.object([("name", "terminate"), ("parameters", .object([("status", "success")]))])])
        entries += Array(repeating: ChatScript.Entry(
            response: .string("<think>The first results are the best candidates I have.</think>\n<tool_call>"
                + JSONWriter().string(stop) + "</tool_call>"),
            match: "</obs>"), count: runs)
        for _ in 0..<max(1, copies) {
            for query in queries {
                let search = JSONValue.array([.object([("name", "find_product"), ("parameters", .object([("q", .string(query)), ("page", 1)]))])])
                entries.append(ChatScript.Entry(
                    response: .string("<think>Search the catalog for what the user asked for.</think>\n<tool_call>"
                        + JSONWriter().string(search) + "</tool_call>"),
                    match: query))
            }
        }
        return ChatScript(entries: entries)
    }
}

extension ExampleAgentsStubScript {
    /// ``make(queries:copies:)`` for every problem of the suite file `suite` (ORO suite JSON or ShoppingBench JSONL).
    public static func make(suite: String, copies: Int) throws(EvaluationSetupError) -> ChatScript {
        make(queries: try LocalEvaluation.loadSuite(suite).map(\.query), copies: copies)
    }
}
