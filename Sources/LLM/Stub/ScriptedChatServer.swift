import ArenaModel
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An OpenAI-compatible chat server that answers from a ``ChatScript`` — for tests and for miners who
/// want deterministic runs (`shoparena llm stub --script FILE.jsonl`).
///
/// Routes: `POST /v1/chat/completions` and `POST /chat/completions` (a `chat.completion` with `usage`
/// counted as whitespace words), `GET /v1/models` and `GET /models`. A request the script has no answer
/// for gets **500** with `{"error": {"type": "unscripted_request", "message": …}}`; a body that is not a
/// JSON object with `messages` gets 400. `latency` delays every chat answer (load benches at a provider's speed).
public final class ScriptedChatServer: Sendable {
    /// Where it listens, e.g. `http://127.0.0.1:50123/v1` (the base URL to give a client or the proxy).
    public let baseURL: String
    public let port: Int
    public let player: ChatScriptPlayer
    private let task: Mutex<Task<Void, any Error>?>
    private let group: ServiceGroup
    private let counter: Counter

    private init(baseURL: String, port: Int, player: ChatScriptPlayer, counter: Counter, group: ServiceGroup) {
        self.baseURL = baseURL
        self.port = port
        self.player = player
        self.counter = counter
        self.group = group
        task = Mutex(nil)
    }

    /// How many chat completions were answered from the script.
    public var answered: Int { counter.value }

    /// Starts serving on `host:port` (port 0: any free port) and returns once it accepts connections.
    public static func start(
        script: ChatScript, host: String = "127.0.0.1", port: Int = 0, models: [String] = ["shoparena-stub"],
        latency: Duration = .zero, logger: Logger? = nil
    ) async throws -> ScriptedChatServer {
        let player = ChatScriptPlayer(script: script)
        let counter = Counter()
        let router = Router()
        let chat: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 32 << 20)
            // A real provider's think time (bench e2e --llm-latency-ms); requests wait concurrently.
            if latency > .zero { try await Task.sleep(for: latency) }
            guard let json = try? JSONParser.parse(utf8: body.readableBytesView), case .object = json,
                let last = ChatCompletionShape.lastUserMessage(json)
            else {
                return reply(
                    .badRequest,
                    ChatCompletionShape.error("expected a JSON object with a messages array", type: "invalid_request_error"))
            }
            guard let message = player.answer(lastUserMessage: last) else {
                let excerpt = last.count > 200 ? String(last.prefix(200)) + "…" : last
                return reply(
                    .internalServerError,
                    ChatCompletionShape.error(
                        "the stub script has no answer for this request (every line is used or none matches the last "
                            + "user message: \(excerpt.debugDescription))", type: "unscripted_request"))
            }
            let n = counter.next()
            return reply(.ok, ChatCompletionShape.completion(request: json, message: message, sequence: n))
        }
        router.post("/v1/chat/completions", use: chat)
        router.post("/chat/completions", use: chat)
        let list: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            reply(
                .ok,
                .object([
                    ("object", "list"),
                    ("data", .array(models.map { .object([("id", .string($0)), ("object", "model"), ("owned_by", "shoparena")]) })),
                ]))
        }
        router.get("/v1/models", use: list)
        router.get("/models", use: list)

        var quiet = logger ?? Logger(label: "shoparena.llm-stub")
        if logger == nil { quiet.logLevel = .warning }
        let (ready, continuation) = AsyncStream<Int?>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "shoparena-llm-stub"),
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
            let error = await task.result
            if case .failure(let e) = error { throw ScriptedChatServerError.cannotListen(host, port, "\(e)") }
            throw ScriptedChatServerError.cannotListen(host, port, "the server stopped before listening")
        }
        let server = ScriptedChatServer(
            baseURL: "http://\(host):\(bound)/v1", port: bound, player: player, counter: counter, group: group)
        server.task.withLock { $0 = task }
        return server
    }

    /// Runs until the server stops (for the CLI).
    public func waitUntilStopped() async throws {
        let task = self.task.withLock { $0 }
        try await task?.value
    }

    /// Stops the server gracefully (in-flight requests finish).
    public func shutdown() async {
        let task = self.task.withLock { t in
            defer { t = nil }
            return t
        }
        await group.triggerGracefulShutdown()
        _ = await task?.result
    }
}

/// Why the stub could not start.
public enum ScriptedChatServerError: Error, Sendable, CustomStringConvertible {
    case cannotListen(String, Int, String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let why): return "the LLM stub could not listen on \(host):\(port): \(why)"
        }
    }
}

/// Numbers the completions served.
private final class Counter: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    func next() -> Int {
        count.withLock { v in
            v += 1
            return v
        }
    }
}

private func reply(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
    Response(
        status: status, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: JSONWriter().string(value))))
}
