import ArenaModel
import Foundation
import Proxy
import Search
import Synchronization
import Testing

/// The proxy does its work on its own threads (``ProxyExecutor``), not on the global pool that the rest of
/// the process can keep busy: a search handler runs on one of its threads.
@Suite("Proxy threads")
struct ProxyThreadsTests {
    /// An engine that notes whether each search runs on one of the proxy's threads.
    final class ThreadNotingEngine: ProductSearching, @unchecked Sendable {
        let base = StubEngine()
        let threads = Mutex<[Bool]>([])
        var documentCount: Int { base.documentCount }
        func findProduct(_ request: FindProductRequest) -> [Product] {
            let onProxyThread = ProxyExecutor.shared.isCurrent
            threads.withLock { $0.append(onProxyThread) }
            return base.findProduct(request)
        }
        func viewProductInformation(productIDs: String) -> [Product] { base.viewProductInformation(productIDs: productIDs) }
        func productsRaw(productIDs: String) -> [Product] { [] }
        func product(id: String) -> Product? { base.product(id: id) }
    }

    @Test("search handlers run on the proxy's own threads")
    func handlersRunOnProxyThreads() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let engine = ThreadNotingEngine()
        let proxy = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("p.sock").path, engine: engine,
            configuration: ProxyConfiguration(allowedModels: []))
        for _ in 0..<6 {
            let reply = try await ProxyTestSupport.request(proxy.socketPath, "/search/find_product?q=shoe")
            #expect(reply.status == 200)
        }
        _ = await proxy.close()
        let onProxyThreads = engine.threads.withLock { $0 }
        #expect(onProxyThreads == Array(repeating: true, count: 6))
    }

    @Test("the executor runs every job it is given, from many tasks at once")
    func executorRunsEveryJob() async {
        let total = await withTaskGroup(of: Int.self) { group in
            for i in 0..<200 {
                group.addTask(executorPreference: ProxyExecutor.shared) {
                    await Task.yield()
                    return i
                }
            }
            return await group.reduce(0, +)
        }
        #expect(total == (0..<200).reduce(0, +))
    }

    @Test("the sandbox starts the proxy on the proxy's threads")
    func providerNamesTheExecutor() {
        let provider = ProxyProvider(engine: StubEngine(), configuration: ProxyConfiguration(allowedModels: []))
        #expect(provider.taskExecutor === ProxyExecutor.shared)
    }
}
