import ArenaModel
import AsyncHTTPClient
import Foundation
import Identity
import NIOCore
import NIOHTTP1

/// The one client of the arena's HTTP API (the oro-sdk wire format): JSON requests, signed with a hotkey
/// (fresh timestamp and nonce per attempt) or unsigned, the multipart agent submission, and bounded bodies.
/// The validator (`BackendClient`), the local arena and the CLI's `weights` command all call the backend
/// through it; errors come back as `ArenaClientError`.
public struct ArenaClient: Sendable {
    /// The backend's base URL without a trailing slash.
    public let baseURL: String
    /// Signs every call when set (a validator, miner or admin hotkey); nil sends unsigned requests.
    public let signer: RequestSigner?
    public let http: HTTPClient
    public var timeout: TimeAmount = .seconds(30)
    /// Sent as `User-Agent` when set.
    public var userAgent: String?

    public init(baseURL: String, signer: RequestSigner? = nil, http: HTTPClient = .shared) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.signer = signer
        self.http = http
    }

    /// The same client signing with another hotkey (nil: unsigned).
    public func signed(by signer: RequestSigner?) -> ArenaClient {
        var copy = ArenaClient(baseURL: baseURL, signer: signer, http: http)
        copy.timeout = timeout
        copy.userAgent = userAgent
        return copy
    }

    /// Sends a JSON request to `path` and returns the status and the parsed answer (nil for an empty body).
    /// Non-2xx answers throw `.http` with the body's `detail` / `error_code`.
    public func send(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, headers: [(String, String)] = [],
                     limit: Int = 16 << 20) async throws(ArenaClientError) -> (status: Int, json: JSONValue?)
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: JSONWriter().string(json)))
        }
        let (status, bytes) = try await execute(request, signed: signer != nil, limit: limit)
        if bytes.isEmpty { return (status, nil) }
        do {
            return (status, try JSONParser.parse(utf8: bytes))
        } catch {
            throw .badResponse("\(path) answered \(status) with a body that is not JSON")
        }
    }

    /// `send` for callers that only want the answer.
    @discardableResult
    public func call(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil) async throws(ArenaClientError)
        -> JSONValue?
    {
        try await send(method, path, json: json).json
    }

    /// `GET path` whose answer must be a JSON body.
    public func getJSON(_ path: String, limit: Int = 8 << 20) async throws(ArenaClientError) -> JSONValue {
        guard let json = try await send(.GET, path, limit: limit).json else {
            throw .badResponse("GET \(path) answered with an empty body")
        }
        return json
    }

    /// `POST /v1/miner/submit` with the two multipart parts the oro CLI sends: `agent_name`, then `file`.
    public func submit(agentName: String, fileName: String, code: [UInt8]) async throws(ArenaClientError) -> JSONValue? {
        let boundary = "shoparena-" + UUID().uuidString
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"agent_name\"\r\n")
        body.writeString("Content-Type: text/plain\r\n\r\n\(agentName)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n")
        body.writeString("Content-Type: text/x-python\r\n\r\n")
        body.writeBytes(code)
        body.writeString("\r\n--\(boundary)--\r\n")
        var request = HTTPClientRequest(url: baseURL + "/v1/miner/submit")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        request.body = .bytes(body)
        let (_, bytes) = try await execute(request, signed: signer != nil)
        if bytes.isEmpty { return nil }
        do {
            return try JSONParser.parse(utf8: bytes)
        } catch {
            throw .badResponse("/v1/miner/submit answered with a body that is not JSON")
        }
    }

    /// Sends `request` as it is (an absolute URL, e.g. a presigned upload or a code download), signed when
    /// `signed` and a signer is set, and returns the status and at most `limit` bytes of the body.
    public func execute(_ request: HTTPClientRequest, signed: Bool, limit: Int = 16 << 20)
        async throws(ArenaClientError) -> (Int, [UInt8])
    {
        var request = request
        if let userAgent { request.headers.replaceOrAdd(name: "User-Agent", value: userAgent) }
        if signed, let signer {
            for (name, value) in signer.headers(timestamp: Int64(Date().timeIntervalSince1970)).fields {
                request.headers.replaceOrAdd(name: name, value: value)
            }
        }
        let status: Int
        let body: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: limit)
        } catch {
            throw .connection("\(request.method.rawValue) \(request.url): \(error)")
        }
        let bytes = Array(body.readableBytesView)
        guard (200..<300).contains(status) else {
            let json = try? JSONParser.parse(utf8: bytes)
            let detail = json?["detail"]?.stringValue ?? json?["message"]?.stringValue
                ?? String(decoding: bytes.prefix(300), as: UTF8.self)
            throw .http(status: status, code: json?["error_code"]?.stringValue, detail: detail)
        }
        return (status, bytes)
    }
}
