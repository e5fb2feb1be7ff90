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
    /// The longest one sweep may run before the loop gives up on it (see ``SingletonLoop``).
    public let tickTimeoutSeconds: Double

    public init(services: BackendServices, intervalSeconds: Double = 30, logger: Logger = Logger(label: "shoparena.corpus"),
                tickTimeoutSeconds: Double = 600) {
        ingest = CorpusIngest(services: services)
        database = services.database
        self.intervalSeconds = intervalSeconds
        self.logger = logger
        self.tickTimeoutSeconds = tickTimeoutSeconds
    }

    /// Sweeps every ``intervalSeconds`` until cancelled or gracefully shut down; a failing sweep is logged, and a
    /// sweep that hangs (a killed connection mid-commit) is given up after ``tickTimeoutSeconds``.
    public func run() async throws {
        let ingest = self.ingest, logger = self.logger, database = self.database
        let loop = SingletonLoop(name: "corpus ingest sweep", interval: .milliseconds(Int64(max(intervalSeconds, 0.05) * 1000)),
                                 tickTimeout: .milliseconds(Int64(tickTimeoutSeconds * 1000)), logger: logger)
        await loop.run {
            let runs = try await ClusterLock(database: database, job: .corpusSweep).runIfFree {
                try await ingest.ingestPending(logger: logger)
            } ?? 0
            if runs > 0 { logger.info("corpus ingest sweep: \(runs) run(s) ingested") }
        }
    }
}
