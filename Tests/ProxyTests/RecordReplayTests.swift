import ArenaModel
import Foundation
import LLM
import Proxy
import Sandbox
import TestSupport
import Testing

@Suite("Inference record and replay", .timeLimit(.minutes(2)))
struct RecordReplayTests {
    static func chat(_ user: String) -> String {
        JSONWriter().string(
            .object([
                ("model", "m1"), ("messages", [.object([("role", "user"), ("content", .string(user))])]),
                ("temperature", .double(0.2)),
            ]))
    }

    @Test("the proxy records upstream replies and replays them byte for byte without an upstream; unknown requests get 502")
    func proxyRecordsAndReplays() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = dir.appendingPathComponent("records")
        _ = try InferenceRecordStore.forRecording(directory: records)
        let stub = try await ScriptedChatServer.start(
            script: try ChatScript(jsonl: #"{"response": "alpha"}"# + "\n" + #"{"response": "beta"}"#))

        let recorder = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("r.sock").path, engine: StubEngine(),
            configuration: ProxyConfiguration(
                allowedModels: ["m1"], upstreamBaseURL: stub.baseURL, recording: .record(directory: records)))
        let first = try await ProxyTestSupport.request(recorder.socketPath, "/inference/chat/completions", method: "POST", body: Self.chat("one"))
        let second = try await ProxyTestSupport.request(recorder.socketPath, "/inference/chat/completions", method: "POST", body: Self.chat("two"))
        _ = await recorder.close()
        await stub.shutdown()
        #expect(first.status == 200 && second.status == 200)
        let files = try FileManager.default.contentsOfDirectory(atPath: records.path).filter { $0.hasSuffix(".json") }
        #expect(files.count == 2)

        let replayer = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("p.sock").path, engine: StubEngine(),
            configuration: ProxyConfiguration(allowedModels: ["m1"], recording: .replay(directory: records)))
        // Same request with keys in another order and other whitespace: same canonical key.
        let reordered = #"{ "temperature": 0.2, "messages": [{"content": "two", "role": "user"}], "model": "m1" }"#
        let replayedSecond = try await ProxyTestSupport.request(replayer.socketPath, "/inference/chat/completions", method: "POST", body: reordered)
        let replayedFirst = try await ProxyTestSupport.request(replayer.socketPath, "/inference/chat/completions", method: "POST", body: Self.chat("one"))
        let unknown = try await ProxyTestSupport.request(replayer.socketPath, "/inference/chat/completions", method: "POST", body: Self.chat("three"))
        let log = await replayer.close()
        #expect(replayedFirst.status == 200 && replayedFirst.body == first.body)
        #expect(replayedSecond.status == 200 && replayedSecond.body == second.body)
        #expect(replayedFirst.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == "alpha")
        #expect(unknown.status == 502)
        #expect(unknown.json?["error"]?.stringValue?.contains("No recorded response") == true)
        // The trusted log still carries usage for replayed calls and the 502 for the unknown one.
        #expect(log.map(\.status) == [200, 200, 502])
        #expect(log.first?.usage?.completionTokens == 1)
    }

    @Test("an agent in the sandbox calling the LLM through ProxyClient gets identical dialogues on record and replay")
    func sandboxRecordReplay() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = dir.appendingPathComponent("records")
        _ = try InferenceRecordStore.forRecording(directory: records)
        let runner = try SandboxRunner(
            configuration: SandboxConfiguration(
                python: try SandboxProxyEndToEndTests.python(),
                runtimeDirectory: SharedData.repositoryRoot().appendingPathComponent("python"),
                workDirectory: dir.appendingPathComponent("w"), agentEnvironment: ["SANDBOX_MODEL": "m1"]))
        let agent = dir.appendingPathComponent("agent.py")
        try Data(
            """
            from src.agent.proxy_client import ProxyClient
            def agent_main(problem_data):
                client = ProxyClient(max_retries=1)
                steps = []
                for ask in ("colour", "size"):
                    reply = client.chat_completion([{"role": "user", "content": ask + " for " + problem_data["query"]}])
                    content, reasoning = ProxyClient.message_content(reply)
                    steps.append({"completion": {"reasoning_content": reasoning, "content": content,
                                                 "message": {"response": content}}, "extra_info": {}})
                return steps
            """.utf8
        ).write(to: agent)
        let problems = ["boots", "scarf"].map { q in
            Problem(id: "rr-\(q)", query: q, category: .product, rewards: [], original: .object([("query", .string(q))]))
        }
        let script = try ChatScript(jsonl: """
            {"response": "red boots", "match": "colour for boots"}
            {"response": {"content": "size 42", "reasoning_content": "most common"}, "match": "size for boots"}
            {"response": "green scarf", "match": "colour for scarf"}
            {"response": "one size", "match": "size for scarf"}
            """)
        let stub = try await ScriptedChatServer.start(script: script)
        let limits = SandboxLimits(wallClockSeconds: 30, killGraceSeconds: 1, memoryBytes: 1 << 30)
        let recorded = await runner.runBatch(
            agentFile: agent, problems: problems, limits: limits, workers: 2,
            proxy: ProxyProvider(
                engine: StubEngine(),
                configuration: ProxyConfiguration(
                    allowedModels: ["m1"], upstreamBaseURL: stub.baseURL, recording: .record(directory: records))))
        await stub.shutdown()
        #expect(stub.answered == 4)

        let replayed = await runner.runBatch(
            agentFile: agent, problems: problems, limits: limits, workers: 2,
            proxy: ProxyProvider(
                engine: StubEngine(),
                configuration: ProxyConfiguration(allowedModels: ["m1"], recording: .replay(directory: records))))

        func dialogues(_ envelopes: [Envelope]) -> [String: [String]] {
            Dictionary(uniqueKeysWithValues: envelopes.map { e in (e.problemID, (e.steps ?? []).map { $0.response ?? "" }) })
        }
        for e in recorded + replayed { #expect(e.status == .success, "\(e.problemID): \(e.error?.message ?? "")") }
        #expect(dialogues(recorded) == ["rr-boots": ["red boots", "size 42"], "rr-scarf": ["green scarf", "one size"]])
        #expect(dialogues(replayed) == dialogues(recorded))
        // Inference calls really went through the proxy both times (trusted log, status 200).
        for e in replayed {
            let calls = e.proxyCalls?.arrayValue ?? []
            #expect(calls.count == 2)
            #expect(calls.allSatisfy { $0["status"]?.intValue == 200 })
        }
    }
}
