import ArenaModel

/// One exportable trajectory as the row builders see it: its record, its dialogue as tool-call chat (for prompt-only
/// `rl` rows, the prompt and the tool results only: ``ExportDialogue/prompt(_:query:)``), the problem's
/// stored metadata (the suite record with `query`, `reward`, `voucher`) and the pool it was assigned to.
public struct ExportItem: Sendable {
    public var record: TrajectoryRecord
    public var chat: ChatTrajectory
    public var problem: JSONValue
    public var pool: SplitPool
    /// The values the `tool` messages' texts were written from, in message order, when the decoder kept them (nil:
    /// read the texts).
    public var toolResults: [JSONValue]?

    public init(record: TrajectoryRecord, chat: ChatTrajectory, problem: JSONValue, pool: SplitPool,
                toolResults: [JSONValue]? = nil) {
        self.record = record
        self.chat = chat
        self.problem = problem
        self.pool = pool
        self.toolResults = toolResults
    }

    /// The `tool` messages' results as values: the kept ones, else each text read as JSON when it is an array or an
    /// object (as ``StepRows`` reads an observation).
    public var toolResultValues: [JSONValue] {
        if let toolResults {
            // A string result was written as itself; read it as its text would be.
            return toolResults.map { if case .string(let s) = $0 { StepRows.value(of: s) } else { $0 } }
        }
        return chat.messages.filter { $0.role == .tool }.map { StepRows.value(of: $0.content) }
    }

    /// The problem's request (the stored `query`, else the chat's user message).
    public var query: String {
        problem["query"]?.stringValue ?? chat.messages.first { $0.role == .user }?.content ?? ""
    }

    /// The system and user messages every format starts from.
    public var promptMessages: [ChatMessage] { Array(chat.messages.prefix { $0.role == .system || $0.role == .user }) }

    /// Everything after the prompt: assistant turns and their tool results.
    public var completionMessages: [ChatMessage] { Array(chat.messages.drop { $0.role == .system || $0.role == .user }) }

    /// The metadata columns of the SFT, step and KTO rows: trajectory id, problem id, category, judge score, agentic
    /// verdict, outcome success and split.
    public var columns: [(String, JSONValue)] {
        [
            ("trajectory_id", .string(record.trajectoryID)), ("problem_id", .string(record.provenance.problemID)),
            ("category", record.provenance.category.map(JSONValue.string) ?? .null),
            ("judge_score", record.judge.reasoningScore.map(JSONValue.double) ?? .null),
            ("verdict", .string(record.agentic.verdict.rawValue)), ("success", .bool(record.success)),
            ("split", .string(pool.rawValue)),
        ]
    }
}

/// A stored problem log (gzip as validators upload it, or plain JSON) read back as the chat the corpus normalised.
public enum ExportDialogue {
    /// The chat of the envelope in `bytes` with the values of its tool results (see ``ExportItem/toolResults``; nil
    /// for a dialogue that already was chat, whose results are its texts).
    public static func decode(_ bytes: [UInt8], query: String) -> (chat: ChatTrajectory, toolResults: [JSONValue]?)? {
        guard let dialogue = dialogue(in: bytes) else { return nil }
        var results: [JSONValue] = []
        guard let chat = DialogueNormaliser.normalise(dialogue: dialogue, query: query, toolResult: { results.append($0) }) else {
            return nil
        }
        return (chat, results.count == chat.messages.count { $0.role == .tool } ? results : nil)
    }

    /// The prompt and the tool results of the envelope in `bytes`, without writing the completion: what a prompt-only
    /// `rl` row reads. Nil when the log does not read or holds no dialogue.
    public static func prompt(_ bytes: [UInt8], query: String) -> (chat: ChatTrajectory, toolResults: [JSONValue])? {
        guard let dialogue = dialogue(in: bytes),
            let results = DialogueNormaliser.toolResults(dialogue: dialogue, query: query)
        else { return nil }
        return (ChatTrajectory(messages: DialogueNormaliser.prompt(query: query), dialect: .plain), results)
    }

    /// The `dialogue` member of a stored log (gzip or plain); the rest of the log (the proxy's call log is a third of
    /// it) is scanned past, not parsed.
    static func dialogue(in bytes: [UInt8]) -> JSONValue? {
        let plain = GzipReader.isGzip(bytes) ? (try? GzipReader.decompress(bytes)) : bytes
        return plain.flatMap { plain in plain.withUnsafeBufferPointer { try? JSONParser.member("dialogue", in: $0) } }
    }
}
