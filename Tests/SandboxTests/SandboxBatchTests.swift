import ArenaModel
import Foundation
import Proxy
import Sandbox
import Testing

/// A proxy provider backed by ``UnixHTTPStub`` that reports one fake call per request it served;
/// problems whose id starts with "noproxy" make `open` fail.
struct StubProxyProvider: SandboxProxyProvider {
    struct Refused: Error {}

    /// The real proxy's own threads, so a cooperative pool held by CPU-bound suites does not delay the stub.
    var taskExecutor: (any TaskExecutor)? { ProxyExecutor.shared }

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

@Suite("Sandbox batches", .timeLimit(.minutes(5)))
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
                urllib.request.urlopen(os.environ["SANDBOX_PROXY_URL"] + "/search/find_product?q=x", timeout=120).read()
                return [{"completion": {"message": {"response": p["problem_id"]}}, "extra_info": {}}]
            """, in: scratch)
        let ids = ["ok-a", "raise-b", "noproxy-c", "ok-d", "ok-e"]
        let problems = ids.map { SandboxFixture.problem(id: $0) }
        let seen = SeenIDs()
        // Limits are not under test: room for five interpreters starting on a machine whose cores are all busy.
        let limits = SandboxLimits(wallClockSeconds: 150, killGraceSeconds: 1, memoryBytes: 1 << 30)
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

/// A ``StubProxyProvider`` that remembers which sample opened a session for which problem.
struct SampleTaggingProvider: SandboxProxyProvider {
    let sample: Int
    let opened: SeenIDs

    func open(problem: Problem, directory: URL) async throws -> any SandboxProxySession {
        await opened.add("\(sample):\(problem.id)")
        return try await StubProxyProvider().open(problem: problem, directory: directory)
    }
}

@Suite("Sandbox sampled batches", .timeLimit(.minutes(5)))
struct SandboxSampleTests {
    @Test("every problem runs once per sample, each run with its sample's proxy, grouped by sample")
    func samples() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            """
            import os, urllib.request
            def agent_main(p):
                urllib.request.urlopen(os.environ["SANDBOX_PROXY_URL"] + "/search/find_product?q=x", timeout=120).read()
                return [{"completion": {"message": {"response": p["problem_id"]}}, "extra_info": {}}]
            """, in: scratch)
        let problems = ["a", "b"].map { SandboxFixture.problem(id: $0) }
        let opened = SeenIDs()
        let finished = SeenIDs()
        // Limits are not under test: room for six interpreters starting on a machine whose cores are all busy.
        let limits = SandboxLimits(wallClockSeconds: 150, killGraceSeconds: 1, memoryBytes: 1 << 30)
        let bySample = await runner.runSamples(
            agentFile: agent, problems: problems, samples: 3, limits: limits, workers: 2,
            proxy: { SampleTaggingProvider(sample: $0, opened: opened) },
            onEnvelope: { await finished.add("\($0.sample):\($0.envelope.problemID)") })
        #expect(bySample.count == 3)
        for (sample, envelopes) in bySample.enumerated() {
            #expect(envelopes.map(\.problemID).sorted() == ["a", "b"], "sample \(sample)")
            #expect(envelopes.allSatisfy { $0.status == .success && $0.steps?.first?.proxyCalls?.count == 1 })
        }
        let expected = ["0:a", "0:b", "1:a", "1:b", "2:a", "2:b"]
        #expect(await opened.ids.sorted() == expected)
        #expect(await finished.ids.sorted() == expected)
    }
}

@Suite("Sandbox cancellation and insecure mode", .timeLimit(.minutes(5)))
struct SandboxCancellationTests {
    @Test("cancelling a batch still gives every problem an envelope, and no agent keeps running")
    func cancelBatch() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let marker = "shoparena-cancel-\(UInt64.random(in: 0...UInt64.max))"
        let agent = try SandboxFixture.agent(
            """
            import os, sys
            def agent_main(p):
                os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(60)", "\(marker)"])
            """, in: scratch)
        let problems = ["c1", "c2", "c3"].map { SandboxFixture.problem(id: $0) }
        let limits = SandboxLimits(wallClockSeconds: 30, killGraceSeconds: 1, memoryBytes: 1 << 30)
        let batch = Task { await runner.runBatch(agentFile: agent, problems: problems, limits: limits, workers: 1) }
        // Wait until the first agent is really running, then cancel.
        var running = false
        for _ in 0..<100 where !running {
            try await Task.sleep(for: .milliseconds(50))
            running = !SandboxFixture.processes(containing: marker).isEmpty
        }
        #expect(running)
        batch.cancel()
        let envelopes = await batch.value
        #expect(envelopes.map(\.problemID).sorted() == ["c1", "c2", "c3"])
        #expect(envelopes.allSatisfy { $0.status == .failed && $0.error?.type == "Cancelled" })
        #expect(SandboxFixture.processes(containing: marker).isEmpty)
    }

    @Test("insecure mode runs the harness without namespaces (development hosts without bubblewrap)")
    func insecure() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch, isolation: .insecure)
        let agent = try SandboxFixture.agent(
            SandboxFixture.reportingAgent("def report(p):\n    return {'uid': os.getuid(), 'query': p['query']}"),
            in: scratch)
        let envelope = await runner.run(
            agentFile: agent, problem: SandboxFixture.problem(),
            limits: SandboxLimits(wallClockSeconds: 20, killGraceSeconds: 1, memoryBytes: 1 << 30))
        #expect(envelope.status == .success, "\(envelope.error?.message ?? "")")
        let report = try #require(SandboxFixture.report(envelope))
        #expect(report["query"]?.stringValue == "find red shoes")
        #expect(report["uid"]?.intValue == Int64(getuid()))
    }
}

actor SeenIDs {
    var ids: [String] = []
    func add(_ id: String) { ids.append(id) }
}
