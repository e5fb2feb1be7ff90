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
    /// The longest one tick may run before the loop gives up on it (see ``SingletonLoop``).
    public let tickTimeoutSeconds: Double

    public init(engine: RaceEngine, clock: any ArenaClock, interval: Double = 30, logger: Logger, tickTimeoutSeconds: Double = 120) {
        self.engine = engine
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.tickTimeoutSeconds = tickTimeoutSeconds
    }

    /// One tick under the cluster lock: the races whose status changed, or nil when another replica's tick
    /// holds the lock.
    public func tickIfFree(now: Int64) async throws -> [String]? {
        let engine = self.engine
        return try await ClusterLock(database: engine.database, job: .raceScheduler).runIfFree {
            try await engine.tick(now: now)
        }
    }

    /// Ticks every ``interval`` until cancelled or gracefully shut down; a failing tick is logged, and a tick that
    /// hangs (a killed connection mid-commit) is given up after ``tickTimeoutSeconds``.
    public func run() async throws {
        let loop = SingletonLoop(name: "race tick", interval: .milliseconds(Int64(interval * 1000)),
                                 tickTimeout: .milliseconds(Int64(tickTimeoutSeconds * 1000)), logger: logger)
        await loop.run { [self] in
            let changed = try await tickIfFree(now: clock.nowMillis()) ?? []
            if !changed.isEmpty { logger.info("races advanced: \(changed.joined(separator: ", "))") }
        }
    }
}
