/// One line of the trusted per-problem call log that the proxy (not the agent) writes:
///
/// ```
/// {"timestamp": 1716000000123, "method": "GET", "path": "/search/find_product", "query": "q=shoes&page=1",
///  "status": 200, "duration_ms": 3.2, "product_ids": ["123", "456"]}
/// {"timestamp": 1716000001456, "method": "POST", "path": "/inference/chat/completions", "model": "m",
///  "status": 200, "duration_ms": 812.0, "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
///  "proposed_calls": [{"name": "find_product", "arguments": {"q": "shoes", "page": 1}, "source": "text"}]}
/// ```
///
/// A search call also carries its decoded `arguments` (`{"q": "shoes", "page": "1"}`, strings as sent); an
/// inference call carries `proposed_calls`, the tool calls its reply proposed (``ProposedToolCall``). Together
/// they let the corpus tell a model-chosen dispatch from a program-chosen one.
///
/// An inference call the proxy forwarded also carries `upstream`: how the provider answered — `"answered"`, or an
/// upstream failure: `"unreachable"` (timeout, connection) or `"http_<status>"` for 5xx, 401, 402 and 429. A call the
/// proxy refused itself (allowlist, malformed request) has none: it never reached the provider.
///
/// The sandbox buckets these into the steps of the envelope (`extra_info.proxy_calls`) and counts the
/// inference calls; the judge reads them instead of the agent's own, forgeable, request log.
public struct ProxyCallRecord: Sendable, Hashable {
    /// Token usage an inference call reported upstream.
    public struct Usage: Sendable, Hashable {
        public var promptTokens: Int?
        public var completionTokens: Int?
        public var totalTokens: Int?

        public init(promptTokens: Int? = nil, completionTokens: Int? = nil, totalTokens: Int? = nil) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.totalTokens = totalTokens
        }
    }

    /// When the request arrived, milliseconds since the epoch.
    public var timestamp: Int64
    public var method: String
    /// The request path without its query string (e.g. `/search/find_product`).
    public var path: String
    /// The raw query string of the request, when it had one.
    public var query: String?
    /// The `model` of an inference request.
    public var model: String?
    /// HTTP status the proxy answered with.
    public var status: Int
    public var durationMs: Double
    /// Product ids a search call returned, in order.
    public var productIDs: [String]?
    public var usage: Usage?
    /// A search call's query parameters, decoded, as a JSON object of strings in request order.
    public var arguments: JSONValue?
    /// An inference call's reply: the tool calls it proposed (empty when it proposed none; nil when the reply
    /// was not read, e.g. a refused request).
    public var proposedCalls: [ProposedToolCall]?
    /// How the inference provider answered a forwarded call (see the type's notes); nil when it was not forwarded.
    public var upstream: String?

    /// ``upstream`` of a call the provider answered with HTTP `status`: a failure tag for 5xx, 401, 402 and 429 (the
    /// provider is down, refuses the key, or is out of quota), `"answered"` otherwise.
    public static func upstreamOutcome(status: Int) -> String {
        status >= 500 || [401, 402, 429].contains(status) ? "http_\(status)" : answered
    }

    /// ``upstream`` of a call the provider answered normally.
    public static let answered = "answered"
    /// ``upstream`` of a call the provider did not answer (timeout, refused or broken connection).
    public static let unreachable = "unreachable"

    public init(
        timestamp: Int64, method: String, path: String, query: String? = nil, model: String? = nil, status: Int,
        durationMs: Double, productIDs: [String]? = nil, usage: Usage? = nil, arguments: JSONValue? = nil,
        proposedCalls: [ProposedToolCall]? = nil, upstream: String? = nil
    ) {
        self.upstream = upstream
        self.arguments = arguments
        self.proposedCalls = proposedCalls
        self.timestamp = timestamp
        self.method = method
        self.path = path
        self.query = query
        self.model = model
        self.status = status
        self.durationMs = durationMs
        self.productIDs = productIDs
        self.usage = usage
    }

    /// The catalogue tool a search path dispatches (`/search/find_product` → `find_product`), nil otherwise.
    public var dispatchedTool: String? {
        switch path {
        case "/search/find_product": return "find_product"
        case "/search/view_product_information": return "view_product_information"
        default: return nil
        }
    }

    /// Whether this is a call to the LLM upstream (`/inference/…`).
    public var isInference: Bool { path.hasPrefix("/inference/") }
    /// Only 200 counts as success, as in the reference ProxyClient.
    public var succeeded: Bool { status == 200 }
    /// Whether the proxy forwarded the call to the inference provider.
    public var reachedUpstream: Bool { upstream != nil }
    /// Whether the provider failed the call (no answer, 5xx, 401, 402, 429).
    public var isUpstreamFailure: Bool { upstream.map { $0 != Self.answered } ?? false }
}

extension ProxyCallRecord {
    /// The log line as a JSON object (absent optionals are left out).
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("timestamp", .int(timestamp)), ("method", .string(method)), ("path", .string(path)),
        ]
        if let query { pairs.append(("query", .string(query))) }
        if let model { pairs.append(("model", .string(model))) }
        pairs.append(("status", .int(Int64(status))))
        pairs.append(("duration_ms", .double(durationMs)))
        if let productIDs { pairs.append(("product_ids", .array(productIDs.map(JSONValue.string)))) }
        if let usage {
            var u: [(String, JSONValue)] = []
            if let v = usage.promptTokens { u.append(("prompt_tokens", .int(Int64(v)))) }
            if let v = usage.completionTokens { u.append(("completion_tokens", .int(Int64(v)))) }
            if let v = usage.totalTokens { u.append(("total_tokens", .int(Int64(v)))) }
            pairs.append(("usage", .object(u)))
        }
        if let arguments { pairs.append(("arguments", arguments)) }
        if let proposedCalls { pairs.append(("proposed_calls", .array(proposedCalls.map(\.json)))) }
        if let upstream { pairs.append(("upstream", .string(upstream))) }
        return .object(pairs)
    }

    /// Reads one log object; nil when `timestamp`, `method`, `path` or `status` is missing.
    public init?(json: JSONValue) {
        guard let ts = json["timestamp"]?.intValue, let method = json["method"]?.stringValue,
            let path = json["path"]?.stringValue, let status = json["status"]?.intValue
        else { return nil }
        var usage: Usage?
        if let u = json["usage"], case .object = u {
            usage = Usage(
                promptTokens: u["prompt_tokens"]?.intValue.map { Int($0) },
                completionTokens: u["completion_tokens"]?.intValue.map { Int($0) },
                totalTokens: u["total_tokens"]?.intValue.map { Int($0) })
        }
        self.init(
            timestamp: ts, method: method, path: path, query: json["query"]?.stringValue,
            model: json["model"]?.stringValue, status: Int(status), durationMs: json["duration_ms"]?.numberValue ?? 0,
            productIDs: json["product_ids"]?.arrayValue?.compactMap(\.stringValue), usage: usage,
            arguments: json["arguments"].flatMap { $0.objectValue != nil ? $0 : nil },
            proposedCalls: json["proposed_calls"]?.arrayValue?.compactMap(ProposedToolCall.init(json:)),
            upstream: json["upstream"]?.stringValue)
    }

    /// Parses a JSONL log; unreadable lines are skipped (the proxy writes every line itself).
    public static func parseLog(_ text: String) -> [ProxyCallRecord] {
        text.split(separator: "\n").compactMap { line in
            guard let value = try? JSONParser.parse(String(line)) else { return nil }
            return ProxyCallRecord(json: value)
        }
    }
}
