/// How a sandbox run of one problem ended, as the envelope's `status` string.
///
/// A struct over the raw string rather than an enum, so an envelope with a status we do not know
/// still loads (the scorer then reports it) instead of failing the whole file.
public struct EnvelopeStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The agent returned a list of steps.
    public static let success = EnvelopeStatus(rawValue: "SUCCESS")
    /// The agent raised, or its process died without a result.
    public static let failed = EnvelopeStatus(rawValue: "FAILED")
    /// The wall-clock limit killed the agent.
    public static let timedOut = EnvelopeStatus(rawValue: "TIMED_OUT")

    /// One of the three statuses the reference writes.
    public var isKnown: Bool { self == .success || self == .failed || self == .timedOut }
    public var description: String { rawValue }
}

/// The `error` object of an envelope: `{"type": "TimeoutError", "message": "..."}`.
public struct EnvelopeError: Sendable, Hashable {
    public var type: String
    public var message: String

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    /// Builds an error from a bare error string the way the reference sandbox does: the text before
    /// the first ":" when it is an identifier (`"ValueError: bad"` → `ValueError`), else `RuntimeError`;
    /// an empty string gives `UnknownError`.
    public init(describing text: String) {
        guard !text.isEmpty else {
            self.init(type: "UnknownError", message: "")
            return
        }
        if let colon = text.firstIndex(of: ":") {
            let prefix = text[..<colon]
            if let first = prefix.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
                prefix.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) })
            {
                self.init(type: String(prefix), message: text)
                return
            }
        }
        self.init(type: "RuntimeError", message: text)
    }

    public var json: JSONValue { .object([("type", .string(type)), ("message", .string(message))]) }
}

/// The record the sandbox writes for one problem (one line of `output.jsonl`,
/// `reference/oro-validator.md` §2):
/// `{"problem_id", "status", "execution_time", "inference_failure_count", "inference_total", "error", "dialogue"}`.
///
/// Parsing is tolerant: only a missing `problem_id` makes a line unreadable. The dialogue is kept as the
/// raw JSON that was written (normally a list of steps); whatever shape it has is the scorer's business,
/// so a malformed dialogue is data to be scored 0 with a reason, not a load error.
public struct Envelope: Sendable, Hashable {
    public var problemID: String
    /// nil when the line has no `status` (e.g. a rollout written by another harness).
    public var status: EnvelopeStatus?
    /// Seconds the problem took, as measured by the sandbox.
    public var executionTime: Double?
    public var inferenceFailureCount: Int?
    public var inferenceTotal: Int?
    public var error: EnvelopeError?
    /// The dialogue exactly as written; nil when absent or `null`.
    public var dialogue: JSONValue?
    /// Trusted proxy call log of the run, when the writer attaches one at the top level (ShopArena's
    /// proxy does; the reference buckets calls into `extra_info.proxy_calls` of the steps instead).
    public var proxyCalls: JSONValue?
    /// Keys this type does not model, in file order, written back unchanged.
    public var extra: [(String, JSONValue)]

    public init(
        problemID: String, status: EnvelopeStatus?, executionTime: Double? = nil, inferenceFailureCount: Int? = nil,
        inferenceTotal: Int? = nil, error: EnvelopeError? = nil, dialogue: JSONValue? = nil, proxyCalls: JSONValue? = nil,
        extra: [(String, JSONValue)] = []
    ) {
        self.problemID = problemID
        self.status = status
        self.executionTime = executionTime
        self.inferenceFailureCount = inferenceFailureCount
        self.inferenceTotal = inferenceTotal
        self.error = error
        self.dialogue = dialogue
        self.proxyCalls = proxyCalls
        self.extra = extra
    }

    /// The dialogue's steps when it is a list; nil when it is absent or not a list.
    public var steps: [DialogueStep]? {
        guard case .array(let items)? = dialogue else { return nil }
        return items.map(DialogueStep.init(raw:))
    }

    /// The query this run answered: a top-level `query` key if present, else the first step's
    /// `extra_info.query`. ShoppingBench joins rollouts to problems by this string.
    public var query: String? {
        if let q = extra.last(where: { $0.0 == "query" })?.1.stringValue { return q }
        return steps?.lazy.compactMap(\.query).first
    }

    public static func == (lhs: Envelope, rhs: Envelope) -> Bool {
        lhs.problemID == rhs.problemID && lhs.status == rhs.status && lhs.executionTime == rhs.executionTime
            && lhs.inferenceFailureCount == rhs.inferenceFailureCount && lhs.inferenceTotal == rhs.inferenceTotal
            && lhs.error == rhs.error && lhs.dialogue == rhs.dialogue && lhs.proxyCalls == rhs.proxyCalls
            && JSONValue.object(lhs.extra) == JSONValue.object(rhs.extra)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(problemID)
        hasher.combine(status)
        hasher.combine(dialogue)
    }
}
