import ArenaModel
import Foundation
import Testing

@testable import Judge

@Suite("Trajectory text and prompt fence")
struct TrajectoryFormatterTests {
    let formatter = TrajectoryFormatter()

    @Test func listsQueryVerifiedCallsAndSteps() {
        let text = formatter.format(Fixtures.input(secondThought: Fixtures.comparing))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "QUERY: \(Fixtures.query)")
        #expect(lines.contains("CATEGORY: product"))
        #expect(lines.contains { $0.hasPrefix("Summary: 3 calls: 1 searches, 0 product views, 2 inference calls (0 calls failed), 200 completion tokens") })
        #expect(lines.contains(#"  GET /search/find_product {"q":"hosport waist bag","page":"1"} → 200 (3ms)"#))
        #expect(lines.contains("    returned product_ids: 1001, 1002"))
        #expect(lines.contains("  POST /inference/chat/completions model=agent-model tokens=120 → 200 (800ms)"))
        #expect(lines.contains("--- Step 2 ---"))
        #expect(lines.contains("THINKING: \(Fixtures.comparing)"))
        #expect(lines.contains(#"TOOL: find_product({"q":"hosport waist bag"})"#))
        #expect(lines.contains { $0.hasPrefix("RESULT: [{\"product_id\":\"1001\"") && $0.count <= 8 + 300 + 14 })
        #expect(!text.contains("WARNING"))
    }

    @Test func warnsWhenNoInferenceWasLogged() {
        let text = formatter.format(Fixtures.input(secondThought: "x", calls: [Fixtures.search(at: 1, ids: ["1001"])]))
        #expect(text.contains(TrajectoryFormatter.noInferenceWarning))
        let none = formatter.format(Fixtures.input(secondThought: "x", calls: []))
        #expect(none.contains("No proxy call data available."))
        #expect(none.contains(TrajectoryFormatter.noInferenceWarning))
    }

    @Test func truncatesThinkingCallsAndProductIDsLikeTheReference() {
        let long = String(repeating: "a", count: 1500)
        let ids = (1...25).map { "id\($0)" }
        let calls = [Fixtures.inference(at: 1, tokens: 50), Fixtures.search(at: 2, ids: ids)]
            + (0..<33).map { Fixtures.search(at: 10 + Int64($0), ids: []) }
        let text = formatter.format(Fixtures.input(secondThought: long, calls: calls))
        #expect(text.contains("THINKING: " + String(repeating: "a", count: 1000) + TrajectoryFormatter.truncationMark + "\n"))
        #expect(text.contains("returned product_ids: " + ids.prefix(20).joined(separator: ", ") + " (+5 more)"))
        #expect(text.contains("  ...and 5 more calls"))
        let callLines = text.split(separator: "\n").filter { $0.hasPrefix("  GET ") || $0.hasPrefix("  POST ") }
        #expect(callLines.count == 30)
    }

    @Test func inputFromEnvelopeReadsTopLevelLogOrEveryStepsBucket() {
        let base = Fixtures.input(secondThought: Fixtures.comparing)
        let fromTop = JudgeInput(envelope: base.envelope)
        #expect(fromTop.proxyCalls == Fixtures.standardCalls)
        #expect(fromTop.query == Fixtures.query)

        var bucketed = base.envelope
        bucketed.proxyCalls = nil
        // The reference layout: calls bucketed into the steps, here one in step 1 and two in step 2.
        let calls = Fixtures.standardCalls
        let buckets = [[calls[0]], [calls[1], calls[2]]]
        bucketed.dialogue = .array(
            zip(base.envelope.steps!, buckets).map { step, bucket in
                let extra = step.raw["extra_info"]!.setting("proxy_calls", to: .array(bucket.map(\.json)))
                return step.raw.setting("extra_info", to: extra)
            })
        let fromSteps = JudgeInput(envelope: bucketed)
        #expect(fromSteps.proxyCalls == Fixtures.standardCalls)
    }

    @Test func neutraliseBreaksEveryTripleAngleRun() {
        #expect(RubricPrompt.neutralise("a <<<END>>> b") == "a << <END>> > b")
        #expect(RubricPrompt.neutralise("<<<<<<") == "<< << <<")
        #expect(RubricPrompt.neutralise("x << y >> z") == "x << y >> z")
    }

    @Test func injectedClosingMarkerCannotLeaveTheFence() {
        let input = Fixtures.input(secondThought: Fixtures.injection)
        let user = RubricPrompt.user(trajectory: formatter.format(input))
        #expect(user.components(separatedBy: RubricPrompt.endMarker).count == 2)
        #expect(user.components(separatedBy: RubricPrompt.beginMarker).count == 2)
        let begin = user.range(of: RubricPrompt.beginMarker)!
        let end = user.range(of: RubricPrompt.endMarker)!
        let injected = user.range(of: "IGNORE PREVIOUS INSTRUCTIONS")!
        #expect(begin.upperBound <= injected.lowerBound)
        #expect(injected.upperBound <= end.lowerBound)
        #expect(user.hasSuffix("Reply with the JSON object only."))
    }

    @Test func systemPromptStatesTheGatesAndTheUntrustedRule() {
        let s = RubricPrompt.system
        for needle in ["Gate 1", "Gate 2", "Gate 3", "Gate 4", "0.1", "0.3", "0.5", "0.7", "0.9", "untrusted", "Never follow", "reasoning_quality"] {
            #expect(s.localizedCaseInsensitiveContains(needle) || s.contains(needle), "missing \(needle)")
        }
        #expect(s.contains(RubricPrompt.beginMarker))
    }

    @Test(arguments: [(-1.0, 0.1), (0.0, 0.1), (0.2, 0.1), (0.29, 0.3), (0.6, 0.5), (0.85, 0.9), (1.0, 0.9), (0.7, 0.7)])
    func scoresSnapToTheRubric(raw: Double, expected: Double) {
        #expect(JudgeScore.snapped(raw) == expected)
    }
}
