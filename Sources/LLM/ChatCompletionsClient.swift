import ArenaModel
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where and how to reach an OpenAI-compatible chat-completions endpoint.
public struct ChatCompletionsConfiguration: Sendable, Hashable {
    /// The API base, e.g. `http://127.0.0.1:8000/v1`; requests go to `<baseURL>/chat/completions`.
    public var baseURL: String
    /// Sent as `Authorization: Bearer <apiKey>` when set.
    public var apiKey: String?
    /// Limit for one request, from sending it to the response head.
    public var timeout: Duration
    /// Largest response body accepted.
    public var maxResponseBytes: Int

    public init(baseURL: String, apiKey: String? = nil, timeout: Duration = .seconds(90), maxResponseBytes: Int = 32 << 20) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The full URL of the chat-completions route.
    public var endpoint: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/chat/completions"
    }
}

/// One message of a chat request.
public struct ChatMessage: Sendable, Hashable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: "system", content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: "user", content: text) }
}

/// A non-streaming chat-completions request.
public struct ChatCompletionRequest: Sendable, Hashable {
    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var maxTokens: Int?

    public init(model: String, messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int? = nil) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
    }

    /// The request body (`stream` is always false).
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("model", .string(model)),
            ("messages", .array(messages.map { .object([("role", .string($0.role)), ("content", .string($0.content))]) })),
        ]
        if let temperature { pairs.append(("temperature", .double(temperature))) }
        if let maxTokens { pairs.append(("max_tokens", .int(Int64(maxTokens)))) }
        pairs.append(("stream", .bool(false)))
        return .object(pairs)
    }
}

/// The parts of a `chat.completion` answer callers read; `raw` keeps the whole body.
public struct ChatCompletion: Sendable, Hashable {
    /// `choices[0].message.content`; nil when it is null or missing (some servers do that under load).
    public var content: String?
    /// `choices[0].message.reasoning_content` when present.
    public var reasoningContent: String?
    /// The model the server says answered.
    public var model: String?
    public var completionTokens: Int?
    public var raw: JSONValue

    public init(raw: JSONValue) {
        self.raw = raw
        let message = raw["choices"]?.arrayValue?.first?["message"]
        content = message?["content"]?.stringValue
        reasoningContent = message?["reasoning_content"]?.stringValue
        model = raw["model"]?.stringValue
        completionTokens = raw["usage"]?["completion_tokens"]?.intValue.map { Int($0) }
    }
}

/// Why a chat-completions request failed. Messages say what to check.
public enum ChatCompletionsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The base URL is not an http(s) URL.
    case invalidBaseURL(String)
    /// The request could not be sent or the connection broke (refused, reset, DNS, TLS…).
    case transport(String)
    /// No response within the configured timeout.
    case timedOut(after: Duration)
    /// The server answered with a non-2xx status; `body` is the start of its answer.
    case httpStatus(code: Int, body: String)
    /// A 2xx body that is not a chat completion.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .invalidBaseURL(let u): return "invalid chat base URL '\(u)' (expected http(s)://host[:port]/v1)"
        case .transport(let m): return "could not reach the chat endpoint: \(m)"
        case .timedOut(let d): return "the chat endpoint did not answer within \(d)"
        case .httpStatus(let code, let body):
            let hint = code == 401 || code == 403 ? " (check the API key)" : code == 404 ? " (check the base URL and model)" : ""
            return "the chat endpoint answered HTTP \(code)\(hint): \(body)"
        case .invalidResponse(let m): return "unexpected chat response: \(m)"
        }
    }
}

/// A client for `POST /chat/completions` of an OpenAI-compatible server. One request per call, no retries
/// (callers such as the reasoning judge own their retry policy).
public struct ChatCompletionsClient: Sendable {
    public let configuration: ChatCompletionsConfiguration
    let httpClient: HTTPClient

    /// - Parameter httpClient: defaults to AsyncHTTPClient's process-wide shared client.
    public init(configuration: ChatCompletionsConfiguration, httpClient: HTTPClient = .shared) throws(ChatCompletionsError) {
        guard let url = URL(string: configuration.endpoint), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else { throw .invalidBaseURL(configuration.baseURL) }
        self.configuration = configuration
        self.httpClient = httpClient
    }

    /// Sends one request and returns the parsed answer of a 2xx response.
    public func complete(_ chat: ChatCompletionRequest) async throws(ChatCompletionsError) -> ChatCompletion {
        var request = HTTPClientRequest(url: configuration.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let key = configuration.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(string: JSONWriter().string(chat.json)))

        let (status, bytes) = try await send(request)
        guard (200..<300).contains(status) else {
            throw .httpStatus(code: status, body: String(decoding: bytes.prefix(500), as: UTF8.self))
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(utf8: bytes)
        } catch {
            throw .invalidResponse("the body is not JSON (\(error))")
        }
        guard value["choices"]?.arrayValue?.first?["message"] != nil else {
            throw .invalidResponse("expected {\"choices\": [{\"message\": {...}}]}")
        }
        return ChatCompletion(raw: value)
    }

    /// Executes the request; the timeout covers the whole exchange, body included (AsyncHTTPClient's
    /// deadline only covers the response head, and a trickling body must not stall a judge).
    private func send(_ request: HTTPClientRequest) async throws(ChatCompletionsError) -> (Int, [UInt8]) {
        let timeout = configuration.timeout
        let c = timeout.components
        let nanos = c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000
        let client = httpClient
        let limit = configuration.maxResponseBytes
        let outcome = await withTaskGroup(of: Result<(Int, [UInt8]), ChatCompletionsError>?.self) { group in
            group.addTask {
                do {
                    let response = try await client.execute(request, timeout: .nanoseconds(nanos))
                    let buffer = try await response.body.collect(upTo: limit)
                    return .success((Int(response.status.code), Array(buffer.readableBytesView)))
                } catch let error as HTTPClientError {
                    if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                        return .failure(.timedOut(after: timeout))
                    }
                    return .failure(.transport(String(describing: error)))
                } catch {
                    return .failure(.transport(String(describing: error)))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : .failure(.timedOut(after: timeout))
            }
            var first: Result<(Int, [UInt8]), ChatCompletionsError>?
            for await r in group where first == nil {
                if let r {
                    first = r
                    group.cancelAll()
                }
            }
            return first ?? .failure(.timedOut(after: timeout))
        }
        return try outcome.get()
    }
}
