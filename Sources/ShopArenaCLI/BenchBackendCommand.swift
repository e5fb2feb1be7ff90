import ArenaRuntime
import ArgumentParser
import AsyncHTTPClient
import Backend
import Foundation
import Hummingbird
import Identity
import Logging
import ServiceLifecycle
import Store

/// `shoparena bench backend`: the real backend on 127.0.0.1 (real HTTP, signed requests) and N simulated
/// validators looping claim → heartbeat → progress → heartbeat → progress → complete; prints requests/s and
/// p50/p99 latency per endpoint as JSON.
struct BenchBackendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend",
        abstract: "Benchmark the validator API over HTTP with N simulated validators; prints JSON.",
        discussion: "--database sqlite (a temporary file) or a postgres://user@host:port/db URL of an EMPTY database "
            + "(tables are created; older open work items would be claimed first and their problems differ). "
            + "Validators sign --presign header sets before the clock starts (separate machines in production). Build with -c release for real numbers.")

    @Option(name: .long, help: "Simulated validators (concurrent clients).") var validators: Int = 16
    @Option(name: .long, help: "Seconds of load.") var seconds: Double = 10
    @Option(name: .long, help: "sqlite, or a PostgreSQL URL.") var database: String = "sqlite"
    @Option(name: .long, help: "Problems per run (progress reports one per call, cycling).") var problems: Int = 30
    @Option(name: .long, help: "Signed header sets each validator prepares before the clock starts (0: sign every request in the timed loop, in this process).")
    var presign: Int = 2_000

    func run() async throws {
        guard validators > 0, seconds > 0, problems > 0 else { throw ValidationError("--validators, --seconds, --problems must be positive") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-bench-backend-\(UUID().uuidString)")
        guard database == "sqlite" || ArenaStore.isPostgres(database) else {
            throw ValidationError("--database must be sqlite or a postgres:// URL")
        }
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
        print(report.json(database: database == "sqlite" ? "sqlite" : "postgres", validators: validators, seconds: seconds,
                          build: BenchIdentityCommand.buildKind))
    }
}
