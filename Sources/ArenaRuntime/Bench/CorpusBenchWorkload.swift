import ArenaModel
import Corpus
import Foundation
import Store
import Validator

/// Generated trajectories for `shoparena bench corpus`: envelopes with their trusted proxy log, stored as the gzip
/// bytes a validator uploads. The pool mixes every dialect (ORO message, `<tool_call>` text, native `tool_calls`,
/// chat messages), every verdict shape (the model proposes each dispatch, proposes none, or is never called) and the
/// hard rejects (no recommendation, an unknown id, a call without result), with 2–4 searches of 5 results each, a
/// view, the recommendation and terminate per trajectory.
public enum CorpusBenchWorkload {
    /// One generated trajectory: the problem's query and the gzip bytes of its envelope with the trusted proxy log.
    public struct Item: Sendable {
        public var query: String
        public var log: [UInt8]
    }

    static let dialects = ["message", "text", "native", "chat"]

    /// The 30 problems the generated records name (`problem-0` … `problem-29`, category by number mod 3), as suite 1;
    /// `problem-0`, `-10` and `-20` — the problems of the records marked hidden — as its hidden race bank.
    public static func storeProblems(in database: any SQLDatabase) async throws {
        let voucher: JSONValue = [
            "voucher_type": "platform", "threshold": 63, "discount_type": "percentage", "face_value": nil, "discount": 0.34,
            "cap": 28, "price_after_voucher": 74.0, "budget": 82,
        ]
        let problems = try (0..<30).map { k -> Problem in
            let category = ["Product", "Shop", "Voucher"][k % 3]
            func item(_ n: Int) -> JSONValue {
                ["product_id": .string(String(2_000_000 + k * 10 + n)), "title": [.string("Bench item \(k)-\(n) \(category.lowercased())")],
                 "price": [["less than": [nil, .int(Int64(500 + k))]]]]
            }
            var record: JSONValue = ["problem_id": .string("problem-\(k)"), "query": .string("bench problem \(k): a \(category.lowercased()) task"),
                                     "category": .string(category), "reward": k % 3 == 0 ? item(0) : [item(0), item(1)]]
            if k % 3 == 2 { record = record.setting("voucher", to: voucher) }
            return try Problem(json: record)
        }
        let suites = SuiteRepository(database: database)
        let now = SystemClock().nowMillis()
        let suite = try await suites.create(ProblemSuite(problems: problems.filter { !$0.id.hasSuffix("0") }), sourceURI: nil, now: now)
        _ = try await suites.addHiddenBank(ProblemSuite(problems: problems.filter { $0.id.hasSuffix("0") }), to: suite.suiteID)
    }

    /// `size` generated trajectories (at least one), the same for the same seed.
    public static func pool(size: Int, seed: UInt64) -> [Item] {
        var rng = SplitMix64(seed: seed)
        return (0..<max(1, size)).map { n in item(n, &rng) }
    }

    static func item(_ n: Int, _ rng: inout SplitMix64) -> Item {
        let words = ["red", "running", "shoes", "leather", "wallet", "steel", "water", "bottle", "cotton", "shirt", "garden", "hose"]
        func word() -> String { words[Int(rng.next() % UInt64(words.count))] }
        let query = "\(word()) \(word()) \(word()) under \(100 + Int(rng.next() % 900)) pesos, problem \(n)"
        let searches = 2 + Int(rng.next() % 3)
        let shape = n % 3  // 0 agentic, 1 scripted, 2 no-llm
        let reject = n % 10  // 7 no recommend, 8 unknown id, 9 call without result
        var calls: [(name: String, arguments: JSONValue, result: JSONValue?)] = []
        var ids: [String] = []
        for s in 0..<searches {
            let results: JSONValue = .array((0..<5).map { k in
                let id = String(1_000_000 + (n * 37 + s * 5 + k) % 900_000)
                ids.append(id)
                return .object([("product_id", .string(id)), ("shop_id", .string("shop\(k)")),
                                ("title", .string("\(word().capitalized) \(word()) \(word()) item \(k)")),
                                ("price", .double(Double(50 + Int(rng.next() % 950)))), ("service", .array(["COD"])),
                                ("sold_count", .int(Int64(rng.next() % 5_000)))])
            })
            let q = s == 0 ? query : "\(word()) \(word())"
            calls.append(("find_product", .object([("q", .string(q)), ("page", .int(Int64(1 + s % 2)))]), results))
        }
        let pick = ids[Int(rng.next() % UInt64(ids.count))]
        calls.append(("view_product_information", .object([("product_ids", .string(pick))]),
                      reject == 9 ? nil : .array([.object([("product_id", .string(pick)), ("attributes", .object([]))])])))
        if reject != 7 {
            calls.append(("recommend_product", .object([("product_ids", .string(reject == 8 ? "UNKNOWN-\(n)" : pick))]),
                          .string("Having recommended the products to the user: \(pick).")))
        }
        calls.append(("terminate", .object([("status", "success")]), .string("The interaction has been completed with status: success")))

        // The trusted log: per catalogue call a reply (proposing it, or not) and the dispatch.
        var log: [ProxyCallRecord] = []
        var t: Int64 = 1_790_000_000_000 + Int64(n) * 100_000
        for call in calls where call.name == "find_product" || call.name == "view_product_information" {
            if shape != 2 {
                let proposal = ProposedToolCall(name: call.name, arguments: call.arguments, source: .text)
                log.append(ProxyCallRecord(timestamp: t, method: "POST", path: "/inference/chat/completions", model: "m", status: 200,
                                           durationMs: 800, usage: .init(promptTokens: 1_200, completionTokens: 90, totalTokens: 1_290),
                                           proposedCalls: shape == 0 ? [proposal] : []))
                t += 900
            }
            // As the proxy logs a dispatch: every query parameter as text.
            let arguments = (call.arguments.objectValue ?? []).map { ($0.0, JSONValue.string($0.1.stringValue ?? JSONWriter().string($0.1))) }
            log.append(ProxyCallRecord(timestamp: t, method: "GET", path: "/search/\(call.name)", query: "q=x", status: 200,
                                       durationMs: 3, productIDs: ids, arguments: .object(arguments)))
            t += 10
        }
        let dialogue = steps(calls, dialect: dialects[n % dialects.count], query: query)
        let envelope = Envelope(problemID: "bench-\(n)", status: .success, executionTime: 12.5, inferenceFailureCount: 0,
                                inferenceTotal: shape == 2 ? 0 : searches + 1, dialogue: dialogue, proxyCalls: .array(log.map(\.json)))
        return Item(query: query, log: StoredGzip.wrap(Array(envelope.jsonLine.utf8)))
    }

    static func steps(_ calls: [(name: String, arguments: JSONValue, result: JSONValue?)], dialect: String, query: String) -> JSONValue {
        switch dialect {
        case "chat":
            var messages: [JSONValue] = [.object([("role", "system"), ("content", "agent prompt")]), .object([("role", "user"), ("content", .string(query))])]
            for (i, call) in calls.enumerated() {
                messages.append(.object([("role", "assistant"), ("content", ""), ("reasoning_content", .string("Step \(i + 1): \(call.name).")),
                                         ("tool_calls", .array([.object([("id", .string("c\(i)")), ("type", "function"),
                                             ("function", .object([("name", .string(call.name)), ("arguments", .string(JSONWriter().string(call.arguments)))]))])]))]))
                if let result = call.result {
                    messages.append(.object([("role", "tool"), ("tool_call_id", .string("c\(i)")), ("content", .string(JSONWriter().string(result)))]))
                }
            }
            return .array(messages)
        default:
            return .array(calls.enumerated().map { i, call -> JSONValue in
                let think = "Step \(i + 1): call \(call.name) and compare titles, prices and services with the request."
                switch dialect {
                case "text":
                    let body = JSONWriter().string(.array([.object([("name", .string(call.name)), ("parameters", call.arguments)])]))
                    let obs = call.result.map { "\n<obs>" + JSONWriter().string(.array([$0])) + "</obs>" } ?? ""
                    return .object([("completion", .object([("content", .string("<think>\(think)</think>\n<tool_call>\(body)</tool_call>\(obs)"))])),
                                    ("extra_info", .object([("step", .int(Int64(i + 1))), ("query", .string(query))]))])
                case "native":
                    var item: [(String, JSONValue)] = [("id", .string("n\(i)")), ("type", "function"),
                        ("function", .object([("name", .string(call.name)), ("arguments", .string(JSONWriter().string(call.arguments)))]))]
                    if let result = call.result { item.append(("result", result)) }
                    return .object([("completion", .object([("reasoning_content", .string(think)),
                                                            ("message", .object([("tool_calls", .array([.object(item)]))]))])),
                                    ("extra_info", .object([("step", .int(Int64(i + 1))), ("query", .string(query))]))])
                default:
                    var item: [(String, JSONValue)] = [("name", .string(call.name)), ("parameters", call.arguments)]
                    if let result = call.result { item.append(("result", result)) }
                    return DialogueStep.make(think: think, toolCalls: [.object(item)], query: query, step: i + 1,
                                             timestamp: 1_790_000_000_000 + Int64(i)).raw
                }
            })
        }
    }
}
