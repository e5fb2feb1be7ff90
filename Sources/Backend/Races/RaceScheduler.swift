import Logging
import ServiceLifecycle
import Store

/// Runs `RaceEngine.tick` every `interval` seconds inside the server's service group, so qualifying closes,
/// races start and finish on time without any request arriving.
///
/// Every tick runs under `ClusterLock` (`.raceScheduler`), so with several replicas over one PostgreSQL one
/// replica advances the races per tick and two never open the same day's race twice.
public struct RaceScheduler: Service {
    public let engine: RaceEngine
    public let clock: any ArenaClock
    public let interval: Double
    public let logger: Logger

    public init(engine: RaceEngine, clock: any ArenaClock, interval: Double = 30, logger: Logger) {
        self.engine = engine
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    /// One tick under the cluster lock: the races whose status changed, or nil when another replica's tick
    /// holds the lock.
    public func tickIfFree(now: Int64) async throws -> [String]? {
        let engine = self.engine
        return try await ClusterLock(database: engine.database, job: .raceScheduler).runIfFree {
            try await engine.tick(now: now)
        }
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let changed = try await tickIfFree(now: clock.nowMillis()) ?? []
                    if !changed.isEmpty { logger.info("races advanced: \(changed.joined(separator: ", "))") }
                } catch {
                    logger.error("race tick failed: \(error)")
                }
                try await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            }
        }
    }
}
