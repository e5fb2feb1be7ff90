import ArenaModel
import Foundation
import Hummingbird
import NIOCore

/// `POST /inference/chat/completions`: the reference's njs `validate` checks, the model allowlist, then
/// a non-streaming forward to the ``InferenceUpstream`` (live, recording or replaying).
struct InferenceRoute: Sendable {
    let configuration: ProxyConfiguration
    /// nil: no upstream configured (503).
    let upstream: (any InferenceUpstream)?

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
        guard let allowed = await configuration.currentAllowedModels() else {
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
        guard let upstream else {
            return ProxyResponses.error(.serviceUnavailable, "Inference upstream not configured")
        }
        let reply: InferenceReply
        do {
            reply = try await upstream.complete(body: body, request: json, authorization: request.headers[.authorization])
        } catch {
            // Unreachable is the provider's failure; a replay miss is the local recording's, not the provider's.
            if error == .unreachable { CallNotes.current?.upstream = ProxyCallRecord.unreachable }
            return ProxyResponses.error(.badGateway, error.message)
        }
        CallNotes.current?.upstream = ProxyCallRecord.upstreamOutcome(status: reply.status)
        let replyBody = reply.body
        let parsed = try? JSONParser.parse(utf8: replyBody.readableBytesView)
        if let usage = parsed?["usage"], case .object = usage {
            CallNotes.current?.usage = ProxyCallRecord.Usage(
                promptTokens: usage["prompt_tokens"]?.intValue.map { Int($0) },
                completionTokens: usage["completion_tokens"]?.intValue.map { Int($0) },
                totalTokens: usage["total_tokens"]?.intValue.map { Int($0) })
        }
        // What the model proposed, read before the agent sees the reply (the trusted half of agentic richness).
        if reply.status == 200, let parsed {
            CallNotes.current?.proposedCalls = ProposedToolCall.parse(chatCompletion: parsed)
        }
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        return Response(status: HTTPResponse.Status(code: reply.status), headers: headers, body: .init(byteBuffer: replyBody))
    }
}
