import ArenaModel
import Foundation
import Hummingbird
import LLM
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// One scripted behaviour of ``FaultyChatServer`` for one request.
public enum ChatFault: Sendable, Hashable {
    /// 200 with this assistant content.
    case content(String)
    /// 200 with `"content": null` (seen from overloaded upstreams).
    case nullContent
    /// This HTTP status with an OpenAI-style error body carrying `message`.
    case status(Int, String)
    /// 200 with this body verbatim (e.g. an HTML error page from a broken gateway).
    case rawBody(String)
    /// Waits this long before answering 504 (longer than the client's timeout: a hung upstream).
    case hang(Duration)
}

/// An OpenAI-compatible chat server that fails in scripted ways — for testing clients' retry, rotation
/// and circuit-breaker logic (the judge) and for end-to-end "the judge upstream is down" runs.
///
/// Each request takes the next behaviour queued for its `model`; when that queue is empty it takes the
/// next of the shared queue; when both are empty it answers ``fallback``. Every request body is recorded.
/// Routes: `POST /v1/chat/completions` and `POST /chat/completions`.
public final class FaultyChatServer: Sendable {
    private struct State {
        var perModel: [String: [ChatFault]]
        var shared: [ChatFault]
        var requests: [JSONValue] = []
    }

    /// Where it listens, e.g. `http://127.0.0.1:50123/v1`.
    public let baseURL: String
    /// Answer when nothing is queued for a request.
    public let fallback: ChatFault
    private let state: Mutex<State>
    private let task: Mutex<Task<Void, any Error>?>
    private let group: Mutex<ServiceGroup?>

    private init(perModel: [String: [ChatFault]], shared: [ChatFault], fallback: ChatFault, baseURL: String) {
        self.baseURL = baseURL
        self.fallback = fallback
        state = Mutex(State(perModel: perModel, shared: shared))
        task = Mutex(nil)
        group = Mutex(nil)
    }

    /// The bodies of all requests received, in arrival order.
    public var requests: [JSONValue] { state.withLock { $0.requests } }

    /// The `model` of each request received, in arrival order.
    public var requestedModels: [String] { requests.map { $0["model"]?.stringValue ?? "" } }

    /// Starts serving on 127.0.0.1 (any free port) and returns once it accepts connections.
    public static func start(
        perModel: [String: [ChatFault]] = [:], shared: [ChatFault] = [],
        fallback: ChatFault = .status(500, "nothing scripted for this request"), logger: Logger? = nil
    ) async throws -> FaultyChatServer {
        let holder = ServerHolder()
        let router = Router()
        let chat: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 32 << 20)
            let json = (try? JSONParser.parse(utf8: body.readableBytesView)) ?? .null
            guard let server = holder.server.withLock({ $0 }) else {
                return faultReply(.serviceUnavailable, .object([]))
            }
            let fault = server.next(for: json)
            switch fault {
            case .content(let text):
                return faultReply(.ok, completion(json, content: .string(text)))
            case .nullContent:
                return faultReply(.ok, completion(json, content: .null))
            case .status(let code, let message):
                return faultReply(
                    HTTPResponse.Status(code: code),
                    .object([("error", .object([("message", .string(message)), ("type", "scripted_fault")]))]))
            case .rawBody(let text):
                return Response(
                    status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: text)))
            case .hang(let duration):
                try? await Task.sleep(for: duration)
                return faultReply(.gatewayTimeout, .object([("error", .object([("message", "scripted hang")]))]))
            }
        }
        router.post("/v1/chat/completions", use: chat)
        router.post("/chat/completions", use: chat)

        var quiet = logger ?? Logger(label: "shoparena.llm-faulty-stub")
        if logger == nil { quiet.logLevel = .warning }
        let (ready, continuation) = AsyncStream<Int?>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "shoparena-faulty-stub"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port) }, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var bound: Int?
        for await p in ready {
            bound = p
            break
        }
        guard let bound else {
            task.cancel()
            throw ScriptedChatServerError.cannotListen("127.0.0.1", 0, "the server stopped before listening")
        }
        let server = FaultyChatServer(
            perModel: perModel, shared: shared, fallback: fallback, baseURL: "http://127.0.0.1:\(bound)/v1")
        server.task.withLock { $0 = task }
        server.group.withLock { $0 = group }
        holder.server.withLock { $0 = server }
        return server
    }

    /// Stops the server (waits for in-flight requests, including hangs).
    public func shutdown() async {
        let task = self.task.withLock { t in
            defer { t = nil }
            return t
        }
        let group = self.group.withLock { $0 }
        await group?.triggerGracefulShutdown()
        _ = await task?.result
    }

    private func next(for request: JSONValue) -> ChatFault {
        let model = request["model"]?.stringValue ?? ""
        return state.withLock { s in
            s.requests.append(request)
            if var queue = s.perModel[model], !queue.isEmpty {
                let f = queue.removeFirst()
                s.perModel[model] = queue
                return f
            }
            if !s.shared.isEmpty { return s.shared.removeFirst() }
            return fallback
        }
    }
}

private func completion(_ request: JSONValue, content: JSONValue) -> JSONValue {
    let words = content.stringValue.map { $0.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).count } ?? 0
    return .object([
        ("id", "chatcmpl-faulty"), ("object", "chat.completion"), ("created", .int(0)),
        ("model", request["model"] ?? "unknown"),
        (
            "choices",
            .array([
                .object([
                    ("index", .int(0)), ("message", .object([("role", "assistant"), ("content", content)])),
                    ("finish_reason", "stop"),
                ])
            ])
        ),
        ("usage", .object([("prompt_tokens", .int(0)), ("completion_tokens", .int(Int64(words))), ("total_tokens", .int(Int64(words)))])),
    ])
}

private func faultReply(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
    Response(
        status: status, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: JSONWriter().string(value))))
}

/// Lets the route reach the server object created after the router.
private final class ServerHolder: Sendable {
    let server = Mutex<FaultyChatServer?>(nil)
}
