import ArenaModel
import ArenaClient
import AsyncHTTPClient
import Foundation
import Identity
import NIOCore
import NIOHTTP1

/// A claimed evaluation run, as `/v1/validator/work/claim` hands it out.
public struct ClaimedRun: Sendable, Equatable {
    /// The run's id (`eval_run_id`), used in every later call about it.
    public var evalRunID: String
    /// The agent version the run evaluates.
    public var agentVersionID: String
    /// The suite whose problems the run covers.
    public var suiteID: Int64
    /// When the lease lapses unless a heartbeat extends it, as the backend wrote it (ISO 8601).
    public var leaseExpiresAt: String
    /// Where the agent file is downloaded from (an unsigned GET).
    public var codeDownloadURL: String
    /// The miner's inference token; the run cannot fund inference without it.
    public var inferenceToken: String?
}

/// One problem of a run: its id and the suite row (`metadata`), reward included (never sent to the sandbox).
public struct RunProblem: Sendable {
    /// The problem's id within the suite.
    public var problemID: String
    /// The suite row of the problem (query, reward, constraints), as the backend sent it.
    public var metadata: JSONValue
}

/// What a backend call can end in (the shared client's error, named as the validator loop has always used it).
public typealias BackendClientError = ArenaClientError

/// The validator's side of the arena API (reference/oro-api.md §4.2): every call signed with the validator's
/// hotkey (fresh nonce per attempt), a 30 s timeout, errors classified by `BackendClientError`. The HTTP
/// plumbing is the shared `ArenaClient`; with several backend replicas (`BackendEndpoints`) a call that gets no
/// answer or a 5xx is retried on the next replica.
public struct BackendClient: Sendable {
    /// The replicas and the one in use (shared so failover is sticky).
    public let endpoints: BackendEndpoints
    /// Signs every call with the validator's hotkey.
    public let signer: RequestSigner
    /// The HTTP client the calls go through.
    public var http: HTTPClient { client.http }
    /// The timeout of one call (30 s by default).
    public var timeout: TimeAmount {
        get { client.timeout }
        set { client.timeout = newValue }
    }
    private var client: ArenaClient

    /// The replica in use.
    public var baseURL: String { endpoints.active }

    /// A client of a single backend.
    public init(baseURL: String, signer: RequestSigner, http: HTTPClient) {
        self.init(endpoints: BackendEndpoints([baseURL]), signer: signer, http: http)
    }

    /// A client over several replicas of one arena (sharing `endpoints` keeps the replica in use sticky).
    public init(endpoints: BackendEndpoints, signer: RequestSigner, http: HTTPClient) {
        self.endpoints = endpoints
        self.signer = signer
        self.client = ArenaClient(baseURL: endpoints.active, signer: signer, http: http)
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

    /// The problems of `run`, with their suite rows.
    public func problems(run: String) async throws(BackendClientError) -> [RunProblem] {
        let json = try await call(.GET, "/v1/validator/evaluation-runs/\(run)/problems")
        guard let list = json?["problems"]?.arrayValue else { throw .badResponse("problems answer without a problems list") }
        return list.compactMap { item in
            guard let id = item["problem_id"]?.stringValue else { return nil }
            return RunProblem(problemID: id, metadata: item["metadata"] ?? .object([]))
        }
    }

    /// Extends the lease of `run`; returns the new `lease_expires_at` (a lost lease throws, see `isLeaseLost`).
    @discardableResult
    public func heartbeat(run: String, serviceVersions: [String: String]) async throws(BackendClientError) -> String? {
        let body = JSONValue.object([("service_versions", .object(serviceVersions.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
        let json = try await call(.POST, "/v1/validator/evaluation-runs/\(run)/heartbeat", json: body)
        return json?["lease_expires_at"]?.stringValue
    }

    /// Reports finished problems (their outcome and score rows) of `run`.
    public func progress(run: String, problems: [JSONValue]) async throws(BackendClientError) {
        try await call(.POST, "/v1/validator/evaluation-runs/\(run)/progress", json: .object([("problems", .array(problems))]))
    }

    /// Uploads `bytes` for one problem through presign + PUT and returns the stored key.
    public func uploadLog(run: String, problem: String, bytes: [UInt8], contentType: String = "application/gzip")
        async throws(BackendClientError) -> String
    {
        let json = try await call(.POST, "/v1/validator/uploads/presign", json: .object([
            ("content_length", .int(Int64(bytes.count))), ("eval_run_id", .string(run)), ("problem_id", .string(problem)),
            ("content_type", .string(contentType)),
        ]))
        guard let url = json?["upload_url"]?.stringValue, let key = json?["results_s3_key"]?.stringValue else {
            throw .badResponse("presign answer without upload_url / results_s3_key")
        }
        FaultInjection.current.reached(.midUpload)
        _ = try await failingOver(url: url, signed: false) { target in
            var request = HTTPClientRequest(url: target)
            request.method = .PUT
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: bytes))
            return request
        }
        return key
    }

    /// Completes `run` with its terminal status and score (`body`); returns the backend's answer.
    public func complete(run: String, body: JSONValue) async throws(BackendClientError) -> JSONValue? {
        try await call(.POST, "/v1/validator/evaluation-runs/\(run)/complete", json: body)
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

    /// The client version the validator declares to its backend (`X-Oro-Client-Version`).
    static let clientVersion = "7.0.2"

    // MARK: - Failover over ArenaClient

    /// The shared client aimed at one replica, with this client's signer, timeout and HTTP client.
    private func replica(_ base: String) -> ArenaClient {
        var replica = ArenaClient(baseURL: base, signer: signer, http: client.http)
        replica.timeout = client.timeout
        replica.userAgent = client.userAgent
        return replica
    }

    /// `ArenaClient.send` on the replica in use, failing over to the others.
    private func send(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, headers: [(String, String)] = [])
        async throws(BackendClientError) -> (status: Int, json: JSONValue?)
    {
        try await failingOver(path: path) { (base: String) async throws(BackendClientError) -> (status: Int, json: JSONValue?) in
            try await replica(base).send(method, path, json: json, headers: headers)
        }
    }

    /// `send` for callers that only want the answer.
    @discardableResult
    private func call(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil) async throws(BackendClientError)
        -> JSONValue?
    {
        try await send(method, path, json: json).json
    }

    /// An absolute URL the backend handed out: through the replicas when it points at one of them, else as given.
    private func failingOver(url: String, signed: Bool, limit: Int = 16 << 20,
                             _ make: (String) -> HTTPClientRequest) async throws(BackendClientError)
        -> (Int, [UInt8])
    {
        guard let path = endpoints.path(of: url) else { return try await client.execute(make(url), signed: signed, limit: limit) }
        return try await failingOver(path: path) { (base: String) async throws(BackendClientError) -> (Int, [UInt8]) in
            try await client.execute(make(base + path), signed: signed, limit: limit)
        }
    }

    /// Tries the replica in use, then each other replica while the failure warrants it (no answer, 5xx); the
    /// replica that answers stays in use. `attempt` makes the call against one replica's base URL.
    private func failingOver<T>(path: String, _ attempt: (String) async throws(BackendClientError) -> T)
        async throws(BackendClientError) -> T
    {
        let order = endpoints.attemptOrder()
        var lastError: BackendClientError?
        for (index, base) in order {
            do {
                let answer = try await attempt(base)
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
}
