import Testing

@testable import ArenaModel

@Suite("Envelopes and dialogue steps")
struct EnvelopeTests {
    static let line =
        #"{"problem_id":"p-1","status":"SUCCESS","execution_time":12.5,"inference_failure_count":0,"inference_total":4,"error":null,"dialogue":[{"completion":{"reasoning_content":"","content":"<think>a</think>","message":{"think":"look","tool_call":[{"name":"find_product","parameters":{"q":"bag"},"tool_call_id":"abc","result":[]}],"response":"ok"}},"extra_info":{"step":1,"query":"find a bag","timestamp":1716000000000}}]}"#

    @Test func readsAndWritesTheReferenceShapeUnchanged() throws {
        let e = try Envelope(jsonLine: Self.line)
        #expect(e.problemID == "p-1" && e.status == .success && e.executionTime == 12.5)
        #expect(e.inferenceFailureCount == 0 && e.inferenceTotal == 4 && e.error == nil)
        #expect(e.jsonLine == Self.line)
        let step = try #require(e.steps?.first)
        #expect(step.think == "look" && step.response == "ok")
        #expect(step.toolCalls?.first?.name == "find_product")
        #expect(step.toolCalls?.first?.parameters?["q"] == "bag")
        #expect(step.toolCalls?.first?.toolCallID == "abc")
        #expect(step.timestamp == 1_716_000_000_000 && step.stepNumber == 1 && step.query == "find a bag")
        #expect(e.query == "find a bag")
    }

    @Test func failedAndTimedOutEnvelopes() throws {
        let t = try Envelope(
            jsonLine:
                #"{"problem_id":"p-2","status":"TIMED_OUT","execution_time":300.0,"inference_failure_count":null,"inference_total":null,"error":{"type":"TimeoutError","message":"Execution exceeded timeout of 300.0s"},"dialogue":null}"#
        )
        #expect(t.status == .timedOut && t.dialogue == nil && t.steps == nil)
        #expect(t.error == EnvelopeError(type: "TimeoutError", message: "Execution exceeded timeout of 300.0s"))
        #expect(t.status?.isKnown == true)
    }

    @Test func toleratesOddFieldsAndKeepsUnknownKeys() throws {
        let e = try Envelope(
            jsonLine: #"{"problem_id":7,"status":"EXPLODED","error":"ValueError: bad input","dialogue":{"not":"a list"},"worker":3,"query":"q"}"#)
        #expect(e.problemID == "7")
        #expect(e.status == EnvelopeStatus(rawValue: "EXPLODED") && e.status?.isKnown == false)
        #expect(e.error == EnvelopeError(type: "ValueError", message: "ValueError: bad input"))
        #expect(e.dialogue == ["not": "a list"] && e.steps == nil)
        #expect(e.extra.map(\.0) == ["worker", "query"])
        #expect(e.query == "q")
        #expect(e.jsonLine.hasSuffix(#""dialogue":{"not":"a list"},"worker":3,"query":"q"}"#))
        #expect(try Envelope(jsonLine: e.jsonLine) == e)
    }

    @Test("lines without a problem id are refused", arguments: [#"{"status":"SUCCESS"}"#, #"{"problem_id":""}"#, "[1]", "{"])
    func refused(line: String) {
        #expect(throws: EnvelopeDecodingError.self) { try Envelope(jsonLine: line) }
    }

    @Test func fileReportsBadLinesAndKeepsGoodOnes() {
        let text = Self.line + "\n\nnot json\n" + #"{"problem_id":"p-3","status":"FAILED"}"# + "\n"
        let f = EnvelopeFile(text: text)
        #expect(f.envelopes.map(\.problemID) == ["p-1", "p-3"])
        #expect(f.issues.map(\.line) == [3])
        #expect(EnvelopeFile(text: f.text).envelopes == f.envelopes)
    }

    @Test("error type heuristic for string errors", arguments: [
        ("KeyError: 'x'", "KeyError"), ("something broke: here", "RuntimeError"), ("no colon", "RuntimeError"),
        ("", "UnknownError"), ("_Private1: x", "_Private1"),
    ])
    func errorHeuristic(text: String, type: String) {
        #expect(EnvelopeError(describing: text).type == type)
    }

    @Test func accessorsReturnNilOnMalformedSteps() {
        for raw: JSONValue in ["text", ["completion": "x"], ["completion": ["message": [1]]], [:]] {
            let s = DialogueStep(raw: raw)
            #expect(s.message == nil && s.think == nil && s.toolCalls == nil && s.timestamp == nil)
        }
        let s = DialogueStep(raw: [
            "completion": ["message": ["think": 3, "tool_call": ["name": "x"]]], "extra_info": ["timestamp": -1],
        ])
        #expect(s.think == nil && s.rawToolCall == ["name": "x"] && s.toolCalls == nil)
        #expect(s.timestamp == nil && s.rawTimestamp == -1)
    }

    @Test func makeBuildsLikeTheReferenceHelper() {
        let step = DialogueStep.make(
            think: "t", toolCalls: [DialogueStep.call("terminate", [("status", "success")], result: "done")], query: "q", step: 2,
            timestamp: 5)
        #expect(step.message?.objectValue?.map(\.0) == ["think", "tool_call"])  // empty response omitted
        #expect(step.completion?["content"] == #"<think>t</think>\#n<tool_call>[{"name": "terminate", "parameters": {"status": "success"}}]</tool_call>"#)
        #expect(step.toolCalls?.first?.result == "done")
        #expect(step.stepNumber == 2 && step.timestamp == 5)
    }
}
