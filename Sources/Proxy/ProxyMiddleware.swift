import ArenaModel
import Foundation
import Hummingbird
import Search

/// What the handlers of one request tell the logging middleware (task-local, set by the middleware).
final class CallNotes: @unchecked Sendable {
    // Written only by the request's own task, read by the same task after the handler returns.
    var productIDs: [String]?
    var model: String?
    var usage: ProxyCallRecord.Usage?
    /// The tool calls an inference reply proposed (set only for a reply that was read).
    var proposedCalls: [ProposedToolCall]?
    /// How the inference provider answered a forwarded call (``ProxyCallRecord/upstream``); nil: not forwarded.
    var upstream: String?

    @TaskLocal static var current: CallNotes?
}

/// Rate limit, the 403 for everything not routed, and one trusted log record per request.
struct ProxyMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: ProxyCallLog
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let timestamp = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let notes = CallNotes()
        let response: Response
        if !limiter.tryAcquire() {
            response = ProxyResponses.error(.tooManyRequests, "rate limit exceeded")
        } else {
            do {
                response = try await CallNotes.$current.withValue(notes) { try await next(request, context) }
            } catch let error as any HTTPResponseError where error.status == .notFound || error.status == .methodNotAllowed {
                response = ProxyResponses.forbidden
            } catch let error as any HTTPResponseError {
                response = ProxyResponses.error(error.status, "\(error.status.reasonPhrase)")
            } catch {
                response = ProxyResponses.error(.internalServerError, "internal proxy error")
            }
        }
        // A search dispatch's arguments, decoded, so the corpus can compare them with what replies proposed.
        var arguments: JSONValue?
        if request.uri.path.hasPrefix("/search/") {
            arguments = .object(QueryString.decode(request.uri.query ?? "").map { ($0.0, JSONValue.string($0.1)) })
        }
        let d = ContinuousClock.now - started
        let ms = (Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        log.append(
            ProxyCallRecord(
                timestamp: timestamp, method: request.method.rawValue, path: request.uri.path,
                query: request.uri.query.flatMap { $0.isEmpty ? nil : $0 }, model: notes.model,
                status: Int(response.status.code), durationMs: (ms * 10).rounded() / 10, productIDs: notes.productIDs,
                usage: notes.usage, arguments: arguments, proposedCalls: notes.proposedCalls,
                upstream: notes.upstream))
        return response
    }
}

/// Forwards to a search engine and notes the product ids it returned, for the call log.
struct RecordingSearchEngine: ProductSearching {
    let base: any ProductSearching

    var documentCount: Int { base.documentCount }

    func findProduct(_ request: FindProductRequest) -> [Product] {
        let products = base.findProduct(request)
        CallNotes.current?.productIDs = products.map(\.productID)
        return products
    }

    func viewProductInformation(productIDs: String) -> [Product] {
        let products = base.viewProductInformation(productIDs: productIDs)
        CallNotes.current?.productIDs = products.map(\.productID)
        return products
    }

    func productsRaw(productIDs: String) -> [Product] { [] }

    func product(id: String) -> Product? { base.product(id: id) }
}

/// The reference proxy's JSON error bodies.
enum ProxyResponses {
    static var forbidden: Response { json(.forbidden, .object([("error", .string("forbidden"))])) }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status, .object([("error", .string(message))]))
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: JSONWriter().string(value))))
    }
}
