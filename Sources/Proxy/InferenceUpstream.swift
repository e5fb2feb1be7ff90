import ArenaModel
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One upstream answer the proxy relays to the agent.
public struct InferenceReply: Sendable, Hashable {
    public var status: Int
    public var contentType: String
    public var body: ByteBuffer

    public init(status: Int, contentType: String = "application/json", body: ByteBuffer) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// Why no reply came back; the proxy answers 502 with ``message``.
public enum InferenceUpstreamError: Error, Sendable, Equatable {
    /// Connection refused, broken or too slow.
    case unreachable
    /// Replay mode and nothing was recorded for this request.
    case notRecorded(key: String, directory: String)

    /// The proxy's error body text.
    public var message: String {
        switch self {
        case .unreachable: return "Inference upstream unreachable or too slow"
        case .notRecorded(let key, let directory):
            return "No recorded response for this request (key \(key)) in \(directory); "
                + "record it first with `shoparena eval … --record \(directory)` against a live upstream"
        }
    }
}

/// Where the proxy's allowlisted `/chat/completions` requests go: live HTTP, recorded to disk, or
/// replayed from disk.
public protocol InferenceUpstream: Sendable {
    /// Answers the validated request: `body` is the agent's bytes, `request` their parsed form,
    /// `authorization` the agent's own `Authorization` header (used only when no run key is configured).
    func complete(body: ByteBuffer, request: JSONValue, authorization: String?) async throws(InferenceUpstreamError)
        -> InferenceReply
}

/// Forwards to an OpenAI-compatible base URL with the run's key (`<base>/chat/completions`).
public struct LiveInferenceUpstream: InferenceUpstream {
    public let baseURL: String
    public let apiKey: String?
    public let client: HTTPClient
    public let timeoutSeconds: Int64
    public let maxReplyBytes: Int

    public init(baseURL: String, apiKey: String?, client: HTTPClient, timeoutSeconds: Int64, maxReplyBytes: Int) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.client = client
        self.timeoutSeconds = timeoutSeconds
        self.maxReplyBytes = maxReplyBytes
    }

    public func complete(body: ByteBuffer, request: JSONValue, authorization: String?) async throws(InferenceUpstreamError)
        -> InferenceReply
    {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var upstream = HTTPClientRequest(url: base + "/chat/completions")
        upstream.method = .POST
        upstream.headers.add(name: "Content-Type", value: "application/json")
        upstream.headers.add(name: "Accept-Encoding", value: "identity")
        if let apiKey {
            upstream.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        } else if let authorization {
            upstream.headers.add(name: "Authorization", value: authorization)
        }
        upstream.body = .bytes(body)
        do {
            let reply = try await client.execute(upstream, timeout: .seconds(timeoutSeconds))
            let replyBody = try await reply.body.collect(upTo: maxReplyBytes)
            return InferenceReply(
                status: Int(reply.status.code), contentType: reply.headers.first(name: "Content-Type") ?? "application/json",
                body: replyBody)
        } catch {
            throw .unreachable
        }
    }
}

/// Passes requests to `base` and stores every 2xx reply in `store` (the first per request key wins; an
/// error reply is not stored, so the agent's retry of the same request records the good answer).
public struct RecordingInferenceUpstream: InferenceUpstream {
    public let base: any InferenceUpstream
    public let store: InferenceRecordStore

    public init(base: any InferenceUpstream, store: InferenceRecordStore) {
        self.base = base
        self.store = store
    }

    public func complete(body: ByteBuffer, request: JSONValue, authorization: String?) async throws(InferenceUpstreamError)
        -> InferenceReply
    {
        let reply = try await base.complete(body: body, request: request, authorization: authorization)
        if (200..<300).contains(reply.status) { store.save(reply, for: request) }
        return reply
    }
}

/// Serves replies from `store` without any upstream; an unknown request throws ``InferenceUpstreamError/notRecorded(key:directory:)``.
public struct ReplayingInferenceUpstream: InferenceUpstream {
    public let store: InferenceRecordStore

    public init(store: InferenceRecordStore) {
        self.store = store
    }

    public func complete(body: ByteBuffer, request: JSONValue, authorization: String?) async throws(InferenceUpstreamError)
        -> InferenceReply
    {
        guard let reply = store.load(for: request) else {
            throw .notRecorded(key: InferenceRecordStore.key(for: request).hash, directory: store.directory.path)
        }
        return reply
    }
}
