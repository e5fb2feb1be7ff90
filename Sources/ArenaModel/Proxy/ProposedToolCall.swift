import Foundation

/// A tool call that an LLM reply proposed, as the proxy read it from the reply on its way back to the agent.
///
/// The trusted log keeps these next to the catalogue dispatches, so the corpus can measure who chose each call:
/// a dispatch whose tool and arguments an earlier reply proposed was the model's choice (agentic); one that no
/// reply proposed was the program's (scripted). Both spellings models use are read:
/// - native OpenAI `message.tool_calls`: `[{"id", "type": "function", "function": {"name", "arguments": "<json>"}}]`;
/// - text: every `<tool_call>…</tool_call>` span of `message.content`, holding a JSON list (ORO/ShoppingBench)
///   or one object (Hermes/Qwen style) of `{"name", "parameters" | "arguments"}`.
public struct ProposedToolCall: Sendable, Hashable {
    /// Where in the reply the call was written.
    public enum Source: String, Sendable, Hashable {
        /// `message.tool_calls`.
        case native
        /// A `<tool_call>` span of the content text.
        case text
    }

    public var name: String
    /// The arguments object (an empty object when the call had none or they were not an object).
    public var arguments: JSONValue
    /// The call id a native call carried.
    public var id: String?
    public var source: Source

    public init(name: String, arguments: JSONValue, id: String? = nil, source: Source) {
        self.name = name
        self.arguments = arguments
        self.id = id
        self.source = source
    }

    /// `{"name", "arguments", "source", "id"?}`.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("name", .string(name)), ("arguments", arguments), ("source", .string(source.rawValue))]
        if let id { pairs.append(("id", .string(id))) }
        return .object(pairs)
    }

    /// Reads the log form; nil without a string `name`.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue else { return nil }
        let arguments: JSONValue
        if case .object? = json["arguments"] { arguments = json["arguments"]! } else { arguments = .object([]) }
        self.init(name: name, arguments: arguments, id: json["id"]?.stringValue,
                  source: Source(rawValue: json["source"]?.stringValue ?? "") ?? .text)
    }
}

extension ProposedToolCall {
    /// Every call an OpenAI-shaped chat completion proposed, over all choices: the native `tool_calls` first,
    /// then the `<tool_call>` spans of the content, each in order.
    public static func parse(chatCompletion reply: JSONValue) -> [ProposedToolCall] {
        var out: [ProposedToolCall] = []
        for choice in reply["choices"]?.arrayValue ?? [] {
            guard let message = choice["message"] else { continue }
            if let native = message["tool_calls"] { out += parse(nativeToolCalls: native) }
            out += parse(text: contentText(message["content"]))
        }
        return out
    }

    /// The text of a `content` that is a string or a list of `{"type": "text", "text"}` parts.
    public static func contentText(_ content: JSONValue?) -> String {
        switch content {
        case .string(let s)?: return s
        case .array(let parts)?: return parts.compactMap { $0["text"]?.stringValue ?? $0.stringValue }.joined(separator: "\n")
        default: return ""
        }
    }

    /// Native calls: `[{"id", "function": {"name", "arguments"}}]`; `arguments` may be JSON text or an object.
    /// Items without a name are skipped.
    public static func parse(nativeToolCalls value: JSONValue) -> [ProposedToolCall] {
        guard let items = value.arrayValue else { return [] }
        return items.compactMap { item in
            let function = item["function"] ?? item
            guard let name = function["name"]?.stringValue, !name.isEmpty else { return nil }
            return ProposedToolCall(name: name, arguments: argumentsObject(function["arguments"] ?? function["parameters"]),
                                    id: item["id"]?.stringValue, source: .native)
        }
    }

    /// Calls written as `<tool_call>…</tool_call>` in text. A span without its closing tag runs to the end of the
    /// text; a body in a Markdown code fence is unwrapped; unparseable bodies give nothing.
    public static func parse(text: String) -> [ProposedToolCall] {
        var out: [ProposedToolCall] = []
        for body in spans(of: "tool_call", in: text) {
            guard let value = parseBody(body) else { continue }
            let items: [JSONValue]
            switch value {
            case .array(let list): items = list
            case .object: items = [value]
            default: items = []
            }
            for item in items {
                guard let name = item["name"]?.stringValue, !name.isEmpty else { continue }
                out.append(ProposedToolCall(name: name, arguments: argumentsObject(item["parameters"] ?? item["arguments"]),
                                            id: item["id"]?.stringValue ?? item["tool_call_id"]?.stringValue, source: .text))
            }
        }
        return out
    }

    /// The bodies of every `<tag>…</tag>` span, in order (an unclosed last span runs to the end).
    public static func spans(of tag: String, in text: String) -> [Substring] {
        TagSpans.spans(of: tag, in: text)
    }

    static func parseBody(_ body: Substring) -> JSONValue? {
        var text = body.trimmingWhitespaceAndNewlines()
        if text.hasPrefix("```") {
            if let newline = text.firstIndex(of: "\n") { text = text[text.index(after: newline)...] } else { text = "" }
            if let fence = text.range(of: "```", options: .backwards) { text = text[..<fence.lowerBound] }
            text = text.trimmingWhitespaceAndNewlines()
        }
        if text.isEmpty { return nil }
        return try? JSONParser.parse(String(text))
    }

    /// An arguments value as an object: objects as they are, JSON text holding an object parsed, else `{}`.
    public static func argumentsObject(_ value: JSONValue?) -> JSONValue {
        switch value {
        case .object?: return value!
        case .string(let s)?:
            if let parsed = try? JSONParser.parse(s), case .object = parsed { return parsed }
            return .object([])
        default: return .object([])
        }
    }
}

extension Substring {
    /// The substring without leading and trailing white space and newlines.
    func trimmingWhitespaceAndNewlines() -> Substring {
        var s = self
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
