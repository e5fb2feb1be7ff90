import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where and how to reach an OpenAI-compatible embeddings endpoint.
public struct EmbeddingsConfiguration: Sendable, Hashable {
    /// The API base, e.g. `http://127.0.0.1:8080/v1` or `https://api.openai.com/v1`; requests go to
    /// `<baseURL>/embeddings`.
    public var baseURL: String
    /// Sent as `Authorization: Bearer <apiKey>` when set.
    public var apiKey: String?
    /// The `model` field, e.g. `Qwen/Qwen3-Embedding-0.6B`.
    public var model: String
    /// Limit for one request, connection to last byte.
    public var timeout: Duration
    /// Largest response body accepted.
    public var maxResponseBytes: Int

    public init(
        baseURL: String, apiKey: String? = nil, model: String, timeout: Duration = .seconds(60),
        maxResponseBytes: Int = 256 << 20
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The full URL of the embeddings route.
    public var endpoint: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/embeddings"
    }
}

/// Why an embeddings request failed. Messages say what to check.
public enum EmbeddingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The base URL is not an http(s) URL.
    case invalidBaseURL(String)
    /// The request could not be sent or the connection broke (refused, reset, DNS, TLS…).
    case transport(String)
    /// No complete response within the configured timeout.
    case timedOut(after: Duration)
    /// The server answered with a non-2xx status; `body` is the start of its answer.
    case httpStatus(code: Int, body: String)
    /// The body is not the OpenAI embeddings shape.
    case invalidResponse(String)
    /// The server returned a different number of vectors than inputs.
    case countMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .invalidBaseURL(let u): return "invalid embeddings base URL '\(u)' (expected http(s)://host[:port]/v1)"
        case .transport(let m): return "could not reach the embeddings endpoint: \(m)"
        case .timedOut(let d): return "the embeddings endpoint did not answer within \(d)"
        case .httpStatus(let code, let body):
            let hint = code == 401 || code == 403 ? " (check the API key)" : code == 404 ? " (check the base URL and model)" : ""
            return "the embeddings endpoint answered HTTP \(code)\(hint): \(body)"
        case .invalidResponse(let m): return "unexpected embeddings response: \(m)"
        case .countMismatch(let e, let g): return "asked for \(e) embeddings, got \(g)"
        }
    }
}

/// A client for `POST /v1/embeddings` of an OpenAI-compatible server (OpenAI, vLLM, TEI, llama.cpp,
/// Ollama's OpenAI layer…). One request per call; vectors come back in input order.
public struct EmbeddingsClient: Sendable {
    public let configuration: EmbeddingsConfiguration
    let httpClient: HTTPClient

    /// - Parameter httpClient: defaults to AsyncHTTPClient's process-wide shared client.
    public init(configuration: EmbeddingsConfiguration, httpClient: HTTPClient = .shared) throws(EmbeddingsError) {
        let e = configuration.endpoint
        guard let url = URL(string: e), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else { throw .invalidBaseURL(configuration.baseURL) }
        self.configuration = configuration
        self.httpClient = httpClient
    }

    struct RequestBody: Encodable {
        var model: String
        var input: [String]
        var encoding_format = "float"
    }

    struct ResponseBody: Decodable {
        struct Item: Decodable {
            var embedding: [Float]
            var index: Int?
        }
        var data: [Item]
    }

    /// The embedding of each input, in input order. An empty input list makes no request.
    public func embed(_ inputs: [String]) async throws(EmbeddingsError) -> [[Float]] {
        if inputs.isEmpty { return [] }
        var request = HTTPClientRequest(url: configuration.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let key = configuration.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let body: Data
        do {
            body = try JSONEncoder().encode(RequestBody(model: configuration.model, input: inputs))
        } catch {
            throw .invalidResponse("could not encode the request: \(error)")
        }
        request.body = .bytes(ByteBuffer(bytes: body))

        let (status, bytes) = try await send(request)
        guard (200..<300).contains(status) else {
            throw .httpStatus(code: status, body: String(decoding: bytes.prefix(500), as: UTF8.self))
        }
        let decoded: ResponseBody
        do {
            decoded = try JSONDecoder().decode(ResponseBody.self, from: Data(bytes))
        } catch {
            throw .invalidResponse("expected {\"data\": [{\"embedding\": [numbers], \"index\": n}]}: \(error)")
        }
        guard decoded.data.count == inputs.count else { throw .countMismatch(expected: inputs.count, got: decoded.data.count) }
        var out = [[Float]?](repeating: nil, count: inputs.count)
        for (position, item) in decoded.data.enumerated() {
            let i = item.index ?? position
            guard out.indices.contains(i), out[i] == nil else {
                throw .invalidResponse("embedding index \(i) is out of range or repeated")
            }
            out[i] = item.embedding
        }
        return out.map { $0! }
    }

    private func send(_ request: HTTPClientRequest) async throws(EmbeddingsError) -> (Int, [UInt8]) {
        let timeout = configuration.timeout
        let c = timeout.components
        let nanos = c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(nanos))
            let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            return (Int(response.status.code), Array(buffer.readableBytesView))
        } catch let error as HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                throw .timedOut(after: timeout)
            }
            throw .transport(String(describing: error))
        } catch {
            throw .transport(String(describing: error))
        }
    }
}
