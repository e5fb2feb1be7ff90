import ArenaModel

/// Why a step's format score is 0.
public enum FormatFailure: Sendable, Hashable, CustomStringConvertible {
    case stepNotObject
    case missingCompletion
    case missingMessage
    /// `think` or `response` is present but not a string.
    case partNotString(part: String)
    case missingThink
    case missingToolCallAndResponse
    /// A tag's text occurs inside a part, so the rebuilt text has it twice, unbalanced or nested.
    case tagInsidePart(tag: String, part: String)
    case toolCallNotList
    /// Item `index` of `tool_call` is not `{"name": str, "parameters": {...}}`.
    case toolCallItemMalformed(index: Int)
    /// `extra_info` is present but not an object (ORO profile: the step scores 0).
    case extraInfoNotObject

    public var description: String {
        switch self {
        case .stepNotObject: return "the step is not an object"
        case .missingCompletion: return "no 'completion' object"
        case .missingMessage: return "no 'completion.message' object"
        case .partNotString(let p): return "'\(p)' is not a string"
        case .missingThink: return "no <think>"
        case .missingToolCallAndResponse: return "neither <tool_call> nor <response>"
        case .tagInsidePart(let tag, let part): return "'\(tag)' inside \(part)"
        case .toolCallNotList: return "tool_call is not a JSON list"
        case .toolCallItemMalformed(let i): return "tool_call item \(i) lacks a string name or object parameters"
        case .extraInfoNotObject: return "'extra_info' is not an object"
        }
    }
}

/// The format score of one step.
public struct StepFormat: Sendable, Hashable {
    /// 1, 0.5 (well formed but no timestamp, ORO), or 0.
    public var score: Double
    public var failure: FormatFailure?
    public var timestampMissing: Bool
}

/// ORO's / ShoppingBench's format rule for one step (`reference/oro-validator.md` §3).
///
/// The reference rebuilds `<think>…</think>\n<tool_call>JSON</tool_call>\n<response>…</response>` from
/// the non-empty parts of `message` (the tool-call list dumped by ujson, which escapes "/" as "\/")
/// and then checks the text: `<think>` present; `<tool_call>` or `<response>` present; every tag that
/// occurs opens and closes exactly once, open before close; no tag inside another tag's span; the
/// tool-call body is a JSON list of `{name: str, parameters: dict}`.
///
/// Evaluated on that text, the rule is equivalent to checks on the parts, which is what this type
/// does without building the text: the rebuilt tags are always in order, so the text fails exactly
/// when a part is missing, when any tag text (`<think>`, `</think>`, `<tool_call>`, `</tool_call>`,
/// `<response>`, `</response>`) occurs inside `think` or `response`, when an opening tag occurs inside
/// a string of the tool-call JSON (closing tags cannot: ujson writes `<\/think>`), or when the tool
/// call is not a list of well-formed calls. ``rebuiltContent(_:)`` gives the text for inspection; the
/// tests check the two formulations agree.
public enum FormatRule {
    /// The six tag strings.
    public static let tags = ["<think>", "</think>", "<tool_call>", "</tool_call>", "<response>", "</response>"]

    /// Scores one raw step. With `extraInfoMustBeObject` (ORO), an `extra_info` that is present but not an
    /// object scores 0 instead of counting as a missing timestamp.
    public static func check(step raw: JSONValue, missingTimestampFactor: Double, extraInfoMustBeObject: Bool = false)
        -> StepFormat
    {
        let step = DialogueStep(raw: raw)
        // Python's `isinstance(True, int)` holds, so a literal `true` counts as a positive timestamp there.
        let timestampMissing = step.timestamp == nil && step.rawTimestamp != .bool(true)
        var failure = failure(of: raw)
        if failure == nil, extraInfoMustBeObject, let extra = raw["extra_info"], extra.objectValue == nil {
            failure = .extraInfoNotObject
        }
        var score: Double = failure == nil ? 1 : 0
        if timestampMissing { score *= missingTimestampFactor }
        return StepFormat(score: score, failure: failure, timestampMissing: timestampMissing)
    }

    /// The first reason the step's rebuilt text fails, or nil when it passes.
    public static func failure(of raw: JSONValue) -> FormatFailure? {
        guard case .object = raw else { return .stepNotObject }
        guard case .object? = raw["completion"] else { return .missingCompletion }
        guard let message = raw["completion"]?["message"], case .object = message else { return .missingMessage }
        let think = message["think"]
        let toolCall = message["tool_call"]
        let response = message["response"]
        for (name, part) in [("think", think), ("response", response)] {
            if let part, part.isTruthy, part.stringValue == nil { return .partNotString(part: name) }
        }
        guard let think, think.isTruthy else { return .missingThink }
        let hasTool = toolCall?.isTruthy ?? false
        let hasResponse = response?.isTruthy ?? false
        guard hasTool || hasResponse else { return .missingToolCallAndResponse }
        if let t = think.stringValue, let tag = firstTag(in: t, openingOnly: false) {
            return .tagInsidePart(tag: tag, part: "think")
        }
        if hasTool, let toolCall {
            if let tag = firstOpeningTag(inStringsOf: toolCall) { return .tagInsidePart(tag: tag, part: "tool_call") }
        }
        if hasResponse, let r = response?.stringValue, let tag = firstTag(in: r, openingOnly: false) {
            return .tagInsidePart(tag: tag, part: "response")
        }
        if hasTool, let toolCall {
            guard case .array(let items) = toolCall else { return .toolCallNotList }
            for (i, item) in items.enumerated() where !ToolCall(raw: item).isWellFormed {
                return .toolCallItemMalformed(index: i)
            }
        }
        return nil
    }

    /// The text the reference checks: the non-empty parts of `message` in tags, joined by "\n", the
    /// tool-call list dumped like `ujson.dumps` (compact, ASCII-escaped, "/" written as "\/").
    /// Non-string parts are written as JSON.
    public static func rebuiltContent(_ message: JSONValue) -> String {
        var parts: [String] = []
        func text(_ v: JSONValue) -> String { v.stringValue ?? JSONWriter().string(v) }
        if let t = message["think"], t.isTruthy { parts.append("<think>" + text(t) + "</think>") }
        if let c = message["tool_call"], c.isTruthy { parts.append("<tool_call>" + ujsonDumps(c) + "</tool_call>") }
        if let r = message["response"], r.isTruthy { parts.append("<response>" + text(r) + "</response>") }
        return parts.joined(separator: "\n")
    }

    /// `ujson.dumps(value)` with its defaults: compact separators, non-ASCII escaped, "/" escaped.
    public static func ujsonDumps(_ value: JSONValue) -> String {
        let text = JSONWriter(style: .compact, ensureASCII: true).string(value)
        // "/" can only occur inside strings of the JSON text, where ujson writes it as "\/".
        guard text.utf8.contains(UInt8(ascii: "/")) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for c in text.unicodeScalars {
            if c == "/" { out += "\\/" } else { out.unicodeScalars.append(c) }
        }
        return out
    }

    /// The first tag text in `s` (opening tags only when `openingOnly`).
    static func firstTag(in s: String, openingOnly: Bool) -> String? {
        var s = s
        return s.withUTF8 { bytes -> String? in
            var i = 0
            let n = bytes.count
            while i < n {
                if bytes[i] == UInt8(ascii: "<") {
                    var j = i + 1
                    let closing = j < n && bytes[j] == UInt8(ascii: "/")
                    if closing { j += 1 }
                    if !(closing && openingOnly) {
                        for name in tagNames {
                            if matches(bytes, at: j, name) {
                                return (closing ? "</" : "<") + String(decoding: name, as: UTF8.self) + ">"
                            }
                        }
                    }
                }
                i += 1
            }
            return nil
        }
    }

    static let tagNames: [[UInt8]] = [Array("think".utf8), Array("tool_call".utf8), Array("response".utf8)]

    /// Whether `name` followed by ">" starts at `j`.
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at j: Int, _ name: [UInt8]) -> Bool {
        guard j + name.count < bytes.count else { return false }
        for k in 0..<name.count where bytes[j + k] != name[k] { return false }
        return bytes[j + name.count] == UInt8(ascii: ">")
    }

    static func firstOpeningTag(inStringsOf value: JSONValue) -> String? {
        switch value {
        case .string(let s): return firstTag(in: s, openingOnly: true)
        case .array(let items):
            for item in items { if let t = firstOpeningTag(inStringsOf: item) { return t } }
            return nil
        case .object(let pairs):
            for (k, v) in pairs {
                if let t = firstTag(in: k, openingOnly: true) { return t }
                if let t = firstOpeningTag(inStringsOf: v) { return t }
            }
            return nil
        default: return nil
        }
    }
}

extension JSONValue {
    /// Python truthiness: null, false, 0, "", [] and {} are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }
}
