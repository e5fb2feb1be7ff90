/// One step of an agent's dialogue, kept as the raw JSON the agent returned, with accessors for the
/// parts the scorer and the judge read (`reference/oro-validator.md` §1):
///
/// ```
/// {"completion": {"reasoning_content": "", "content": "<think>…</think>\n<tool_call>[…]</tool_call>\n<response>…</response>",
///                 "message": {"think": str, "tool_call": [{"name", "parameters", "tool_call_id", "result"}], "response": str}},
///  "extra_info": {"step": 1, "query": str, "timestamp": 1716000000000}}
/// ```
///
/// Every accessor returns nil when the part is missing or has another type; nothing here throws, so
/// a malformed step can always be inspected and reported.
public struct DialogueStep: Sendable, Hashable {
    public var raw: JSONValue

    public init(raw: JSONValue) { self.raw = raw }

    /// `completion` when it is an object.
    public var completion: JSONValue? { object(raw["completion"]) }
    /// `completion.message` when it is an object.
    public var message: JSONValue? { object(completion?["message"]) }
    /// `completion.message.think` when it is a string.
    public var think: String? { message?["think"]?.stringValue }
    /// `completion.message.response` when it is a string.
    public var response: String? { message?["response"]?.stringValue }
    /// `completion.message.tool_call` as written, whatever its type.
    public var rawToolCall: JSONValue? { message?["tool_call"] }
    /// `completion.message.tool_call` when it is a list (items may still be malformed).
    public var toolCalls: [ToolCall]? { rawToolCall?.arrayValue?.map(ToolCall.init(raw:)) }
    /// `extra_info` when it is an object.
    public var extraInfo: JSONValue? { object(raw["extra_info"]) }
    /// `extra_info.timestamp` as written.
    public var rawTimestamp: JSONValue? { extraInfo?["timestamp"] }
    /// `extra_info.timestamp` (milliseconds since the epoch) when it is a positive number.
    public var timestamp: Double? {
        guard let t = rawTimestamp?.numberValue, t > 0, t.isFinite else { return nil }
        return t
    }
    /// `extra_info.step` (1-based) when it is an integer.
    public var stepNumber: Int? { extraInfo?["step"]?.intValue.map { Int($0) } }
    /// `extra_info.query` when it is a string.
    public var query: String? { extraInfo?["query"]?.stringValue }
    /// `extra_info.proxy_calls` (the reference buckets proxy calls per step there).
    public var proxyCalls: [JSONValue]? { extraInfo?["proxy_calls"]?.arrayValue }

    private func object(_ v: JSONValue?) -> JSONValue? {
        if case .object? = v { return v }
        return nil
    }
}

/// One item of a step's `tool_call` list: `{"name", "parameters", "tool_call_id", "result"}`.
public struct ToolCall: Sendable, Hashable {
    public var raw: JSONValue

    public init(raw: JSONValue) { self.raw = raw }

    /// `name` when it is a string.
    public var name: String? { raw["name"]?.stringValue }
    /// `parameters` when it is an object.
    public var parameters: JSONValue? {
        if case .object? = raw["parameters"] { return raw["parameters"] }
        return nil
    }
    public var toolCallID: String? { raw["tool_call_id"]?.stringValue }
    public var result: JSONValue? { raw["result"] }

    /// A call in the shape the format rule accepts: an object with a string `name` and an object `parameters`.
    public var isWellFormed: Bool { name != nil && parameters != nil }
}

extension DialogueStep {
    /// Builds a step the way the reference helper `create_dialogue_step` does: `message` holds only the
    /// non-empty parts; `content` is the tagged text, whose tool-call JSON keeps only `name` and
    /// `parameters`; `extra_info` carries `step`, `query` and, when given, `timestamp` (ms).
    public static func make(
        think: String = "", toolCalls: [JSONValue] = [], response: String = "", query: String, step: Int,
        timestamp: Int64? = nil
    ) -> DialogueStep {
        var message: [(String, JSONValue)] = []
        var parts: [String] = []
        if !think.isEmpty {
            message.append(("think", .string(think)))
            parts.append("<think>\(think)</think>")
        }
        if !toolCalls.isEmpty {
            message.append(("tool_call", .array(toolCalls)))
            let visible = toolCalls.map { call -> JSONValue in
                .object([("name", call["name"] ?? .null), ("parameters", call["parameters"] ?? .object([]))])
            }
            parts.append("<tool_call>\(JSONWriter(style: .python).string(.array(visible)))</tool_call>")
        }
        if !response.isEmpty {
            message.append(("response", .string(response)))
            parts.append("<response>\(response)</response>")
        }
        var extra: [(String, JSONValue)] = [("step", .int(Int64(step))), ("query", .string(query))]
        if let timestamp { extra.append(("timestamp", .int(timestamp))) }
        return DialogueStep(
            raw: .object([
                (
                    "completion",
                    .object([
                        ("reasoning_content", .string("")), ("content", .string(parts.joined(separator: "\n"))),
                        ("message", .object(message)),
                    ])
                ),
                ("extra_info", .object(extra)),
            ]))
    }

    /// A tool-call item `{"name", "parameters"}` (plus `result` when given).
    public static func call(_ name: String, _ parameters: [(String, JSONValue)], result: JSONValue? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("name", .string(name)), ("parameters", .object(parameters))]
        if let result { pairs.append(("result", result)) }
        return .object(pairs)
    }
}
