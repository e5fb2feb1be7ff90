import CoreMetrics
import Prometheus

/// The backend's Prometheus metrics, recorded through swift-metrics into an injected
/// `PrometheusCollectorRegistry` (no global state: each router, and each test, has its own unless one is passed).
///
/// Series (all bounded: labels come from the router's route patterns, methods, status codes and fixed outcomes):
/// - `backend_http_requests_total{method,route,status}` counter;
/// - `backend_http_request_duration_seconds{method,route}` histogram;
/// - `backend_work_claims_total{result}` (`claimed`, `empty`, `at_capacity`, `refused`) and
///   `backend_work_completes_total{result}` (`accepted`, `refused`) counters, read off the validator routes'
///   answers;
/// - `backend_work_queue_ready_items`, `backend_work_queue_held_items`, `backend_work_active_runs` gauges,
///   read from the store at each scrape.
public final class BackendMetrics: Sendable {
    /// Upper bounds of the request-duration histogram.
    public static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]
    /// The route label of a request no route matched (one series, whatever path was asked for).
    public static let unmatchedRoute = "unmatched"

    /// Where the series live; `prometheusText()` renders it.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let readyItems: CoreMetrics.Gauge
    private let heldItems: CoreMetrics.Gauge
    private let activeRuns: CoreMetrics.Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["backend_http_request_duration_seconds"] = Self.durationBuckets
        self.factory = factory
        readyItems = CoreMetrics.Gauge(label: "backend_work_queue_ready_items", factory: factory)
        heldItems = CoreMetrics.Gauge(label: "backend_work_queue_held_items", factory: factory)
        activeRuns = CoreMetrics.Gauge(label: "backend_work_active_runs", factory: factory)
        for result in ["claimed", "empty", "at_capacity", "refused"] {
            _ = CoreMetrics.Counter(label: "backend_work_claims_total", dimensions: [("result", result)], factory: factory)
        }
        for result in ["accepted", "refused"] {
            _ = CoreMetrics.Counter(label: "backend_work_completes_total", dimensions: [("result", result)], factory: factory)
        }
    }

    /// One answered request: `route` is the matched route pattern (`/v1/validator/evaluation-runs/{id}/complete`),
    /// never the raw path, so the number of series stays bounded.
    func request(method: String, route: String, status: Int, duration: Duration) {
        CoreMetrics.Counter(label: "backend_http_requests_total",
                dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory).increment()
        CoreMetrics.Timer(label: "backend_http_request_duration_seconds", dimensions: [("method", method), ("route", route)],
              factory: factory).recordNanoseconds(Self.nanoseconds(duration))
        if method == "POST", let outcome = Self.workOutcome(route: route, status: status) {
            CoreMetrics.Counter(label: outcome.metric, dimensions: [("result", outcome.result)], factory: factory).increment()
        }
    }

    /// Sets the queue gauges from a store reading.
    func record(depth: Int64, held: Int64, activeRuns: Int64) {
        readyItems.record(depth)
        heldItems.record(held)
        self.activeRuns.record(activeRuns)
    }

    /// The Prometheus text exposition of every series in the registry.
    public func prometheusText() -> String { registry.emitToString() }

    /// Claims and completes as the validator routes answered them: a claim is `claimed` (200), `empty` (204),
    /// `at_capacity` (409) or `refused` (anything else); a complete is `accepted` (2xx) or `refused`.
    static func workOutcome(route: String, status: Int) -> (metric: String, result: String)? {
        switch route {
        case "/v1/validator/work/claim":
            let result = switch status {
            case 200: "claimed"
            case 204: "empty"
            case 409: "at_capacity"
            default: "refused"
            }
            return ("backend_work_claims_total", result)
        case "/v1/validator/evaluation-runs/{id}/complete":
            return ("backend_work_completes_total", (200..<300).contains(status) ? "accepted" : "refused")
        default:
            return nil
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
