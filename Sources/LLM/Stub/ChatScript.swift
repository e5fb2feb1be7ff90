import ArenaModel
import Foundation

/// A script for ``ScriptedChatServer``: one JSONL line per answer,
/// `{"response": <assistant content string or full message object>, "match": "<substring>"?}`.
///
/// Lines without `match` answer requests in file order; lines with `match` answer a request whose last
/// user message contains the substring. Every line answers at most once.
public struct ChatScript: Sendable, Hashable {
    /// One scripted answer.
    public struct Entry: Sendable, Hashable {
        /// The assistant message returned (always an object with `role` and `content`).
        public var message: JSONValue
        /// Substring of the last user message this entry answers; nil: answered by request order.
        public var match: String?

        /// `response`: a content string or a message object (a missing `role` becomes `assistant`).
        public init(response: JSONValue, match: String? = nil) {
            switch response {
            case .object:
                message = response["role"] == nil ? response.setting("role", to: "assistant") : response
            case .string:
                message = .object([("role", "assistant"), ("content", response)])
            default:
                message = .object([("role", "assistant"), ("content", .string(JSONWriter().string(response)))])
            }
            self.match = match
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Parses JSONL text; blank lines and lines starting with `#` or `//` are skipped.
    public init(jsonl text: String) throws(ChatScriptError) {
        var entries: [Entry] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch {
                throw .invalidLine(index + 1, "\(error)")
            }
            guard case .object = value, let response = value["response"], !response.isNull else {
                throw .invalidLine(index + 1, #"expected an object with a "response" field"#)
            }
            var match: String?
            if let m = value["match"], !m.isNull {
                guard let s = m.stringValue, !s.isEmpty else {
                    throw .invalidLine(index + 1, #""match" must be a non-empty string"#)
                }
                match = s
            }
            entries.append(Entry(response: response, match: match))
        }
        self.entries = entries
    }

    /// Reads a JSONL script file.
    public static func load(path: String) throws(ChatScriptError) -> ChatScript {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path, error.localizedDescription)
        }
        return try ChatScript(jsonl: text)
    }
}

/// Why a chat script could not be loaded.
public enum ChatScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String, String)
    case invalidLine(Int, String)

    public var description: String {
        switch self {
        case .unreadable(let path, let why): return "cannot read the chat script \(path): \(why)"
        case .invalidLine(let line, let why): return "chat script line \(line): \(why)"
        }
    }
}
