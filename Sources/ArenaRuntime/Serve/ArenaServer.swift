import Backend
import Foundation
import Logging
import ServiceLifecycle
import Store
import UnixSignals
import Web

/// `shoparena serve`: the arena backend as one service group — the HTTP API and web pages, the lease reaper, the race
/// scheduler and the corpus sweep — over an opened store, until SIGTERM/SIGINT (graceful: requests in flight finish).
public struct ArenaServer: Sendable {
    public var host: String
    public var port: Int
    public var settings: BackendSettings
    public var store: ArenaStore

    public init(host: String, port: Int, settings: BackendSettings, store: ArenaStore) {
        self.host = host
        self.port = port
        self.settings = settings
        self.store = store
    }

    /// Serves until a shutdown signal; closes the database in every case. `onListening` gets the bound port.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "shoparena.serve")
        logger.logLevel = .info
        // Every submission starts the analyzer: ask a shim (pyenv's python3) once for the interpreter it runs.
        var settings = self.settings
        let interpreter = await AnalyzerInterpreter.resolve(settings.pythonExecutable)
        if interpreter != settings.pythonExecutable {
            logger.info("submission analyzer: \(settings.pythonExecutable) is a script; running \(interpreter) directly")
            settings.pythonExecutable = interpreter
        }
        let services = BackendServices(database: store.database, blobs: store.blobs, settings: settings)
        do {
            let website = try ArenaWebsite(
                services: services, corpus: StoredCorpusFigures(repository: TrajectoryRepository(database: services.database)),
                logger: logger)
            let app = BackendApplication.make(services: services, host: host, port: port, logger: logger,
                                              onServerRunning: onListening, extend: { website.mount(on: $0) })
            // The lease reaper frees lapsed runs; the race scheduler closes qualifying and finishes races on time.
            let races = RaceScheduler(engine: RaceEngine(database: store.database, settings: .init(backend: settings)),
                                      clock: services.clock, logger: logger)
            // The corpus sweep ingests any completed run whose trajectories are missing (e.g. after a restart).
            let group = ServiceGroup(services: [app, LeaseReaper(services: services, logger: logger), races,
                                                CorpusIngestService(services: services, logger: logger)],
                                     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        } catch {
            await store.database.close()
            throw error
        }
        await store.database.close()
    }
}
