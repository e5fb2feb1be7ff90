import ArenaModel
import Backend
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store
import ShopArenaTesting
import TestSupport
import Testing

/// `GET /metrics` after real traffic on both stores: requests by route pattern and status, durations, claims and
/// completes as the validator routes answered them, queue gauges read at the scrape, and bounded series.
@Suite("Backend metrics")
struct BackendMetricsTests {
    /// Runs `body` against a router whose metrics land in a registry of the test's own.
    static func withMetrics(_ arena: TestArena,
                            _ body: @Sendable (any TestClientProtocol, BackendMetrics) async throws -> Void) async throws {
        let metrics = BackendMetrics(registry: PrometheusCollectorRegistry())
        let app = Application(router: BackendApplication.makeRouter(services: arena.services, metrics: metrics))
        do {
            try await app.test(.router) { client in try await body(client, metrics) }
        } catch {
            await arena.services.database.close()
            throw error
        }
        await arena.services.database.close()
    }

    /// Scrapes `/metrics` over HTTP and parses it.
    static func scrape(_ client: any TestClientProtocol) async throws -> PrometheusSamples {
        try await client.execute(uri: "/metrics", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            return try PrometheusSamples(String(buffer: response.body))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func scrapeShowsRequestsClaimsCompletesAndQueueDepth(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let v1 = try await arena.hotkey(.validator)
        let clock = arena.clock
        try await Fixtures.suite(arena, problems: 2)
        try await Self.withMetrics(arena) { client, _ in
            for _ in 0..<2 {
                try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/no/such/route", method: .get) { #expect($0.status == .notFound) }
            // Idle, then work, then at capacity.
            try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: v1.headers(clock)) {
                #expect($0.status == .noContent)
            }
            try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
            try await Fixtures.queuedVersion(arena, miner: miner.address, name: "second", required: 1)
            var runID = ""
            try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: v1.headers(clock)) { response in
                #expect(response.status == .ok)
                runID = response.field("eval_run_id") ?? ""
            }
            try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: v1.headers(clock)) {
                #expect($0.status == .conflict)
            }
            let during = try await Self.scrape(client)
            #expect(during["backend_work_queue_ready_items"] == 2)
            #expect(during["backend_work_queue_held_items"] == 0)
            #expect(during["backend_work_active_runs"] == 1)

            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/complete", method: .post,
                                     headers: v1.headers(clock),
                                     body: ByteBuffer(string: #"{"terminal_status":"FAILED","failure_reason":"x"}"#)) {
                #expect($0.status == .ok)
            }
            // Unknown run: refused.
            try await client.execute(uri: "/v1/validator/evaluation-runs/00000000-0000-4000-8000-000000000000/complete",
                                     method: .post, headers: v1.headers(clock),
                                     body: ByteBuffer(string: #"{"terminal_status":"FAILED","failure_reason":"x"}"#)) {
                #expect($0.status.code >= 400)
            }
            let after = try await Self.scrape(client)
            #expect(after["backend_http_requests_total", ["method": "GET", "route": "/health", "status": "200"]] == 2)
            #expect(after["backend_http_requests_total", ["method": "GET", "route": "unmatched", "status": "404"]] == 1)
            #expect(after["backend_http_requests_total", ["method": "POST", "route": "/v1/validator/work/claim", "status": "204"]] == 1)
            #expect(after["backend_http_requests_total", ["method": "POST", "route": "/v1/validator/work/claim", "status": "409"]] == 1)
            #expect(after["backend_http_requests_total", ["method": "GET", "route": "/metrics", "status": "200"]] == 1)
            #expect(after["backend_http_request_duration_seconds_count", ["method": "GET", "route": "/health"]] == 2)
            #expect(after["backend_http_request_duration_seconds_bucket", ["method": "GET", "route": "/health", "le": "+Inf"]] == 2)
            #expect(after["backend_work_claims_total", ["result": "empty"]] == 1)
            #expect(after["backend_work_claims_total", ["result": "claimed"]] == 1)
            #expect(after["backend_work_claims_total", ["result": "at_capacity"]] == 1)
            #expect(after["backend_work_claims_total", ["result": "refused"]] == 0)
            #expect(after["backend_work_completes_total", ["result": "accepted"]] == 1)
            #expect(after["backend_work_completes_total", ["result": "refused"]] == 1)
            #expect(after["backend_work_active_runs"] == 0)
            #expect(after.types["backend_http_requests_total"] == "counter")
            #expect(after.types["backend_http_request_duration_seconds"] == "histogram")
            #expect(after.types["backend_work_queue_ready_items"] == "gauge")
        }
    }

    /// Route labels are patterns: a thousand distinct paths of one route, or of no route, add no series.
    @Test func seriesStayBoundedWhateverPathsAreAsked() async throws {
        let arena = try await TestArena.make(.sqlite)
        try await Self.withMetrics(arena) { client, metrics in
            for n in 0..<300 {
                try await client.execute(uri: "/nothing/here/\(n)", method: .get) { #expect($0.status == .notFound) }
                try await client.execute(uri: "/v1/public/agent-versions/\(n)", method: .get) { #expect($0.status.code >= 400) }
            }
            let samples = try PrometheusSamples(metrics.prometheusText())
            #expect(samples["backend_http_requests_total", ["method": "GET", "route": "unmatched", "status": "404"]] == 300)
            let routes = Set(samples.series.filter { $0.name == "backend_http_requests_total" }.compactMap { $0.labels["route"] })
            #expect(routes.count == 2, "route labels: \(routes.sorted())")
            #expect(samples.series.count < 60, "\(samples.series.count) series after 600 requests")
        }
    }
}
