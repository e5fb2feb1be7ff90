import ArenaModel

/// Normalises an agent's dialogue, whatever dialect it wrote, to OpenAI tool-call chat (``ChatTrajectory``).
///
/// Per step the think text is `message.think`, else the `<think>` span of `completion.content`, else
/// `completion.reasoning_content`; the response is `message.response`, else the `<response>` span, else the
/// content itself when it carries no tags. Calls come from the first spelling the step uses:
/// 1. `message.tool_call` (ORO): results from each item's `result`;
/// 2. native `tool_calls` in `message` or `completion`: results from each item's `result`, or from a step-level
///    `tool_results` list of `{"tool_call_id", "content" | "result"}`;
/// 3. `<tool_call>` text in `completion.content`: results from the step's `<obs>` span — a list of
///    `{"tool_call_id", "results" | "result"}` matched by id, or a list as long as the calls matched by position.
/// A call keeps the agent's id when it has one that is still unused, else gets `call_<step>_<n>`. A call without a
/// result gets no `tool` message (the structural filter rejects that). A dialogue that already is a chat
/// (`[{"role": …}]`) keeps its assistant/tool/user turns after the corpus's own system and user messages.
public enum DialogueNormaliser {
    /// The chat of `dialogue`, or nil when the dialogue is missing or not a list.
    public static func normalise(dialogue: JSONValue?, query: String) -> ChatTrajectory? {
        normalise(dialogue: dialogue, query: query, toolResult: { _ in })
    }

    /// ``normalise(dialogue:query:)``, handing each `tool` message's result value to `toolResult` as its text is
    /// written (in message order; not called for a dialogue that already is chat, whose results are text).
    public static func normalise(dialogue: JSONValue?, query: String, toolResult: (JSONValue) -> Void) -> ChatTrajectory? {
        guard case .array(let items)? = dialogue else { return nil }
        var messages = prompt(query: query)
        if isChat(items) { return chat(items, into: messages) }
        var ids = CallIDs()
        var seen: Set<DialogueDialect> = []
        for (index, item) in items.enumerated() {
            let step = DialogueStep(raw: item)
            let completion = step.completion
            let content = completion?["content"]?.stringValue ?? ""
            let (calls, dialect) = stepCalls(step, content: content)
            if let dialect { seen.insert(dialect) }
            var assistant = ChatMessage(role: .assistant, content: response(step, content: content),
                                        reasoning: think(step, content: content))
            var results: [ChatMessage] = []
            for (i, call) in calls.enumerated() {
                let id = ids.assign(call.id, step: index + 1, position: i + 1)
                assistant.toolCalls.append(ChatToolCall(id: id, name: call.name, arguments: call.arguments,
                                                        argumentsParsed: call.argumentsParsed))
                if let result = call.result {
                    toolResult(result)
                    results.append(ChatMessage(role: .tool, content: text(of: result), toolCallID: id, name: call.name))
                }
            }
            messages.append(assistant)
            messages += results
        }
        let dialect = [DialogueDialect.oroMessage, .nativeToolCalls, .oroText].first { seen.contains($0) } ?? .plain
        return ChatTrajectory(messages: messages, dialect: dialect)
    }

    /// The system and user messages every normalised trajectory starts with.
    public static func prompt(query: String) -> [ChatMessage] {
        [ChatMessage(role: .system, content: CorpusTools.systemPrompt), ChatMessage(role: .user, content: query)]
    }

    /// The results of the dialogue's tool calls in the order ``normalise(dialogue:query:)`` writes their `tool`
    /// messages, without writing the chat (prompt-only `rl` rows need nothing else); a dialogue that already is chat
    /// gives its `tool` texts. Nil when the dialogue is missing or not a list.
    public static func toolResults(dialogue: JSONValue?, query: String) -> [JSONValue]? {
        guard case .array(let items)? = dialogue else { return nil }
        if isChat(items) {
            return normalise(dialogue: dialogue, query: query)?.messages.filter { $0.role == .tool }.map { .string($0.content) }
        }
        var results: [JSONValue] = []
        for item in items {
            let step = DialogueStep(raw: item)
            results += stepCalls(step, content: step.completion?["content"]?.stringValue ?? "").0.compactMap(\.result)
        }
        return results
    }

    /// Whether the dialogue already is a list of chat messages.
    static func isChat(_ items: [JSONValue]) -> Bool {
        !items.isEmpty && items.allSatisfy { $0["role"]?.stringValue != nil && $0["completion"] == nil }
    }

    /// One call as read from a step, before ids are assigned.
    struct StepCall {
        var name: String
        var arguments: JSONValue
        var argumentsParsed: Bool
        var id: String?
        var result: JSONValue?
    }

    static func stepCalls(_ step: DialogueStep, content: String) -> ([StepCall], DialogueDialect?) {
        if let list = step.message?["tool_call"]?.arrayValue, !list.isEmpty {
            let calls = list.compactMap { item -> StepCall? in
                guard let name = item["name"]?.stringValue else { return nil }
                let (arguments, parsed) = readArguments(item["parameters"] ?? item["arguments"])
                return StepCall(name: name, arguments: arguments, argumentsParsed: parsed,
                                id: item["tool_call_id"]?.stringValue ?? item["id"]?.stringValue, result: item["result"])
            }
            return (calls, .oroMessage)
        }
        if let native = (step.message?["tool_calls"] ?? step.completion?["tool_calls"])?.arrayValue, !native.isEmpty {
            let stepResults = step.completion?["tool_results"]?.arrayValue ?? step.raw["tool_results"]?.arrayValue ?? []
            let calls = native.compactMap { item -> StepCall? in
                let function = item["function"] ?? item
                guard let name = function["name"]?.stringValue else { return nil }
                let (arguments, parsed) = readArguments(function["arguments"] ?? function["parameters"])
                let id = item["id"]?.stringValue
                var result = item["result"]
                if result == nil, let id {
                    let match = stepResults.first { $0["tool_call_id"]?.stringValue == id }
                    result = match?["content"] ?? match?["result"]
                }
                return StepCall(name: name, arguments: arguments, argumentsParsed: parsed, id: id, result: result)
            }
            return (calls, .nativeToolCalls)
        }
        if ProposedToolCall.contains("<tool_call>", in: content) {
            var calls = ProposedToolCall.parse(text: content).map {
                StepCall(name: $0.name, arguments: $0.arguments, argumentsParsed: true, id: $0.id, result: nil)
            }
            if let body = ProposedToolCall.spans(of: "obs", in: content).first,
                let observations = try? JSONParser.parse(String(body)), let list = observations.arrayValue
            {
                let byID = list.allSatisfy { $0["tool_call_id"]?.stringValue != nil }
                for i in calls.indices {
                    if byID, let id = calls[i].id, let match = list.first(where: { $0["tool_call_id"]?.stringValue == id }) {
                        calls[i].result = match["results"] ?? match["result"] ?? .null
                    } else if list.count == calls.count {
                        let item = list[i]
                        calls[i].result = byID ? (item["results"] ?? item["result"] ?? .null) : item
                    }
                }
            }
            return (calls, .oroText)
        }
        return ([], nil)
    }

    /// An arguments value as an object and whether it could be read: objects as they are, JSON text of an object
    /// parsed, absent → `{}` (readable); anything else → `{}` (unreadable).
    static func readArguments(_ value: JSONValue?) -> (JSONValue, Bool) {
        switch value {
        case nil, .null?: return (.object([]), true)
        case .object?: return (value!, true)
        case .string(let s)?:
            if let parsed = try? JSONParser.parse(s), case .object = parsed { return (parsed, true) }
            return (.object([]), false)
        default: return (.object([]), false)
        }
    }

    static func think(_ step: DialogueStep, content: String) -> String? {
        if let t = step.think, !t.isEmpty { return t }
        if let span = ProposedToolCall.spans(of: "think", in: content).first {
            let t = trimmed(span)
            if !t.isEmpty { return t }
        }
        if let r = step.completion?["reasoning_content"]?.stringValue, !r.isEmpty { return r }
        return nil
    }

    static func response(_ step: DialogueStep, content: String) -> String {
        if let r = step.response, !r.isEmpty { return r }
        if let span = ProposedToolCall.spans(of: "response", in: content).first {
            return trimmed(span)
        }
        if step.message == nil, !ProposedToolCall.contains("<", in: content) { return content }
        return ""
    }

    /// A tool result as message text: strings as they are, anything else as compact JSON.
    static func text(of result: JSONValue) -> String {
        if case .string(let s) = result { return s }
        return JSONWriter().string(result)
    }

    /// A dialogue that is already chat: the agent's system and first user message give way to the corpus's own.
    static func chat(_ items: [JSONValue], into start: [ChatMessage]) -> ChatTrajectory {
        var messages = start
        var ids = CallIDs()
        var renamed: [String: String] = [:]
        var skippedUser = false
        var sawCalls = false
        for (index, item) in items.enumerated() {
            let role = item["role"]?.stringValue ?? ""
            let content = ProposedToolCall.contentText(item["content"])
            switch role {
            case "system": continue
            case "user":
                if !skippedUser { skippedUser = true; continue }
                messages.append(ChatMessage(role: .user, content: content))
            case "assistant":
                var message = ChatMessage(role: .assistant, content: content,
                                          reasoning: item["reasoning_content"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
                for (i, call) in (item["tool_calls"]?.arrayValue ?? []).enumerated() {
                    let function = call["function"] ?? call
                    guard let name = function["name"]?.stringValue else { continue }
                    let (arguments, parsed) = readArguments(function["arguments"] ?? function["parameters"])
                    let original = call["id"]?.stringValue
                    let id = ids.assign(original, step: index + 1, position: i + 1)
                    if let original, renamed[original] == nil { renamed[original] = id }
                    message.toolCalls.append(ChatToolCall(id: id, name: name, arguments: arguments, argumentsParsed: parsed))
                    sawCalls = true
                }
                messages.append(message)
            case "tool":
                let original = item["tool_call_id"]?.stringValue
                messages.append(ChatMessage(role: .tool, content: content, toolCallID: original.map { renamed[$0] ?? $0 },
                                            name: item["name"]?.stringValue))
            default: continue
            }
        }
        return ChatTrajectory(messages: messages, dialect: sawCalls ? .chatMessages : .plain)
    }
}

/// Unique tool-call ids within one trajectory.
struct CallIDs {
    private var used: Set<String> = []

    /// The agent's id when it has a fresh one, else `call_<step>_<position>` (made unique).
    mutating func assign(_ proposed: String?, step: Int, position: Int) -> String {
        if let proposed, !proposed.isEmpty, used.insert(proposed).inserted { return proposed }
        var candidate = "call_\(step)_\(position)"
        var n = 1
        while !used.insert(candidate).inserted {
            n += 1
            candidate = "call_\(step)_\(position)_\(n)"
        }
        return candidate
    }
}

/// The text without leading and trailing white space (an ASCII fast path; other white space by Unicode rules).
func trimmed<S: StringProtocol>(_ text: S) -> String {
    var s = Substring(text)
    if let first = s.utf8.first, let last = s.utf8.last, first < 0x80, last < 0x80, !isASCIISpace(first), !isASCIISpace(last) {
        return String(s)
    }
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
}

/// Space, tab, line feed, vertical tab, form feed, carriage return.
func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
