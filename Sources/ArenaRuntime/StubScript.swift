import ArenaModel
import LLM

/// A chat script that lets the example ReAct agent finish each problem in two model calls with a
/// zero-latency stub: search for the query, then terminate (the agent then recommends the best product it
/// saw). Entries match on the problem's query, `copies` times per problem (one per run of the problem).
public enum ReActStubScript {
    public static func make(queries: [String], copies: Int) -> ChatScript {
        var entries: [ChatScript.Entry] = []
        for _ in 0..<max(1, copies) {
            for query in queries {
                let search = JSONValue.array([.object([("name", "find_product"), ("parameters", .object([("q", .string(query)), ("page", 1)]))])])
                entries.append(ChatScript.Entry(
                    response: .string("<think>Search the catalog for what the user asked for.</think>\n<tool_call>"
                        + JSONWriter().string(search) + "</tool_call>"),
                    match: query))
                let stop = JSONValue.array([.object([("name", "terminate"), ("parameters", .object([("status", "success")]))])])
                entries.append(ChatScript.Entry(
                    response: .string("<think>The first results are the best candidates I have.</think>\n<tool_call>"
                        + JSONWriter().string(stop) + "</tool_call>"),
                    match: query))
            }
        }
        return ChatScript(entries: entries)
    }
}
