import Logging
import ServiceLifecycle
import Store

/// Ingests every completed run that has no corpus records yet, at start and then every `intervalSeconds`: the
/// safety net behind the ingest that follows each `complete` (a backend that stopped mid-ingest, a blob that was not
/// readable yet). A swift-service-lifecycle `Service` for the server's `ServiceGroup`. Each sweep runs under
/// `ClusterLock` (`.corpusSweep`), so replicas over one PostgreSQL do not sweep the same runs at once.
public struct CorpusIngestService: Service {
    public let ingest: CorpusIngest
    public let database: any SQLDatabase
    public let intervalSeconds: Double
    public let logger: Logger

    public init(services: BackendServices, intervalSeconds: Double = 30, logger: Logger = Logger(label: "shoparena.corpus")) {
        ingest = CorpusIngest(services: services)
        database = services.database
        self.intervalSeconds = intervalSeconds
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let ingest = self.ingest, logger = self.logger
                let runs = try await ClusterLock(database: database, job: .corpusSweep).runIfFree {
                    try await ingest.ingestPending(logger: logger)
                } ?? 0
                if runs > 0 { logger.info("corpus ingest sweep: \(runs) run(s) ingested") }
            } catch {
                logger.error("corpus ingest sweep failed: \(error)")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(max(intervalSeconds, 0.05))) }
            } catch {
                return
            }
        }
    }
}
