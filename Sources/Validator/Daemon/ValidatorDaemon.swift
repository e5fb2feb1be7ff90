import ArenaClient
import ArenaModel
import AsyncHTTPClient
import Foundation
import Identity
import Logging
import Proxy
import ServiceLifecycle

/// The validator's claim loop (reference/oro-validator.md §7, with its weak points fixed):
///
/// - claim → evaluate → complete, one run at a time; `pollInterval` sleep when there is no work;
/// - exponential back-off with jitter (5 s doubling to 300 s) on transient errors and AT_CAPACITY;
/// - 300 s sleep when banned;
/// - the HTTP client recreated after 3 consecutive connection failures;
/// - several backend replicas (`Settings.backendURLs`): a call that gets no answer or a 5xx fails over to the
///   next replica, which stays in use while it works — a run claimed through one replica finishes through another;
/// - the persistent retry queue drained after every cycle;
/// - the model allowlist refreshed from the backend when due (`BackendModelAllowlist`);
/// - on shutdown (SIGTERM through ServiceLifecycle) a run in progress is given back with an explicit FAILED
///   reason so another validator takes it at once instead of waiting for the lease to lapse.
public final class ValidatorDaemon: ServiceLifecycle.Service, Sendable {
    /// How the loop talks to the backend and paces itself.
    public struct Settings: Sendable {
        /// The backend replicas, in preference order (one arena, one database).
        public var backendURLs: [String]
        /// The first replica.
        public var backendURL: String { backendURLs.first ?? "" }
        /// Seconds to sleep when there is no work (reference: 30).
        public var pollInterval: Double = 30
        /// Seconds to sleep when the backend says this validator is banned (reference: 300).
        public var bannedSleep: Double = 300
        /// Back-off on transient errors and AT_CAPACITY.
        public var backoff = Backoff()
        /// Stop after this many runs (nil: forever). Used by tests and `--once`.
        public var maxRuns: Int?

        /// Settings for a single backend.
        public init(backendURL: String) { backendURLs = [backendURL] }

        /// Settings for several replicas of one arena, in preference order.
        public init(backendURLs: [String]) { self.backendURLs = backendURLs }
    }

    /// Backends, pacing and run limit.
    public let settings: Settings
    /// Signs every call with the validator's hotkey.
    public let signer: RequestSigner
    /// Sandbox, index, scorer and judge runs are evaluated with.
    public let environment: EvaluationEnvironment
    /// The Prometheus metrics of this daemon.
    public let metrics: ValidatorMetrics
    /// Completes that failed transiently, retried after every cycle.
    public let retryQueue: RetryQueue
    /// Where the loop logs.
    public let logger: Logger
    /// The replicas and the one in use, kept across cycles so failover is sticky.
    public let endpoints: BackendEndpoints

    /// A daemon ready to `run()` (as a service) or `loop()` (directly, in tests).
    public init(settings: Settings, signer: RequestSigner, environment: EvaluationEnvironment,
                metrics: ValidatorMetrics = ValidatorMetrics(), retryQueue: RetryQueue, logger: Logger) {
        self.settings = settings
        self.signer = signer
        self.environment = environment
        self.metrics = metrics
        self.retryQueue = retryQueue
        self.logger = logger
        endpoints = BackendEndpoints(settings.backendURLs)
    }

    /// Runs the claim loop until graceful shutdown (a run in progress is given back with a FAILED reason).
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await self.loop()
        }
    }

    /// The loop itself; returns when cancelled or after `maxRuns` runs.
    public func loop() async {
        var http = HTTPClient(eventLoopGroupProvider: .singleton)
        await cycle(http: &http)
        try? await http.shutdown()
    }

    private func cycle(http: inout HTTPClient) async {
        var connectionFailures = 0
        var backoff = settings.backoff
        var runs = 0
        while !Task.isCancelled {
            let client = BackendClient(endpoints: endpoints, signer: signer, http: http)
            await retryQueue.drain(using: client)
            _ = await environment.modelAllowlist?.allowedModels()  // refreshes the backend's list in the background when due
            var delay: Double = 0
            do {
                if let run = try await client.claim(serviceVersions: environment.serviceVersions) {
                    metrics.claim("success")
                    connectionFailures = 0
                    backoff.reset()
                    metrics.setActiveRuns(1)
                    logger.info("claimed run \(run.evalRunID) of agent version \(run.agentVersionID)")
                    FaultInjection.current.reached(.afterClaim)
                    let report = await evaluateGivingBackOnShutdown(run, client: client)
                    metrics.setActiveRuns(0)
                    logger.info("run \(run.evalRunID): \(report)")
                    runs += 1
                    if let maxRuns = settings.maxRuns, runs >= maxRuns { return }
                } else {
                    metrics.claim("empty")
                    connectionFailures = 0
                    backoff.reset()
                    delay = settings.pollInterval
                }
            } catch {
                if Task.isCancelled { return }  // shutting down: the failed claim is ours, not the backend's
                if error.isBanned {
                    metrics.claim("error")
                    logger.error("this validator is banned: \(error); sleeping \(Int(settings.bannedSleep)) s")
                    delay = settings.bannedSleep
                } else if case .http(409, "AT_CAPACITY", _) = error {
                    metrics.claim("at_capacity")
                    delay = backoff.next()
                } else {
                    metrics.claim("error")
                    delay = backoff.next()
                    logger.warning("claim failed: \(error); retrying in \(Int(delay)) s")
                }
                if error.isConnectionFailure {
                    connectionFailures += 1
                    if connectionFailures >= 3 {
                        logger.warning("3 connection failures in a row: recreating the HTTP client")
                        try? await http.shutdown()
                        http = HTTPClient(eventLoopGroupProvider: .singleton)
                        connectionFailures = 0
                    }
                } else {
                    connectionFailures = 0
                }
            }
            if delay > 0 {
                do { try await Task.sleep(for: .milliseconds(Int64(delay * 1000))) } catch { return }
            }
        }
    }

    private func evaluateGivingBackOnShutdown(_ run: ClaimedRun, client: BackendClient) async -> RunReport {
        let evaluator = RunEvaluator(client: client, environment: environment, metrics: metrics, retryQueue: retryQueue,
                                     logger: logger)
        let report = await evaluator.evaluate(run)
        if Task.isCancelled, case .completed = report {
            return report
        }
        if Task.isCancelled {
            // Shutting down mid-run: hand the work back explicitly (not a silent lease lapse).
            _ = try? await client.complete(run: run.evalRunID, body: .object([
                ("terminal_status", "FAILED"), ("failure_reason", .string(RunFailureReasons.validatorShutDown)),
            ]))
        }
        return report
    }
}
