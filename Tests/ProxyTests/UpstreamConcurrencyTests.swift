import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Proxy
import Testing

/// A validator runs one proxy per problem, all forwarding to its one provider: as many model calls must be in flight
/// as it runs problems. AsyncHTTPClient's shared client allowed 8 per host, which capped every validator at 8.
@Suite("Proxy: model calls in flight across problems", .timeLimit(.minutes(5)))
struct UpstreamConcurrencyTests {
    /// Holds each request until `target` are in flight at once (or until a minute passes, so a capped client ends
    /// the test with a failed expectation rather than a hang), and records the most seen together.
    actor Barrier {
        let target: Int
        private(set) var inFlight = 0
        private(set) var most = 0
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(target: Int) { self.target = target }

        func arrive() async {
            inFlight += 1
            most = max(most, inFlight)
            if inFlight >= target { release() } else { await withCheckedContinuation { waiting.append($0) } }
            inFlight -= 1
        }

        func release() {
            waiting.forEach { $0.resume() }
            waiting.removeAll()
        }
    }

    @Test func twelveProblemsHaveTwelveCallsInFlight() async throws {
        let calls = 12
        let barrier = Barrier(target: calls)
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            await barrier.arrive()
            let reply = #"{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"}}]}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: reply)))
        }
        let (ready, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        let server = Task { try await app.run() }
        defer { server.cancel() }
        var port = 0
        for await p in ready { port = p; break }
        let fallback = Task {
            try await Task.sleep(for: .seconds(60))
            await barrier.release()
        }
        defer { fallback.cancel() }

        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var proxies: [ProblemProxy] = []
        for n in 0..<calls {
            proxies.append(try await ProblemProxy.start(
                socketPath: dir.appendingPathComponent("p\(n).sock").path, engine: StubEngine(),
                configuration: ProxyConfiguration(allowedModels: ["m"], upstreamBaseURL: "http://127.0.0.1:\(port)/v1")))
        }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for proxy in proxies {
                group.addTask {
                    try await ProxyTestSupport.request(proxy.socketPath, "/inference/chat/completions", method: "POST",
                                                       body: #"{"model": "m", "messages": [{"role": "user", "content": "hi"}]}"#,
                                                       headers: [("Content-Type", "application/json")], timeout: .seconds(90)).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for proxy in proxies { _ = await proxy.close() }
        #expect(statuses == Array(repeating: 200, count: calls))
        #expect(await barrier.most == calls)
    }
}
