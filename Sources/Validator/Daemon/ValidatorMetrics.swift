import CoreMetrics
import Foundation
import Prometheus

/// The validator's Prometheus metrics (names after the reference's `:9100` exporter), recorded through
/// swift-metrics into an injected `PrometheusCollectorRegistry` and rendered in the text exposition format by
/// `prometheusText()`.
///
/// Memory is bounded: every series is a counter, a gauge or a fixed-bucket histogram (count, sum and one counter
/// per bucket), so a daemon that runs for months holds the same few numbers as one that just started.
/// The registry is the caller's: tests pass their own; the executable may share one with other components.
public final class ValidatorMetrics: Sendable {
    /// Upper bounds (seconds) of the `validator_sandbox_duration_seconds` histogram buckets.
    public static let durationBuckets: [Double] = [1, 5, 30, 60, 120, 180, 300, 600, 1200, 1800, 3600]
    /// The `result` labels of `validator_claim_work_total`, exported from the start (at 0).
    public static let claimResults = ["success", "empty", "error", "at_capacity"]
    /// The `result` labels of `validator_heartbeat_total`, exported from the start (at 0).
    public static let heartbeatResults = ["success", "failure"]

    /// Where the series live; `prometheusText()` renders it.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let activeRuns: CoreMetrics.Gauge
    private let judgeCalls: CoreMetrics.Counter
    private let judgeFailures: CoreMetrics.Counter
    private let sandboxDuration: CoreMetrics.Recorder
    /// The recorder's handler, kept so tests can check it is swift-prometheus' fixed-bucket histogram.
    let sandboxDurationHandler: any RecorderHandler

    /// Metrics registered in `registry`; the fixed label sets start at 0.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets["validator_sandbox_duration_seconds"] = Self.durationBuckets
        self.factory = factory
        activeRuns = CoreMetrics.Gauge(label: "validator_active_runs", factory: factory)
        activeRuns.record(0)
        judgeCalls = CoreMetrics.Counter(label: "validator_judge_calls_total", factory: factory)
        judgeFailures = CoreMetrics.Counter(label: "validator_judge_failures_total", factory: factory)
        let name = "validator_sandbox_duration_seconds"
        sandboxDurationHandler = factory.makeRecorder(label: name, dimensions: [], aggregate: true)
        sandboxDuration = CoreMetrics.Recorder(label: name, dimensions: [], aggregate: true, handler: sandboxDurationHandler,
                                               factory: factory)
        // Fixed label sets appear at 0 before their first event, as the hand-written exporter showed them.
        for result in Self.claimResults { _ = claimCounter(result) }
        for result in Self.heartbeatResults { _ = heartbeatCounter(result) }
    }

    /// Sets `validator_active_runs`.
    public func setActiveRuns(_ n: Int) { activeRuns.record(n) }
    /// Counts one claim under `result` (one of `claimResults`).
    public func claim(_ result: String) { claimCounter(result).increment() }
    /// Counts one heartbeat under `result` (one of `heartbeatResults`).
    public func heartbeat(_ result: String) { heartbeatCounter(result).increment() }
    /// Adds a run's judge calls and failed judge calls.
    public func judge(calls: Int, failures: Int) {
        judgeCalls.increment(by: calls)
        judgeFailures.increment(by: failures)
    }
    /// One finished problem: counts it under its terminal `status` and records its sandbox time.
    public func problem(status: String, seconds: Double) {
        CoreMetrics.Counter(label: "validator_problems_total", dimensions: [("status", status)], factory: factory).increment()
        sandboxDuration.record(seconds)
    }

    /// The Prometheus text exposition of every series in the registry.
    ///
    /// Whole-number bucket bounds keep the spelling the hand-written exporter used (`le="30"`, not the
    /// library's `le="30.0"`), so existing dashboards that select a bucket by its label keep matching.
    public func prometheusText() -> String { Self.integralBucketBounds(registry.emitToString()) }

    private func claimCounter(_ result: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "validator_claim_work_total", dimensions: [("result", result)], factory: factory)
    }

    private func heartbeatCounter(_ result: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "validator_heartbeat_total", dimensions: [("result", result)], factory: factory)
    }

    /// Rewrites `le="<digits>.0"` to `le="<digits>"`; everything else passes unchanged.
    static func integralBucketBounds(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let open = rest.range(of: "le=\"") {
            out += rest[..<open.upperBound]
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: "\"") else { break }
            let bound = rest[..<close]
            if bound.hasSuffix(".0"), bound.dropLast(2).allSatisfy({ ("0"..."9").contains($0) }), bound.count > 2 {
                out += bound.dropLast(2)
            } else {
                out += bound
            }
            rest = rest[close...]
        }
        out += rest
        return out
    }
}
