import ArenaModel
import Foundation
import Proxy
import Testing

@testable import Sandbox

/// A provider whose proxy takes `delay` to come up (the sandbox starts meanwhile), optionally listening
/// somewhere other than its declared socket name.
struct SlowProxyProvider: SandboxProxyProvider {
    var delay: Duration
    var listenAs = "proxy.sock"

    /// The real proxy's own threads: its start (and this stub's sleep) must not wait for a cooperative pool
    /// held by CPU-bound suites, which once kept the 700 ms sleep from resuming within the bridge's 60 s.
    var taskExecutor: (any TaskExecutor)? { ProxyExecutor.shared }

    func open(problem: Problem, directory: URL) async throws -> any SandboxProxySession {
        try await Task.sleep(for: delay)
        let server = try UnixHTTPStub(path: directory.appendingPathComponent(listenAs).path, body: #"[{"slow": true}]"#)
        return StubProxyProvider.Session(server: server)
    }
}

/// What keeps a problem's startup short: the proxy starting concurrently with the sandbox, and the
/// runtime's bytecode compiled ahead.
@Suite("Sandbox startup", .timeLimit(.minutes(3)))
struct SandboxStartupTests {
    /// A wall clock (and the agent's own 80 s read timeout) with room for a CI machine whose two
    /// cooperative threads are held by CPU-bound suites: the slow proxy's 700 ms sleep resumed more than
    /// 10 s late there in two fresh-clone runs (the bridge waits up to 60 s for the proxy).
    static let limits = SandboxLimits(wallClockSeconds: 90, killGraceSeconds: 1, memoryBytes: 1 << 30)

    @Test("an agent calling the proxy at once reaches a proxy that is still starting")
    func proxyStartsConcurrently() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            """
            import os, urllib.request
            # At import time, before agent_main: the earliest an agent can call.
            BODY = urllib.request.urlopen(os.environ["SANDBOX_PROXY_URL"] + "/search/find_product?q=x", timeout=80).read()
            def agent_main(p):
                return [{"completion": {"message": {"response": BODY.decode()}}, "extra_info": {}}]
            """, in: scratch)
        let envelope = await runner.runOne(
            agentFile: agent, problem: SandboxFixture.problem(id: "slow-proxy"), limits: Self.limits,
            proxy: SlowProxyProvider(delay: .milliseconds(700)))
        #expect(envelope.status == .success, "\(envelope.error?.message ?? "")")
        #expect(SandboxFixture.response(envelope) == #"[{"slow": true}]"#)
        #expect(envelope.steps?.first?.proxyCalls?.count == 1)
    }

    @Test("a proxy that listens somewhere else than its declared socket fails the problem as ProxyError")
    func proxyInTheWrongPlace() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            "def agent_main(p):\n    return [{'completion': {'message': {'response': 'x'}}, 'extra_info': {}}]\n",
            in: scratch)
        let envelope = await runner.runOne(
            agentFile: agent, problem: SandboxFixture.problem(id: "wrong-socket"), limits: Self.limits,
            proxy: SlowProxyProvider(delay: .zero, listenAs: "elsewhere.sock"))
        #expect(envelope.status == .failed)
        #expect(envelope.error?.type == "ProxyError")
        #expect(envelope.error?.message.contains("elsewhere.sock") == true)
    }

    @Test("creating a runner compiles the runtime's bytecode, and recompiles an edited source")
    func bytecode() throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let python = try SandboxFixture.python.get()
        let tag = try #require(RuntimeBytecode.cacheTag(python: python))
        let runtime = scratch.appendingPathComponent("runtime")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        for item in ["run_harness.py", "shoparena_runtime", "src"] {
            try FileManager.default.copyItem(
                at: SandboxFixture.repository.appendingPathComponent("python/\(item)"),
                to: runtime.appendingPathComponent(item))
        }
        for package in RuntimeBytecode.packages {
            try? FileManager.default.removeItem(at: runtime.appendingPathComponent("\(package)/__pycache__"))
        }
        #expect(RuntimeBytecode.staleSources(runtime: runtime, tag: tag).count > 5)

        _ = try SandboxRunner(
            configuration: SandboxConfiguration(
                python: python, runtimeDirectory: runtime, workDirectory: scratch.appendingPathComponent("work")))
        #expect(RuntimeBytecode.staleSources(runtime: runtime, tag: tag) == [])
        let harness = runtime.appendingPathComponent("shoparena_runtime/harness.py")
        #expect(FileManager.default.fileExists(atPath: runtime.appendingPathComponent("shoparena_runtime/__pycache__/harness.\(tag).pyc").path))

        // An edit makes that source stale until the next runner.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: harness.path)
        #expect(RuntimeBytecode.staleSources(runtime: runtime, tag: tag) == [harness.path])
        #expect(RuntimeBytecode.refresh(runtime: runtime, python: python))
        #expect(RuntimeBytecode.staleSources(runtime: runtime, tag: tag) == [])
    }
}
