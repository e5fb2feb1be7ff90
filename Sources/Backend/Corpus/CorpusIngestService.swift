import Logging
import ServiceLifecycle

/// Ingests every completed run that has no corpus records yet, at start and then every `intervalSeconds`: the
/// safety net behind the ingest that follows each `complete` (a backend that stopped mid-ingest, a blob that was not
/// readable yet). A swift-service-lifecycle `Service` for the server's `ServiceGroup`.
public struct CorpusIngestService: Service {
    public let ingest: CorpusIngest
    public let intervalSeconds: Double
    public let logger: Logger

    public init(services: BackendServices, intervalSeconds: Double = 30, logger: Logger = Logger(label: "shoparena.corpus")) {
        ingest = CorpusIngest(services: services)
        self.intervalSeconds = intervalSeconds
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let runs = try await ingest.ingestPending(logger: logger)
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
