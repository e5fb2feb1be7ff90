import ArenaModel
import Sandbox
import Testing

@Suite("proxy_calls bucketing")
struct ProxyCallBucketingTests {
    func step(_ n: Int, at ts: Int64?, forged: Bool = false) -> JSONValue {
        var raw = DialogueStep.make(response: "r\(n)", query: "q", step: n, timestamp: ts).raw
        if forged {
            let extra = (raw["extra_info"] ?? .object([])).setting(
                "proxy_calls", to: .array([.object([("path", .string("/forged"))])]))
            raw = raw.setting("extra_info", to: extra)
        }
        return raw
    }

    func call(_ ts: Int64, _ path: String = "/search/find_product", status: Int = 200) -> ProxyCallRecord {
        ProxyCallRecord(timestamp: ts, method: "GET", path: path, status: status, durationMs: 1.5)
    }

    func paths(_ step: DialogueStep) -> [Int64] {
        (step.proxyCalls ?? []).compactMap { $0["timestamp"]?.intValue }
    }

    @Test("each call goes to the last step at or before it; earlier calls go to step 0")
    func buckets() throws {
        let envelope = Envelope(
            problemID: "p", status: .success, dialogue: .array([step(1, at: 1000), step(2, at: 2000), step(3, at: 3000)]))
        let out = envelope.attachingProxyCalls([call(2500), call(500), call(2000), call(3001), call(1999)])
        let steps = try #require(out.steps)
        #expect(paths(steps[0]) == [500, 1999])
        #expect(paths(steps[1]) == [2000, 2500])
        #expect(paths(steps[2]) == [3001])
        #expect(out.proxyCalls?.arrayValue?.count == 5)
    }

    @Test("proxy_calls the agent wrote itself are replaced by the trusted ones")
    func forgedCallsRemoved() throws {
        let envelope = Envelope(
            problemID: "p", status: .success, dialogue: .array([step(1, at: 1000, forged: true), step(2, at: 2000, forged: true)]))
        let out = envelope.attachingProxyCalls([call(2100)])
        let steps = try #require(out.steps)
        #expect(steps[0].proxyCalls == nil)
        #expect(paths(steps[1]) == [2100])
    }

    @Test("inference counts come from the proxy log; non-200 is a failure")
    func inferenceCounts() {
        let envelope = Envelope(problemID: "p", status: .failed, inferenceFailureCount: 7, inferenceTotal: 9)
        let out = envelope.attachingProxyCalls([
            call(1, "/inference/chat/completions"), call(2, "/inference/chat/completions", status: 429),
            call(3, "/inference/chat/completions", status: 403), call(4),
        ])
        #expect(out.inferenceTotal == 3)
        #expect(out.inferenceFailureCount == 2)
        #expect(out.dialogue == nil)
        #expect(out.proxyCalls?.arrayValue?.count == 4)
    }

    @Test("call records round-trip through their JSONL form")
    func recordJSON() {
        let record = ProxyCallRecord(
            timestamp: 1_716_000_000_123, method: "POST", path: "/inference/chat/completions", model: "m", status: 200,
            durationMs: 812.5, usage: .init(promptTokens: 10, completionTokens: 5, totalTokens: 15))
        let search = ProxyCallRecord(
            timestamp: 1_716_000_000_200, method: "GET", path: "/search/find_product", query: "q=a&page=1", status: 200,
            durationMs: 3, productIDs: ["1", "2"])
        let text = [record, search].map { JSONWriter().string($0.json) }.joined(separator: "\n") + "\nnot json\n"
        #expect(ProxyCallRecord.parseLog(text) == [record, search])
    }
}
