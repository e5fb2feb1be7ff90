import ArenaModel
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore

/// `POST /inference/chat/completions`: the reference's njs `validate` checks, the model allowlist, then
/// a non-streaming forward to the OpenAI-compatible upstream with the run's key.
struct InferenceRoute: Sendable {
    let configuration: ProxyConfiguration
    let client: HTTPClient

    func handle(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxRequestBytes)
        } catch {
            return ProxyResponses.error(.contentTooLarge, "Request body too large")
        }
        guard body.readableBytes > 0 else {
            return ProxyResponses.error(.badRequest, "Missing or unreadable request body")
        }
        guard let json = try? JSONParser.parse(utf8: body.readableBytesView), case .object = json else {
            return ProxyResponses.error(.badRequest, "Invalid JSON in request body")
        }
        guard let model = json["model"]?.stringValue, !model.isEmpty else {
            return ProxyResponses.error(.badRequest, "Missing 'model' field in request body")
        }
        CallNotes.current?.model = model
        if json["stream"] == .bool(true) {
            return ProxyResponses.error(.badRequest, "Streaming is not supported through the proxy")
        }
        guard let allowed = configuration.allowedModels else {
            return ProxyResponses.error(.serviceUnavailable, "Inference allowlist unavailable")
        }
        guard allowed.contains(model) else {
            return ProxyResponses.json(
                .forbidden,
                .object([
                    ("error", .string("Model '\(model)' is not allowed")),
                    ("allowed_models", .array(allowed.map(JSONValue.string))),
                ]))
        }
        guard let base = configuration.upstreamBaseURL else {
            return ProxyResponses.error(.serviceUnavailable, "Inference upstream not configured")
        }

        var upstream = HTTPClientRequest(url: base.trimmingSuffix("/") + "/chat/completions")
        upstream.method = .POST
        upstream.headers.add(name: "Content-Type", value: "application/json")
        upstream.headers.add(name: "Accept-Encoding", value: "identity")
        if let key = configuration.apiKey {
            upstream.headers.add(name: "Authorization", value: "Bearer \(key)")
        } else if let auth = request.headers[.authorization] {
            upstream.headers.add(name: "Authorization", value: auth)
        }
        upstream.body = .bytes(body)
        let reply: HTTPClientResponse
        let replyBody: ByteBuffer
        do {
            reply = try await client.execute(upstream, timeout: .seconds(configuration.upstreamTimeoutSeconds))
            replyBody = try await reply.body.collect(upTo: configuration.maxUpstreamReplyBytes)
        } catch {
            return ProxyResponses.error(.badGateway, "Inference upstream unreachable or too slow")
        }
        if let parsed = try? JSONParser.parse(utf8: replyBody.readableBytesView), let usage = parsed["usage"],
            case .object = usage
        {
            CallNotes.current?.usage = ProxyCallRecord.Usage(
                promptTokens: usage["prompt_tokens"]?.intValue.map { Int($0) },
                completionTokens: usage["completion_tokens"]?.intValue.map { Int($0) },
                totalTokens: usage["total_tokens"]?.intValue.map { Int($0) })
        }
        var headers = HTTPFields()
        headers[.contentType] = reply.headers.first(name: "Content-Type") ?? "application/json"
        return Response(
            status: HTTPResponse.Status(code: Int(reply.status.code)), headers: headers, body: .init(byteBuffer: replyBody))
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}
