import ArenaModel
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import Sandbox
import Search
import SearchService
import ServiceLifecycle

/// The only door out of one problem's sandbox: an HTTP server on a Unix socket that serves
/// `/search/find_product` and `/search/view_product_information` from the search engine,
/// `/inference/chat/completions` through the model allowlist to the upstream, `/health`, and 403
/// `{"error": "forbidden"}` for everything else (`/search/get_product_raw` included). Every request,
/// refused ones too, becomes one ``ProxyCallRecord`` in the trusted log.
public final class ProblemProxy: SandboxProxySession, @unchecked Sendable {
    // `task` is set once in `start` before the instance is shared.
    public let socketPath: String
    public let log: ProxyCallLog
    private var task: Task<Void, any Error>?
    private var group: ServiceGroup?

    private init(socketPath: String, log: ProxyCallLog) {
        self.socketPath = socketPath
        self.log = log
    }

    /// Starts serving on `socketPath` (removed first if it exists) and returns once it accepts connections.
    public static func start(
        socketPath: String, engine: any ProductSearching, configuration: ProxyConfiguration,
        client: HTTPClient = .proxyUpstream, log: ProxyCallLog? = nil, logger: Logger? = nil
    ) async throws -> ProblemProxy {
        try? FileManager.default.removeItem(atPath: socketPath)
        let proxy = ProblemProxy(socketPath: socketPath, log: try log ?? ProxyCallLog())
        let router = Router()
        router.add(middleware: ProxyMiddleware(log: proxy.log, limiter: RateLimiter(rate: configuration.ratePerSecond, burst: configuration.burst)))
        SearchRoutes(engine: RecordingSearchEngine(base: engine), exposesRawProducts: false).register(
            on: router, prefix: "/search")
        let inference = InferenceRoute(configuration: configuration, upstream: configuration.makeUpstream(client: client))
        router.post("/inference/chat/completions") { request, _ in try await inference.handle(request) }
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "healthy\n")))
        }
        var quiet = logger ?? Logger(label: "shoparena.proxy")
        if logger == nil { quiet.logLevel = .warning }
        let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "shoparena-proxy"),
            onServerRunning: { _ in readyContinuation.yield() }, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
        proxy.group = group
        // The server and every connection it accepts (child tasks inherit the preference) run on the proxy's
        // own threads: a busy global pool must not hold up an agent's requests (see ProxyExecutor).
        proxy.task = onProxyThreads {
            defer { readyContinuation.finish() }
            try await group.run()
        }
        for await _ in ready { break }
        guard FileManager.default.fileExists(atPath: socketPath) else {
            proxy.task?.cancel()
            _ = try? await proxy.task?.value
            throw ProxyError.cannotListen(socketPath)
        }
        return proxy
    }

    /// Stops the server, removes the socket and returns the log.
    public func close() async -> [ProxyCallRecord] {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        try? FileManager.default.removeItem(atPath: socketPath)
        log.close()
        return log.all
    }
}

/// A task that runs `operation` on ``ProxyExecutor/shared`` (on the global executor where task executors are
/// unavailable, macOS before 15).
func onProxyThreads(_ operation: @escaping @Sendable () async throws -> Void) -> Task<Void, any Error> {
    if #available(macOS 15.0, *) {
        return Task(executorPreference: ProxyExecutor.shared, operation: operation)
    }
    return Task(operation: operation)
}

/// Why a proxy could not start.
public enum ProxyError: Error, Sendable, CustomStringConvertible {
    case cannotListen(String)

    public var description: String {
        switch self {
        case .cannotListen(let path): return "the proxy could not listen on \(path)"
        }
    }
}

/// Opens one ``ProblemProxy`` per problem for ``SandboxRunner/runBatch(agentFile:problems:limits:workers:proxy:onEnvelope:)``,
/// optionally writing each problem's log to `<logDirectory>/<problem id>.proxy.jsonl`.
public struct ProxyProvider: SandboxProxyProvider {
    public let engine: any ProductSearching
    public let configuration: ProxyConfiguration
    public let logDirectory: URL?
    public let client: HTTPClient

    public init(
        engine: any ProductSearching, configuration: ProxyConfiguration, logDirectory: URL? = nil,
        client: HTTPClient = .proxyUpstream
    ) {
        self.engine = engine
        self.configuration = configuration
        self.logDirectory = logDirectory
        self.client = client
    }

    /// The socket `open` creates in its directory; the sandbox mounts the directory before it exists.
    public var socketName: String { "proxy.sock" }

    /// Proxies start on their own threads, so a busy global pool does not delay the socket an agent waits for.
    @available(macOS 15.0, *)
    public var taskExecutor: (any TaskExecutor)? { ProxyExecutor.shared }

    public func open(problem: Problem, directory: URL) async throws -> any SandboxProxySession {
        var log: ProxyCallLog?
        if let logDirectory {
            try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
            let safe = String(problem.id.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
            log = try ProxyCallLog(file: logDirectory.appendingPathComponent("\(safe).proxy.jsonl"))
        }
        return try await ProblemProxy.start(
            socketPath: directory.appendingPathComponent(socketName).path, engine: engine,
            configuration: configuration, client: client, log: log)
    }
}
