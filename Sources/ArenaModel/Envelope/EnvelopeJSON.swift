/// Why one envelope line could not be read.
public struct EnvelopeDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension Envelope {
    /// The keys the reference writes, in its order.
    public static let knownKeys: [String] = [
        "problem_id", "status", "execution_time", "inference_failure_count", "inference_total", "error", "dialogue",
        "proxy_calls",
    ]

    /// Reads one envelope object. Only a non-object or a missing/empty `problem_id` is an error; fields
    /// of the wrong type are read as absent (a string `error` goes through ``EnvelopeError/init(describing:)``).
    public init(json: JSONValue) throws(EnvelopeDecodingError) {
        guard case .object(let pairs) = json else {
            throw EnvelopeDecodingError("an envelope must be a JSON object, found \(json.kindName)")
        }
        let id: String
        switch json["problem_id"] {
        case .string(let s)? where !s.isEmpty: id = s
        case .int(let i)?: id = String(i)
        default: throw EnvelopeDecodingError("the envelope has no 'problem_id'")
        }
        let status = json["status"]?.stringValue.map(EnvelopeStatus.init(rawValue:))
        let error: EnvelopeError?
        switch json["error"] {
        case .object?:
            let e = json["error"]!
            error = EnvelopeError(
                type: e["type"].map(Envelope.text) ?? "UnknownError", message: e["message"].map(Envelope.text) ?? "")
        case .string(let s)?: error = EnvelopeError(describing: s)
        default: error = nil
        }
        func optional(_ key: String) -> JSONValue? {
            guard let v = json[key], !v.isNull else { return nil }
            return v
        }
        let known = Set(Envelope.knownKeys)
        self.init(
            problemID: id, status: status, executionTime: json["execution_time"]?.numberValue,
            inferenceFailureCount: json["inference_failure_count"]?.intValue.map { Int($0) },
            inferenceTotal: json["inference_total"]?.intValue.map { Int($0) }, error: error,
            dialogue: optional("dialogue"), proxyCalls: optional("proxy_calls"),
            extra: pairs.filter { !known.contains($0.0) })
    }

    /// Reads one JSONL line.
    public init(jsonLine: String) throws(EnvelopeDecodingError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(jsonLine)
        } catch {
            throw EnvelopeDecodingError(error.description)
        }
        try self.init(json: value)
    }

    /// The envelope as the reference writes it: the seven standard keys in order (null when absent),
    /// then `proxy_calls` when present, then any unknown keys that were read.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("problem_id", .string(problemID)),
            ("status", status.map { .string($0.rawValue) } ?? .null),
            ("execution_time", executionTime.map(JSONValue.double) ?? .null),
            ("inference_failure_count", inferenceFailureCount.map { .int(Int64($0)) } ?? .null),
            ("inference_total", inferenceTotal.map { .int(Int64($0)) } ?? .null),
            ("error", error?.json ?? .null),
            ("dialogue", dialogue ?? .null),
        ]
        if let proxyCalls { pairs.append(("proxy_calls", proxyCalls)) }
        pairs += extra
        return .object(pairs)
    }

    /// One compact JSONL line, without the newline.
    public var jsonLine: String { JSONWriter().string(json) }

    static func text(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return JSONWriter().string(value)
    }
}

/// The envelopes of one `output.jsonl` file, with the lines that could not be read.
///
/// A bad line never hides the good ones: it is reported with its line number and skipped.
public struct EnvelopeFile: Sendable {
    /// One unreadable line.
    public struct LineIssue: Sendable, Hashable, CustomStringConvertible {
        /// 1-based.
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public var envelopes: [Envelope]
    public var issues: [LineIssue]

    public init(envelopes: [Envelope], issues: [LineIssue] = []) {
        self.envelopes = envelopes
        self.issues = issues
    }

    /// Parses JSONL text; blank lines are skipped.
    public init(text: String) {
        var envelopes: [Envelope] = []
        var issues: [LineIssue] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            do {
                envelopes.append(try Envelope(jsonLine: String(line)))
            } catch {
                issues.append(LineIssue(line: lineNumber, reason: error.reason))
            }
        }
        self.init(envelopes: envelopes, issues: issues)
    }

    /// The file's text: one line per envelope, each ending with a newline.
    public var text: String {
        var out = ""
        for e in envelopes {
            out += e.jsonLine
            out += "\n"
        }
        return out
    }
}
