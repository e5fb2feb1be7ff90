import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOHTTP1
import Search
import SearchService
import ServiceLifecycle

/// The HTTP part of `bench search`: the real search server on 127.0.0.1:0 and `clients` concurrent
/// clients (async-http-client, one connection each) sending `requests` find_product calls in total
/// (bounded in count; loopback only).
public enum BenchSearchHTTP {
    public struct Result: Sendable {
        public var requests: Int
        public var failures: Int
        public var seconds: Double
        public var latenciesMS: [Double]
    }

    public static func run(index: SearchIndex, queries: [String], clients: Int, requests: Int) async throws -> Result {
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = SearchServer.makeApplication(engine: index, port: 0) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let services = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var ports = portStream.makeAsyncIterator()
            guard let port = await ports.next() else { throw CancellationError() }
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, clients))
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let urls = queries.map { q in
                "http://127.0.0.1:\(port)/find_product?page=1&q=" + (q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            }
            let clock = ContinuousClock()
            let start = clock.now
            let result = try await withThrowingTaskGroup(of: ([Double], Int).self) { clientsGroup in
                for worker in 0..<max(1, clients) {
                    clientsGroup.addTask {
                        var latencies: [Double] = []
                        var failures = 0
                        var i = worker
                        while i < requests {
                            let t0 = clock.now
                            let response = try await client.execute(HTTPClientRequest(url: urls[i % urls.count]), timeout: .seconds(30))
                            let body = try await response.body.collect(upTo: 1 << 22)
                            if response.status != .ok || body.readableBytes < 2 { failures += 1 }
                            latencies.append(BenchSearch.ms(clock.now - t0))
                            i += clients
                        }
                        return (latencies, failures)
                    }
                }
                var all: [Double] = []
                var failures = 0
                for try await (l, f) in clientsGroup {
                    all += l
                    failures += f
                }
                return Result(requests: all.count, failures: failures, seconds: BenchSearch.seconds(clock.now - start),
                              latenciesMS: all)
            }
            try await client.shutdown()
            await services.triggerGracefulShutdown()
            return result
        }
    }
}
