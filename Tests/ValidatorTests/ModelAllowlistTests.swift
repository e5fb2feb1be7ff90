import ArenaModel
import AsyncHTTPClient
import Backend
import Foundation
import LLM
import ArenaRuntime
import Logging
import NIOCore
import NIOHTTP1
import Proxy
import Search
import ServiceLifecycle
import Store
import TestSupport
import Testing
import Validator
import ShopArenaTesting

/// Issue 13 §3: a validator's proxies use the model allowlist of its backend (`GET /v1/public/inference/models`,
/// what `serve --inference-models` sets), cached, and keep the last list when the backend goes away; the
/// defaults admit ORO's default model.
@Suite("Model allowlist from the backend", .serialized)
struct ModelAllowlistTests {
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    @Test func theProxyAdmitsWhatTheBackendListsRefusesTheRestAndKeepsTheListWhenTheBackendGoesAway() async throws {
        let backend = try await MiniBackend.start(models: ["backend/model-a", "deepseek-ai/DeepSeek-V3.2-TEE"])
        let upstream = try await FaultyChatServer.start(fallback: .content("hello"))
        let allowlist = BackendModelAllowlist(backendURL: backend.baseURL, fallback: ["fallback/model"],
                                              settings: .init(refreshInterval: 900, retryInterval: 0), logger: Self.logger)
        #expect(await allowlist.snapshot().origin == .fallback)
        #expect(await allowlist.refresh())
        #expect(await allowlist.snapshot().models == ["backend/model-a", "deepseek-ai/DeepSeek-V3.2-TEE"])
        #expect(await allowlist.snapshot().origin == .backend)

        let socket = "/tmp/mal-\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).sock"
        let proxy = try await ProblemProxy.start(
            socketPath: socket, engine: NoProducts(),
            configuration: ProxyConfiguration(allowedModels: ["ignored/when-a-live-list-is-set"], upstreamBaseURL: upstream.baseURL,
                                              apiKey: "miner-key", allowlist: allowlist))
        #expect(try await Self.chat(socket, model: "backend/model-a").status == 200)
        #expect(try await Self.chat(socket, model: "deepseek-ai/DeepSeek-V3.2-TEE").status == 200)
        let refused = try await Self.chat(socket, model: "fallback/model")
        #expect(refused.status == 403)
        #expect(refused.json["error"]?.stringValue == "Model 'fallback/model' is not allowed")
        #expect(refused.json["allowed_models"] == .array([.string("backend/model-a"), .string("deepseek-ai/DeepSeek-V3.2-TEE")]))
        #expect(try await Self.chat(socket, model: "ignored/when-a-live-list-is-set").status == 403)

        // The backend goes away: refreshing fails, the last list is served.
        await backend.stop()
        #expect(await allowlist.refresh() == false)
        #expect(await allowlist.snapshot().models == ["backend/model-a", "deepseek-ai/DeepSeek-V3.2-TEE"])
        #expect(try await Self.chat(socket, model: "backend/model-a").status == 200)
        #expect(try await Self.chat(socket, model: "other/model").status == 403)
        #expect(upstream.requestedModels == ["backend/model-a", "deepseek-ai/DeepSeek-V3.2-TEE", "backend/model-a"])
        _ = await proxy.close()
        await upstream.shutdown()
    }

    @Test func aChangedListReachesTheValidatorAtTheNextRefresh() async throws {
        let first = try await MiniBackend.start(models: ["first/model"])
        let allowlist = BackendModelAllowlist(backendURL: first.baseURL, fallback: nil,
                                              settings: .init(refreshInterval: 0, retryInterval: 0), logger: Self.logger)
        // No list yet and no fallback: the first request waits for the backend's answer.
        #expect(await allowlist.allowedModels() == ["first/model"])
        // The operator restarts the backend with another --inference-models.
        await first.stop()
        let second = try await MiniBackend.start(models: ["second/model"], port: first.port)
        // Due at once (interval 0): the request that notices starts a refresh; a later one sees its result.
        let seen = try await ValidatorHarness.waitUntil(seconds: 30) { await allowlist.allowedModels() == ["second/model"] }
        #expect(seen)
        await second.stop()
    }

    @Test func withNoListAtAllInferenceFailsClosedAndTheFallbackIsServedUntilTheBackendAnswers() async throws {
        let dead = "http://127.0.0.1:\(LocalArena.freePort())"
        let closed = BackendModelAllowlist(backendURL: dead, fallback: nil, settings: .init(retryInterval: 600), logger: Self.logger)
        #expect(await closed.allowedModels() == nil)
        let socket = "/tmp/mal-\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).sock"
        let proxy = try await ProblemProxy.start(socketPath: socket, engine: NoProducts(),
                                                 configuration: ProxyConfiguration(allowlist: closed))
        let reply = try await Self.chat(socket, model: "any/model")
        #expect(reply.status == 503)
        #expect(reply.json["error"]?.stringValue == "Inference allowlist unavailable")
        _ = await proxy.close()

        let defaults = BackendModelAllowlist(backendURL: dead, fallback: InferenceModels.defaults, logger: Self.logger)
        #expect(await defaults.refresh() == false)
        #expect(await defaults.allowedModels() == InferenceModels.defaults)
        #expect(await defaults.snapshot().origin == .fallback)
    }

    @Test func theDefaultListsAdmitTheDefaultModelOfOROsAgentAndOfTheReActExample() throws {
        let source = try String(contentsOf: SharedData.repositoryRoot().appendingPathComponent("examples/agents/react_agent.py"),
                                encoding: .utf8)
        let line = try #require(source.split(separator: "\n").first { $0.hasPrefix("DEFAULT_MODEL = ") })
        let model = line.dropFirst("DEFAULT_MODEL = ".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        #expect(model == "deepseek-ai/DeepSeek-V3.2-TEE")
        #expect(InferenceModels.defaults.contains(model))
        #expect(BackendSettings().inferenceModels.contains(model))
    }

    // MARK: Helpers

    struct Reply {
        var status: Int
        var json: JSONValue
    }

    /// A chat completion request to the proxy over its Unix socket.
    static func chat(_ socket: String, model: String) async throws -> Reply {
        let host = socket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? socket
        var request = HTTPClientRequest(url: "http+unix://\(host)/inference/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"model":"\#(model)","messages":[{"role":"user","content":"hi"}]}"#))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), json: (try? JSONParser.parse(utf8: body.readableBytesView)) ?? .null)
    }
}

/// A search engine with no products (the allowlist tests only call inference).
struct NoProducts: ProductSearching {
    var documentCount: Int { 0 }
    func findProduct(_ request: FindProductRequest) -> [Product] { [] }
    func viewProductInformation(productIDs: String) -> [Product] { [] }
    func productsRaw(productIDs: String) -> [Product] { [] }
    func product(id: String) -> Product? { nil }
}

/// The real backend (SQLite, nothing seeded) on 127.0.0.1, serving `models` as its inference allowlist, as
/// `shoparena serve --inference-models` would.
final class MiniBackend: Sendable {
    let port: Int
    let baseURL: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        baseURL = "http://127.0.0.1:\(port)"
        self.group = group
        self.task = task
    }

    static func start(models: [String], port: Int = LocalArena.freePort()) async throws -> MiniBackend {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try SQLiteDatabase(path: directory.appendingPathComponent("arena.sqlite").path)
        try await Migrator().migrate(database, now: SystemClock().nowMillis())
        var settings = BackendSettings()
        settings.inferenceModels = models
        settings.publicBaseURL = "http://127.0.0.1:\(port)"
        let services = BackendServices(database: database, blobs: try FileBlobStore(root: directory.appendingPathComponent("blobs")),
                                       settings: settings)
        let app = BackendApplication.make(services: services, host: "127.0.0.1", port: port, logger: ModelAllowlistTests.logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: ModelAllowlistTests.logger))
        let backend = MiniBackend(port: port, group: group, task: Task { try await group.run() })
        for _ in 0..<300 {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: backend.baseURL + "/health"), timeout: .seconds(5)) {
                _ = try? await response.body.collect(upTo: 1 << 16)
                if response.status == .ok { return backend }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        await backend.stop()
        throw CancellationError()
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
