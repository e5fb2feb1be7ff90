import AsyncHTTPClient
import Backend
import Foundation
import Hummingbird
import Identity
import Logging
import ServiceLifecycle
import Store

/// `shoparena bench backend`: the validator API over HTTP under `validators` simulated validators (claim, heartbeat,
/// progress, complete) for `seconds`, on SQLite (a temporary file) or an empty PostgreSQL database; p50/p99 latency
/// per endpoint.
public struct BenchBackend: Sendable {
    public var validators = 16
    public var seconds = 10.0
    /// `sqlite`, or a PostgreSQL URL.
    public var database = "sqlite"
    /// Problems per run.
    public var problems = 30
    /// Signed header sets each validator prepares before the clock starts (0: sign in the timed loop).
    public var presign = 2_000

    public init(validators: Int = 16, seconds: Double = 10.0, database: String = "sqlite", problems: Int = 30,
                presign: Int = 2_000) {
        self.validators = validators
        self.seconds = seconds
        self.database = database
        self.problems = problems
        self.presign = presign
    }

    /// Seeds a fresh store, serves the backend on a free port, runs the load and returns the report (JSON text).
    public func run() async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-bench-backend-\(UUID().uuidString)")
        let opened = try await ArenaStore.open(database: database == "sqlite" ? nil : database, dataDir: folder.path,
                                               maxConnections: max(10, validators + 4))
        let store = opened.database
        var settings = BackendSettings()
        settings.leaseSeconds = 300
        let services = BackendServices(database: store, blobs: opened.blobs, settings: settings)
        let signers = (0..<validators).map { _ in RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random())) }
        let seed = try await BenchBackendSeed.seed(services: services, validators: signers.map(\.hotkey), problems: problems,
                                                   items: max(200, Int(seconds * 400)))

        var logger = Logger(label: "shoparena.bench.backend")
        logger.logLevel = .error
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = BackendApplication.make(services: services, host: "127.0.0.1", port: 0, logger: logger) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app, LeaseReaper(services: services, logger: logger)], logger: logger))
        let report: BenchBackendLoad.Report = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: validators)
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let load = BenchBackendLoad(client: client, base: "http://127.0.0.1:\(port)", problemIDs: seed.problemIDs)
            let report = try await load.run(signers: signers, seconds: seconds, presigned: presign)
            try await client.shutdown()
            await group.triggerGracefulShutdown()
            return report
        }
        await store.close()
        try? FileManager.default.removeItem(at: folder)
        return report.json(database: database == "sqlite" ? "sqlite" : "postgres", validators: validators, seconds: seconds,
                           build: BenchIdentity.buildKind)
    }
}
