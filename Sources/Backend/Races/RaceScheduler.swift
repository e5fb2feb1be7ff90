import Logging
import ServiceLifecycle
import Store

/// Runs `RaceEngine.tick` every `interval` seconds inside the server's service group, so qualifying closes,
/// races start and finish on time without any request arriving.
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

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let changed = try await engine.tick(now: clock.nowMillis())
                    if !changed.isEmpty { logger.info("races advanced: \(changed.joined(separator: ", "))") }
                } catch {
                    logger.error("race tick failed: \(error)")
                }
                try await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            }
        }
    }
}
