import ArenaModel
import AsyncHTTPClient
import Foundation
import Identity
import NIOCore
import NIOHTTP1

/// A claimed evaluation run, as `/v1/validator/work/claim` hands it out.
public struct ClaimedRun: Sendable, Equatable {
    public var evalRunID: String
    public var agentVersionID: String
    public var suiteID: Int64
    public var leaseExpiresAt: String
    public var codeDownloadURL: String
    /// The miner's inference token; the run cannot fund inference without it.
    public var inferenceToken: String?
}

/// One problem of a run: its id and the suite row (`metadata`), reward included (never sent to the sandbox).
public struct RunProblem: Sendable {
    public var problemID: String
    public var metadata: JSONValue
}

/// The validator's side of the arena API (reference/oro-api.md §4.2): every call signed with the validator's
/// hotkey (fresh nonce per attempt), a 30 s timeout, errors classified by `BackendClientError`. With several
/// backend replicas (`BackendEndpoints`) a call that gets no answer or a 5xx is retried on the next replica.
public struct BackendClient: Sendable {
    public let endpoints: BackendEndpoints
    public let signer: RequestSigner
    public let http: HTTPClient
    public var timeout: TimeAmount = .seconds(30)

    /// The replica in use.
    public var baseURL: String { endpoints.active }

    public init(baseURL: String, signer: RequestSigner, http: HTTPClient) {
        self.init(endpoints: BackendEndpoints([baseURL]), signer: signer, http: http)
    }

    /// A client over several replicas of one arena (sharing `endpoints` keeps the replica in use sticky).
    public init(endpoints: BackendEndpoints, signer: RequestSigner, http: HTTPClient) {
        self.endpoints = endpoints
        self.signer = signer
        self.http = http
    }

    /// Claims the next run, or nil when there is no work (204).
    public func claim(serviceVersions: [String: String]) async throws(BackendClientError) -> ClaimedRun? {
        let body = JSONValue.object([("service_versions", .object(serviceVersions.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
        // As a newer client (oro-sdk 7.x generation) the claim carries `inference_token`, whatever provider the
        // miner connected; 1.0.x's `chutes_access_token` holds a Chutes credential only.
        let (status, json) = try await send(.POST, "/v1/validator/work/claim", json: body,
                                            headers: [("X-Oro-Client-Name", "shoparena-validator"),
                                                      ("X-Oro-Client-Version", Self.clientVersion)])
        if status == 204 { return nil }
        guard let json, let id = json["eval_run_id"]?.stringValue, let version = json["agent_version_id"]?.stringValue,
              let url = json["code_download_url"]?.stringValue
        else { throw .badResponse("claim answer without eval_run_id / agent_version_id / code_download_url") }
        return ClaimedRun(evalRunID: id, agentVersionID: version, suiteID: json["suite_id"]?.intValue ?? 0,
                          leaseExpiresAt: json["lease_expires_at"]?.stringValue ?? "", codeDownloadURL: url,
                          inferenceToken: json["inference_token"]?["access_token"]?.stringValue
                              ?? json["chutes_access_token"]?.stringValue)
    }

    public func problems(run: String) async throws(BackendClientError) -> [RunProblem] {
        let (_, json) = try await send(.GET, "/v1/validator/evaluation-runs/\(run)/problems", json: nil)
        guard let list = json?["problems"]?.arrayValue else { throw .badResponse("problems answer without a problems list") }
        return list.compactMap { item in
            guard let id = item["problem_id"]?.stringValue else { return nil }
            return RunProblem(problemID: id, metadata: item["metadata"] ?? .object([]))
        }
    }

    @discardableResult
    public func heartbeat(run: String, serviceVersions: [String: String]) async throws(BackendClientError) -> String? {
        let body = JSONValue.object([("service_versions", .object(serviceVersions.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
        let (_, json) = try await send(.POST, "/v1/validator/evaluation-runs/\(run)/heartbeat", json: body)
        return json?["lease_expires_at"]?.stringValue
    }

    public func progress(run: String, problems: [JSONValue]) async throws(BackendClientError) {
        _ = try await send(.POST, "/v1/validator/evaluation-runs/\(run)/progress", json: .object([("problems", .array(problems))]))
    }

    /// Uploads `bytes` for one problem through presign + PUT and returns the stored key.
    public func uploadLog(run: String, problem: String, bytes: [UInt8], contentType: String = "application/gzip")
        async throws(BackendClientError) -> String
    {
        let (_, json) = try await send(.POST, "/v1/validator/uploads/presign", json: .object([
            ("content_length", .int(Int64(bytes.count))), ("eval_run_id", .string(run)), ("problem_id", .string(problem)),
            ("content_type", .string(contentType)),
        ]))
        guard let url = json?["upload_url"]?.stringValue, let key = json?["results_s3_key"]?.stringValue else {
            throw .badResponse("presign answer without upload_url / results_s3_key")
        }
        _ = try await failingOver(url: url, signed: false) { target in
            var request = HTTPClientRequest(url: target)
            request.method = .PUT
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: bytes))
            return request
        }
        return key
    }

    public func complete(run: String, body: JSONValue) async throws(BackendClientError) -> JSONValue? {
        try await send(.POST, "/v1/validator/evaluation-runs/\(run)/complete", json: body).1
    }

    /// The agent file (an unsigned GET of the claim's URL).
    public func download(_ url: String, limit: Int = 2 << 20) async throws(BackendClientError) -> [UInt8] {
        let (_, bytes) = try await failingOver(url: url, signed: false, limit: limit) { target in
            var request = HTTPClientRequest(url: target)
            request.method = .GET
            return request
        }
        return bytes
    }

    // MARK: - Plumbing

    /// The client version the validator declares to its backend (`X-Oro-Client-Version`).
    static let clientVersion = "7.0.2"

    private func send(_ method: HTTPMethod, _ path: String, json: JSONValue?, headers: [(String, String)] = [])
        async throws(BackendClientError) -> (Int, JSONValue?)
    {
        let body = json.map { JSONWriter().string($0) }
        let (status, bytes) = try await failingOver(path: path, signed: true) { base in
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
            }
            return request
        }
        if bytes.isEmpty { return (status, nil) }
        do {
            return (status, try JSONParser.parse(utf8: bytes))
        } catch {
            throw .badResponse("\(path) answered \(status) with a body that is not JSON")
        }
    }

    /// An absolute URL the backend handed out: through the replicas when it points at one of them, else as given.
    private func failingOver(url: String, signed: Bool, limit: Int = 16 << 20,
                             _ make: (String) -> HTTPClientRequest) async throws(BackendClientError) -> (Int, [UInt8])
    {
        guard let path = endpoints.path(of: url) else { return try await execute(make(url), signed: signed, limit: limit) }
        return try await failingOver(path: path, signed: signed, limit: limit) { base in make(base + path) }
    }

    /// Tries the replica in use, then each other replica while the failure warrants it (no answer, 5xx); the
    /// replica that answers stays in use. `make` builds the request for one replica's base URL.
    private func failingOver(path: String, signed: Bool, limit: Int = 16 << 20,
                             _ make: (String) -> HTTPClientRequest) async throws(BackendClientError) -> (Int, [UInt8])
    {
        let order = endpoints.attemptOrder()
        var lastError: BackendClientError?
        for (index, base) in order {
            do {
                let answer = try await execute(make(base), signed: signed, limit: limit)
                endpoints.answered(index)
                return answer
            } catch {
                guard order.count > 1, error.warrantsFailover else { throw error }
                endpoints.failed(index)
                lastError = error
            }
        }
        throw lastError ?? .connection("no backend replica to call for \(path)")
    }

    private func execute(_ request: HTTPClientRequest, signed: Bool, limit: Int = 16 << 20)
        async throws(BackendClientError) -> (Int, [UInt8])
    {
        var request = request
        if signed {
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
