import Hummingbird
import Store

/// `GET /metrics`: the backend's series in the Prometheus text format (unauthenticated, for a scraper on the
/// operator's network; not part of the oro-sdk API). The queue gauges are read from the store at each scrape;
/// when the store does not answer they keep their last values and the scrape still succeeds.
struct MetricsRoute: Sendable {
    let services: BackendServices
    let metrics: BackendMetrics

    /// The Prometheus text format's content type.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func register(on router: Router<ArenaRequestContext>) {
        router.get("/metrics") { _, _ in try await scrape() }
    }

    func scrape() async throws -> Response {
        if let depth = try? await services.workQueue.depth(now: services.now()) {
            metrics.record(depth: depth.readyItems, held: depth.heldItems, activeRuns: depth.activeRuns)
        }
        return Response(status: .ok, headers: [.contentType: Self.contentType],
                        body: .init(byteBuffer: ByteBuffer(string: metrics.prometheusText())))
    }
}
