import ArenaModel
@testable import Corpus

/// Hand-built dialogues and proxy logs for the corpus tests.
enum Fixture {
    static let query = "red running shoes under 500"

    /// An ORO step (`message.tool_call` with results).
    static func step(_ n: Int, think: String = "", _ calls: [JSONValue] = [], response: String = "") -> JSONValue {
        DialogueStep.make(think: think, toolCalls: calls, response: response, query: query, step: n, timestamp: 1_700_000_000_000 + Int64(n)).raw
    }

    static func call(_ name: String, _ parameters: [(String, JSONValue)], result: JSONValue? = "ok") -> JSONValue {
        DialogueStep.call(name, parameters, result: result)
    }

    static let searchResult: JSONValue = .array([.object([("product_id", "101"), ("title", "Red runner"), ("price", 299)])])

    /// A complete, acceptable trajectory in the ORO message dialect: search, view, recommend, terminate.
    static var goodSteps: [JSONValue] {
        [
            step(1, think: "Search first.", [call("find_product", [("q", "red running shoes"), ("page", 1)], result: searchResult)]),
            step(2, think: "Check 101.", [call("view_product_information", [("product_ids", "101")], result: .array([.object([("product_id", "101")])]))]),
            step(3, think: "101 fits.", [call("recommend_product", [("product_ids", "101")],
                                              result: "Having recommended the products to the user: 101.")]),
            step(4, think: "Done.", [call("terminate", [("status", "success")],
                                          result: "The interaction has been completed with status: success")], response: "Here it is."),
        ]
    }

    static func envelope(_ steps: [JSONValue], status: EnvelopeStatus = .success, calls: [ProxyCallRecord] = []) -> Envelope {
        Envelope(problemID: "p1", status: status, executionTime: 1.5, dialogue: status == .success ? .array(steps) : nil,
                 proxyCalls: .array(calls.map(\.json)))
    }

    // MARK: proxy logs

    /// An inference call at `at` ms lasting `duration` whose reply proposed `calls`.
    static func reply(at: Int64, duration: Double = 10, status: Int = 200, proposing calls: [ProposedToolCall]) -> ProxyCallRecord {
        ProxyCallRecord(timestamp: at, method: "POST", path: "/inference/chat/completions", model: "m", status: status,
                        durationMs: duration, usage: .init(promptTokens: 100, completionTokens: 20, totalTokens: 120),
                        proposedCalls: status == 200 ? calls : nil)
    }

    /// A search dispatch at `at` ms with its raw query string (the arguments are decoded from it, as the proxy does).
    static func dispatch(at: Int64, _ path: String = "/search/find_product", query: String, status: Int = 200) -> ProxyCallRecord {
        ProxyCallRecord(timestamp: at, method: "GET", path: path, query: query, status: status, durationMs: 2,
                        productIDs: ["101"], arguments: .object(QueryString.decode(query).map { ($0.0, .string($0.1)) }))
    }

    static func proposal(_ name: String, _ arguments: [(String, JSONValue)]) -> ProposedToolCall {
        ProposedToolCall(name: name, arguments: .object(arguments), source: .text)
    }
}
