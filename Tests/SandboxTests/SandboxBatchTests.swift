import ArenaModel
import Foundation
import Sandbox
import Testing

/// A proxy provider backed by ``UnixHTTPStub`` that reports one fake call per request it served;
/// problems whose id starts with "noproxy" make `open` fail.
struct StubProxyProvider: SandboxProxyProvider {
    struct Refused: Error {}

    func open(problem: Problem, directory: URL) async throws -> any SandboxProxySession {
        if problem.id.hasPrefix("noproxy") { throw Refused() }
        let server = try UnixHTTPStub(path: directory.appendingPathComponent("proxy.sock").path, body: "[]")
        return Session(server: server)
    }

    struct Session: SandboxProxySession {
        let server: UnixHTTPStub
        var socketPath: String { server.path }
        func close() async -> [ProxyCallRecord] {
            server.stop()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            return server.requests.map { _ in
                ProxyCallRecord(timestamp: now, method: "GET", path: "/search/find_product", status: 200, durationMs: 1)
            }
        }
    }
}

@Suite("Sandbox batches", .timeLimit(.minutes(1)))
struct SandboxBatchTests {
    @Test("every problem gets exactly one envelope, failures included, with its proxy calls attached")
    func batch() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            """
            import os, urllib.request
            def agent_main(p):
                if p["problem_id"].startswith("raise"):
                    raise KeyError("nope")
                urllib.request.urlopen(os.environ["SANDBOX_PROXY_URL"] + "/search/find_product?q=x", timeout=5).read()
                return [{"completion": {"message": {"response": p["problem_id"]}}, "extra_info": {}}]
            """, in: scratch)
        let ids = ["ok-a", "raise-b", "noproxy-c", "ok-d", "ok-e"]
        let problems = ids.map { SandboxFixture.problem(id: $0) }
        let seen = SeenIDs()
        let limits = SandboxLimits(wallClockSeconds: 20, killGraceSeconds: 1, memoryBytes: 1 << 30)
        let envelopes = await runner.runBatch(
            agentFile: agent, problems: problems, limits: limits, workers: 2, proxy: StubProxyProvider(),
            onEnvelope: { await seen.add($0.problemID) })
        #expect(envelopes.count == ids.count)
        #expect(Set(envelopes.map(\.problemID)) == Set(ids))
        #expect(await seen.ids == envelopes.map(\.problemID))
        let byID = Dictionary(uniqueKeysWithValues: envelopes.map { ($0.problemID, $0) })
        for id in ["ok-a", "ok-d", "ok-e"] {
            let e = try #require(byID[id])
            #expect(e.status == .success, "\(id): \(e.error?.message ?? "")")
            #expect(e.steps?.first?.proxyCalls?.count == 1)
            #expect(e.inferenceTotal == 0)
        }
        #expect(byID["raise-b"]?.status == .failed)
        #expect(byID["raise-b"]?.error?.type == "KeyError")
        #expect(byID["noproxy-c"]?.status == .failed)
        #expect(byID["noproxy-c"]?.error?.type == "ProxyError")
    }
}

actor SeenIDs {
    var ids: [String] = []
    func add(_ id: String) { ids.append(id) }
}
