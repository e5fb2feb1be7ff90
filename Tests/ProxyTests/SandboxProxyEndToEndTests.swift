import ArenaModel
import Foundation
import Proxy
import Sandbox
import TestSupport
import Testing

@Suite("Sandbox + Proxy end to end", .timeLimit(.minutes(5)))
struct SandboxProxyEndToEndTests {
    /// The sandbox venv made by the SandboxTests fixture (or by `scripts/setup-sandbox-venv .build/sandbox-venv`).
    static func python() throws -> URL {
        if let env = ProcessInfo.processInfo.environment["SHOPARENA_SANDBOX_PYTHON"] { return URL(fileURLWithPath: env) }
        let venv = SharedData.repositoryRoot().appendingPathComponent(".build/sandbox-venv")
        let python = venv.appendingPathComponent("bin/python")
        // Always through the script: it is idempotent and locked, so a venv another suite is still
        // building is never used half-made.
        do {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = [SharedData.repositoryRoot().appendingPathComponent("scripts/setup-sandbox-venv").path, venv.path]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else {
                throw CocoaError(.fileNoSuchFile, userInfo: [
                    NSLocalizedDescriptionKey: "scripts/setup-sandbox-venv \(venv.path) failed (needs python3-venv and PyPI for requests/ujson)"
                ])
            }
        }
        return python
    }

    @Test("an agent's searches go through the proxy and come back as trusted proxy_calls on its steps")
    func agentThroughProxy() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = try SandboxRunner(
            configuration: SandboxConfiguration(
                python: try Self.python(), runtimeDirectory: SharedData.repositoryRoot().appendingPathComponent("python"),
                workDirectory: dir.appendingPathComponent("w")))
        let agent = dir.appendingPathComponent("agent.py")
        try Data(
            """
            import json, os, time, requests
            def agent_main(p):
                base = os.environ["SANDBOX_PROXY_URL"]
                found = requests.get(base + "/search/find_product", params={"q": "shoe"}, timeout=60).json()
                t1 = int(time.time() * 1000)
                time.sleep(0.05)
                raw = requests.get(base + "/search/get_product_raw", params={"product_ids": "101"}, timeout=60)
                return [
                    {"completion": {"message": {"response": json.dumps([x["product_id"] for x in found])}},
                     "extra_info": {"timestamp": t1 - 1000, "proxy_calls": [{"path": "/forged"}]}},
                    {"completion": {"message": {"response": str(raw.status_code)}}, "extra_info": {"timestamp": t1}},
                ]
            """.utf8
        ).write(to: agent)
        let provider = ProxyProvider(engine: StubEngine(), configuration: ProxyConfiguration(allowedModels: []))
        let envelopes = await runner.runBatch(
            agentFile: agent, problems: [Problem(id: "e2e", query: "q", category: .product, rewards: [],
                                                 original: .object([("query", .string("q"))]))],
            limits: SandboxLimits(wallClockSeconds: 120, killGraceSeconds: 1, memoryBytes: 1 << 30), proxy: provider)
        let envelope = try #require(envelopes.first)
        #expect(envelope.status == .success, "\(envelope.error?.message ?? "")")
        let steps = try #require(envelope.steps)
        #expect(steps[0].response == #"["101", "202"]"#)
        #expect(steps[1].response == "403")
        // The find_product call precedes t1: step 1 (index 0); the forged entry is gone.
        let first = steps[0].proxyCalls ?? []
        #expect(first.count == 1)
        #expect(first.first?["path"]?.stringValue == "/search/find_product")
        #expect(first.first?["product_ids"] == .array([.string("101"), .string("202")]))
        #expect(steps[1].proxyCalls?.first?["path"]?.stringValue == "/search/get_product_raw")
        #expect(steps[1].proxyCalls?.first?["status"]?.intValue == 403)
        #expect(envelope.proxyCalls?.arrayValue?.count == 2)
    }
}
