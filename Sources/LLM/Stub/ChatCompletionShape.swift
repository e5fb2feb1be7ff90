import ArenaModel

/// The OpenAI chat-completions wire shapes the stub reads and writes.
enum ChatCompletionShape {
    /// The text of the last `user` message (string content, or the `text` parts of a content array).
    static func lastUserMessage(_ request: JSONValue) -> String? {
        guard let messages = request["messages"]?.arrayValue else { return nil }
        guard let last = messages.last(where: { $0["role"]?.stringValue == "user" }) else { return "" }
        return text(of: last)
    }

    static func text(of message: JSONValue) -> String {
        if let s = message["content"]?.stringValue { return s }
        if let parts = message["content"]?.arrayValue {
            return parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        }
        return ""
    }

    /// Deterministic token count: whitespace-separated words.
    static func words(_ text: String) -> Int {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).count
    }

    /// A `chat.completion` object answering `request` with `message`; `sequence` numbers the id.
    static func completion(request: JSONValue, message: JSONValue, sequence: Int) -> JSONValue {
        let prompt = (request["messages"]?.arrayValue ?? []).map { words(text(of: $0)) }.reduce(0, +)
        let completion = words(text(of: message)) + words(message["reasoning_content"]?.stringValue ?? "")
        return .object([
            ("id", .string("chatcmpl-stub-\(sequence)")),
            ("object", "chat.completion"),
            ("created", .int(0)),
            ("model", request["model"] ?? .string("shoparena-stub")),
            (
                "choices",
                .array([.object([("index", .int(0)), ("message", message), ("finish_reason", "stop")])])
            ),
            (
                "usage",
                .object([
                    ("prompt_tokens", .int(Int64(prompt))), ("completion_tokens", .int(Int64(completion))),
                    ("total_tokens", .int(Int64(prompt + completion))),
                ])
            ),
        ])
    }

    /// An OpenAI-style error object.
    static func error(_ message: String, type: String) -> JSONValue {
        .object([("error", .object([("message", .string(message)), ("type", .string(type))]))])
    }
}
