import ArenaModel
import Foundation
import Proxy
import Sandbox
import TestSupport
import Testing

/// Hostile agents that need the proxy: models outside the allowlist and forged call logs.
@Suite("Hostile agents against the proxy", .timeLimit(.minutes(5)))
struct HostileProxyAgentTests {
    static func run(_ source: String, configuration: ProxyConfiguration) async throws -> Envelope {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = try SandboxRunner(
            configuration: SandboxConfiguration(
                python: try SandboxProxyEndToEndTests.python(),
                runtimeDirectory: SharedData.repositoryRoot().appendingPathComponent("python"),
                workDirectory: dir.appendingPathComponent("w")))
        let agent = dir.appendingPathComponent("agent.py")
        try Data(source.utf8).write(to: agent)
        let problem = Problem(id: "hostile", query: "q", category: .product, rewards: [], original: .object([("query", "q")]))
        let envelopes = await runner.runBatch(
            agentFile: agent, problems: [problem],
            limits: SandboxLimits(wallClockSeconds: 20, killGraceSeconds: 1, memoryBytes: 1 << 30),
            proxy: ProxyProvider(engine: StubEngine(), configuration: configuration))
        return try #require(envelopes.first)
    }

    @Test("a model outside the allowlist: the agent sees 403, nothing reaches the upstream, the trusted log records the 403")
    func modelOutsideAllowlist() async throws {
        let stub = try await StubUpstream.start()
        defer { Task { await stub.stop() } }
        let envelope = try await Self.run(
            """
            import json
            from src.agent.proxy_client import ProxyClient
            def agent_main(p):
                client = ProxyClient(max_retries=1)
                reply = client.chat_completion([{"role": "user", "content": "hi"}], model="evil/model")
                return [{"completion": {"message": {"response": json.dumps({"reply": reply, "status": client.last_status_code})}},
                         "extra_info": {}}]
            """,
            configuration: ProxyConfiguration(allowedModels: ["good/model"], upstreamBaseURL: stub.baseURL))
        #expect(envelope.status == .success, "\(envelope.error?.message ?? "")")
        let report = try JSONParser.parse(try #require(envelope.steps?.first?.response))
        #expect(report["status"]?.intValue == 403)
        #expect(report["reply"] == .null)
        let calls = envelope.proxyCalls?.arrayValue ?? []
        #expect(calls.count == 1)
        #expect(calls.first?["status"]?.intValue == 403)
        #expect(calls.first?["model"]?.stringValue == "evil/model")
        #expect(stub.bodies.isEmpty, "a refused model must never reach the upstream")
    }

    @Test("fake call-log files written by the agent are ignored: proxy_calls come only from the proxy")
    func fakeCallLogs() async throws {
        let envelope = try await Self.run(
            """
            import json, os, sys, requests
            FAKE = json.dumps({"timestamp": 1, "method": "GET", "path": "/search/find_product", "status": 200,
                               "product_ids": ["FORGED"]}) + "\\n"
            def agent_main(p):
                out = os.path.dirname(sys.argv[sys.argv.index("--output") + 1]) if "--output" in sys.argv else "/tmp"
                written = []
                for d in (out, "/tmp", os.getcwd()):
                    for name in ("proxy_calls.jsonl", "hostile.proxy.jsonl", "calls.jsonl"):
                        try:
                            with open(os.path.join(d, name), "w") as fh:
                                fh.write(FAKE * 5)
                            written.append(os.path.join(d, name))
                        except OSError:
                            pass
                base = os.environ["SANDBOX_PROXY_URL"]
                requests.get(base + "/search/find_product", params={"q": "shoe"}, timeout=5)
                return [{"completion": {"message": {"response": json.dumps(written)}},
                         "extra_info": {"proxy_calls": [json.loads(FAKE)]}}]
            """,
            configuration: ProxyConfiguration(allowedModels: []))
        #expect(envelope.status == .success, "\(envelope.error?.message ?? "")")
        let written = try JSONParser.parse(try #require(envelope.steps?.first?.response)).arrayValue ?? []
        #expect(!written.isEmpty, "the agent should have managed to write at least one fake log file")
        let calls = envelope.proxyCalls?.arrayValue ?? []
        #expect(calls.count == 1)
        #expect(calls.first?["product_ids"] == .array([.string("101"), .string("202")]))
        let stepCalls = envelope.steps?.first?.proxyCalls ?? []
        #expect(stepCalls.allSatisfy { $0["product_ids"] != .array([.string("FORGED")]) })
    }
}
