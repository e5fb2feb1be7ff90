import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Marks evaluation runs whose lease lapsed STALE every `reaperIntervalSeconds`, so their work items can be
/// claimed again. A swift-service-lifecycle `Service`: run it in the server's `ServiceGroup`; it stops on
/// graceful shutdown. (Claims do not wait for it: a lapsed lease stops counting as active at once.)
///
/// With several replicas over one PostgreSQL, each pass runs under `ClusterLock` (`.leaseReaper`): a replica
/// whose tick finds another replica's pass in progress skips it, so one replica acts per tick.
public final class LeaseReaper: Service, Sendable {
    public let services: BackendServices
    public let logger: Logger
    private let counters = Mutex<(reapedTotal: Int, passes: Int, lastPassAt: Int64?, skipped: Int)>((0, 0, nil, 0))

    /// The longest one pass may run before the loop gives up on it (see ``SingletonLoop``).
    public let tickTimeoutSeconds: Double

    public init(services: BackendServices, logger: Logger = Logger(label: "shoparena.reaper"), tickTimeoutSeconds: Double = 120) {
        self.services = services
        self.logger = logger
        self.tickTimeoutSeconds = tickTimeoutSeconds
    }

    /// Runs until cancelled or gracefully shut down; a failing pass is logged and retried on the next tick, and a
    /// pass that hangs (a killed connection mid-commit) is given up after ``tickTimeoutSeconds``.
    public func run() async throws {
        let interval = max(services.settings.reaperIntervalSeconds, 0.05)
        let loop = SingletonLoop(name: "lease reaper pass", interval: .milliseconds(Int64(interval * 1000)),
                                 tickTimeout: .milliseconds(Int64(tickTimeoutSeconds * 1000)), logger: logger)
        await loop.run { [self] in try await reapIfFree(now: services.now()) }
    }

    /// One pass under the cluster lock: the number of runs marked STALE, or nil when another replica's pass
    /// holds the lock (this replica then does nothing this tick).
    @discardableResult
    public func reapIfFree(now: Int64) async throws -> Int? {
        let reaped = try await ClusterLock(database: services.database, job: .leaseReaper).runIfFree {
            try await self.reapOnce(now: now)
        }
        if reaped == nil { counters.withLock { $0.skipped += 1 } }
        return reaped
    }

    /// One pass: marks every run whose lease lapsed before `now` STALE and returns how many.
    @discardableResult
    public func reapOnce(now: Int64) async throws -> Int {
        let reaped = try await services.workQueue.reapLapsed(now: now)
        counters.withLock { $0.reapedTotal += reaped; $0.passes += 1; $0.lastPassAt = now }
        if reaped > 0 { logger.info("lease reaper marked \(reaped) run(s) STALE") }
        return reaped
    }

    /// Ticks skipped because another replica's pass held the cluster lock.
    public var skippedPasses: Int { counters.withLock { $0.skipped } }

    /// Totals for `/v1/admin/reaper/stats`.
    public var stats: (reapedTotal: Int, passes: Int, lastPassAt: Int64?, intervalSeconds: Double) {
        let c = counters.withLock { $0 }
        return (c.reapedTotal, c.passes, c.lastPassAt, services.settings.reaperIntervalSeconds)
    }
}
