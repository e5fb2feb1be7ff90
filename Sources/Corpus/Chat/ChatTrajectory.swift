import ArenaModel

/// One tool call of an assistant message in OpenAI tool-call chat.
public struct ChatToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The arguments object (`{}` when the agent wrote none or something that is not an object).
    public let arguments: JSONValue
    /// False when the agent's arguments could not be read as an object (a string that is not JSON, a list…):
    /// the structural filter rejects an unreadable `recommend_product`.
    public var argumentsParsed: Bool
    /// `arguments` as compact JSON text (written once: the chat row and the token count both need it).
    public let argumentsJSON: String

    public init(id: String, name: String, arguments: JSONValue, argumentsParsed: Bool = true) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.argumentsParsed = argumentsParsed
        argumentsJSON = JSONWriter().string(arguments)
    }

    /// `{"id", "type": "function", "function": {"name", "arguments": "<compact JSON text>"}}`.
    public var json: JSONValue {
        .object([
            ("id", .string(id)), ("type", "function"),
            ("function", .object([("name", .string(name)), ("arguments", .string(argumentsJSON))])),
        ])
    }
}

/// One message of a normalised trajectory.
public struct ChatMessage: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable {
        case system, user, assistant, tool
    }

    public var role: Role
    public var content: String
    /// The assistant's think text (`reasoning_content`), nil when it wrote none.
    public var reasoning: String?
    public var toolCalls: [ChatToolCall]
    /// For a `tool` message: the call it answers.
    public var toolCallID: String?
    /// For a `tool` message: the tool's name.
    public var name: String?

    public init(role: Role, content: String, reasoning: String? = nil, toolCalls: [ChatToolCall] = [],
                toolCallID: String? = nil, name: String? = nil) {
        self.role = role
        self.content = content
        self.reasoning = reasoning
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
    }

    /// The message as OpenAI chat JSON (`reasoning_content` and `tool_calls` only when present).
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("role", .string(role.rawValue)), ("content", .string(content))]
        if let reasoning, !reasoning.isEmpty { pairs.append(("reasoning_content", .string(reasoning))) }
        if !toolCalls.isEmpty { pairs.append(("tool_calls", .array(toolCalls.map(\.json)))) }
        if let toolCallID { pairs.append(("tool_call_id", .string(toolCallID))) }
        if let name, role == .tool { pairs.append(("name", .string(name))) }
        return .object(pairs)
    }
}

/// How the agent wrote its dialogue; the normaliser reads every one of these into the same chat.
public enum DialogueDialect: String, Sendable, Hashable, CaseIterable {
    /// ORO steps with `completion.message.tool_call` lists (`{"name", "parameters", "tool_call_id", "result"}`).
    case oroMessage = "oro-message"
    /// ORO/ShoppingBench steps whose calls are only in the text: `<tool_call>[…]</tool_call>` in
    /// `completion.content` (results, when present, in `<obs>`).
    case oroText = "oro-text"
    /// Steps carrying native OpenAI `tool_calls` (`{"id", "function": {"name", "arguments"}}`).
    case nativeToolCalls = "native-tool-calls"
    /// A dialogue that already is a list of chat messages (`{"role": …}`).
    case chatMessages = "chat-messages"
    /// Steps without any tool call in any spelling.
    case plain
}

/// A trajectory in canonical OpenAI tool-call chat: `system`, `user` (the problem), then per step an `assistant`
/// message (think as `reasoning_content`, response as `content`, `tool_calls`) followed by one `tool` message
/// per call that has a result.
public struct ChatTrajectory: Sendable, Hashable {
    public var messages: [ChatMessage]
    public var dialect: DialogueDialect

    public init(messages: [ChatMessage], dialect: DialogueDialect) {
        self.messages = messages
        self.dialect = dialect
    }

    /// The assistant messages, in order.
    public var assistantTurns: [ChatMessage] { messages.filter { $0.role == .assistant } }

    /// Every tool call of every assistant message, in order.
    public var toolCalls: [ChatToolCall] { messages.flatMap(\.toolCalls) }

    /// `{"messages": […], "tools": […]}` — the row shape TRL and Hugging Face chat templates read.
    public var json: JSONValue {
        .object([("messages", .array(messages.map(\.json))), ("tools", CorpusTools.schema)])
    }
}

/// The fixed parts every normalised trajectory shares: the system prompt and the tool schema of the four
/// ShoppingBench tools. The agent's own prompt is not in the trusted log, so the corpus states the task itself.
public enum CorpusTools {
    public static let systemPrompt = """
        You are a shopping assistant on an online marketplace. Find the products that satisfy every requirement of \
        the user's request by calling the tools, then call recommend_product exactly once with the chosen product \
        ids and finish with terminate.
        """

    public static let names: Set<String> = ["find_product", "view_product_information", "recommend_product", "terminate"]

    /// ``schema`` as compact JSON text (the export rows write it as it is).
    public static let schemaJSON: [UInt8] = {
        var out: [UInt8] = []
        JSONWriter().write(schema, into: &out)
        return out
    }()

    /// OpenAI `tools` for find_product, view_product_information, recommend_product and terminate.
    public static let schema: JSONValue = .array([
        tool("find_product", "Search products by keywords; up to 10 per page.", [
            ("q", "string"), ("page", "integer"), ("shop_id", "string"), ("price", "string"), ("sort", "string"),
            ("service", "string"),
        ], required: ["q"]),
        tool("view_product_information", "Details of products by comma-separated ids.", [("product_ids", "string")],
             required: ["product_ids"]),
        tool("recommend_product", "Recommend the final products (comma-separated ids); call once.", [("product_ids", "string")],
             required: ["product_ids"]),
        tool("terminate", "End the interaction.", [("status", "string")], required: ["status"]),
    ])

    static func tool(_ name: String, _ description: String, _ parameters: [(String, String)], required: [String]) -> JSONValue {
        .object([
            ("type", "function"),
            ("function", .object([
                ("name", .string(name)), ("description", .string(description)),
                ("parameters", .object([
                    ("type", "object"),
                    ("properties", .object(parameters.map { ($0.0, .object([("type", .string($0.1))])) })),
                    ("required", .array(required.map(JSONValue.string))),
                ])),
            ])),
        ])
    }
}
