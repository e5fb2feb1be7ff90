import ArenaModel
import LLM
import Synchronization
import Testing
import ShopArenaTesting

@testable import Judge

/// A judge that hands out scripted results and counts how often it was asked.
final class ScriptedJudge: ReasoningJudge {
    private let state: Mutex<(results: [JudgeResult], calls: Int)>
    init(_ results: [JudgeResult]) { state = Mutex((results, 0)) }
    var calls: Int { state.withLock { $0.calls } }
    func judge(_ input: JudgeInput) async -> JudgeResult {
        state.withLock { s in
            s.calls += 1
            return s.results.isEmpty ? JudgeResult(outcome: .failure(.noModels)) : s.results.removeFirst()
        }
    }
}

func ok(_ score: Double, total: Int = 1, failed: Int = 0) -> JudgeResult {
    JudgeResult(outcome: .success(JudgeVerdict(score: score, explanation: "Gate", model: "m")), inferenceTotal: total, inferenceFailed: failed)
}

func broken(total: Int = 1) -> JudgeResult {
    JudgeResult(outcome: .failure(.exhausted(attempts: total, lastError: "HTTP 500")), inferenceTotal: total, inferenceFailed: total)
}

@Suite("Judge run tracking")
struct JudgeRunTrackerTests {
    let input = Fixtures.input(secondThought: Fixtures.comparing)

    @Test func circuitOpensAfterThreeConsecutiveTotalFailures() async {
        let tracker = JudgeRunTracker()
        let judge = ScriptedJudge([broken(), broken(), ok(0.9), broken(), broken(), broken(), ok(0.9)])
        var scores: [Double?] = []
        for i in 0..<8 {
            scores.append(await tracker.judge(problemID: "p\(i)", input, using: judge).score)
        }
        // The success at problem 2 resets the count; problems 3–5 open the circuit; 6 and 7 are not judged.
        #expect(scores == [0.0, 0.0, 0.9, 0.0, 0.0, 0.0, nil, nil])
        #expect(judge.calls == 6)
        #expect(tracker.isCircuitOpen)
        let s = tracker.summary
        #expect(s.circuitOpen)
        #expect(s.scoredProblems == 6)
        #expect(s.inferenceTotal == 6)
        #expect(s.inferenceFailed == 5)
        #expect(s.runFailureReason == "Reasoning judge infrastructure failure (5/6 calls failed)")
    }

    @Test func failedJudgesCountAsZeroInTheMean() {
        let tracker = JudgeRunTracker()
        tracker.record(problemID: "a", ok(0.9))
        tracker.record(problemID: "b", ok(0.9))
        let failed = tracker.record(problemID: "c", broken())
        #expect(failed.score == 0.0)
        #expect(failed.failureReason?.contains("HTTP 500") == true)
        let s = tracker.summary
        #expect(abs((s.reasoningQuality ?? -1) - 0.6) < 1e-12)
        // 0.3 + 0.6 × 0.7 / 0.8 = 0.825 (reference §3).
        #expect(s.reasoningCoefficient == 0.825)
        #expect(s.finalScore(successRate: 0.6) == 0.495)
    }

    @Test func reportShapesForProgressAndComplete() {
        let tracker = JudgeRunTracker()
        let good = tracker.record(problemID: "a", ok(0.7, total: 2, failed: 1))
        let bad = tracker.record(problemID: "b", broken(total: 1))
        #expect(good.summaryJSON == ["reasoning_explanation": "Gate", "reasoning_model": "m"])
        #expect(bad.summaryJSON["reasoning_explanation"]?.stringValue?.contains("HTTP 500") == true)
        #expect(bad.summaryJSON["reasoning_model"] == .null)
        let components = JSONValue.object(tracker.summary.scoreComponents)
        #expect(components["reasoning_quality"]?.numberValue == 0.35)
        // Python: round(0.3 + 0.35 * 0.7 / 0.8, 4) == 0.6062.
        #expect(components["reasoning_coefficient"]?.numberValue == 0.6062)
        #expect(components["judge_inference_failed"]?.intValue == 2)
        #expect(components["judge_inference_total"]?.intValue == 3)
    }

    @Test func ruleJudgeIsTheDefaultWithoutAModel() {
        #expect(Judges.make(llm: nil) is RuleJudge)
        #expect(Judges.make(llm: .init(baseURL: "http://127.0.0.1:1/v1", models: [])) is RuleJudge)
        #expect(Judges.make(llm: .init(baseURL: "http://127.0.0.1:1/v1", models: ["m"])) is LLMRubricJudge)
    }

    @Test func referenceCoefficientExamples() {
        let half = JudgeRunTracker()
        half.record(problemID: "a", ok(0.5))
        half.record(problemID: "b", ok(0.5))
        #expect(half.summary.reasoningCoefficient == 0.7375)
        let top = JudgeRunTracker()
        top.record(problemID: "a", ok(0.9))
        #expect(top.summary.reasoningCoefficient == 1.0)
        #expect(top.summary.finalScore(successRate: 0.6) == 0.6)
    }

    @Test func nothingJudgedLeavesTheScoreUndiscounted() {
        let s = JudgeRunTracker().summary
        #expect(s.reasoningQuality == nil)
        #expect(s.reasoningCoefficient == 1.0)
        #expect(!s.runShouldFail)
    }

    @Test(arguments: [
        (3, 2, true), (2, 2, false), (4, 2, false), (5, 3, true), (10, 5, false), (0, 0, false),
    ])
    func runFailsWhenMoreThanHalfOfAtLeastThreeCallsFailed(total: Int, failed: Int, fails: Bool) {
        let tracker = JudgeRunTracker()
        tracker.record(problemID: "a", ok(0.7, total: total, failed: failed))
        let s = tracker.summary
        #expect(s.runShouldFail == fails)
        if fails { #expect(s.runFailureReason == "Reasoning judge infrastructure failure (\(failed)/\(total) calls failed)") }
    }

    @Test func breakerTripsOnAFailingUpstream() async throws {
        let server = try await FaultyChatServer.start(fallback: .status(401, "invalid token"))
        let judge = makeJudge(server, sleeper: SleepRecorder())
        let tracker = JudgeRunTracker()
        var results: [ProblemJudgement] = []
        for i in 0..<5 { results.append(await tracker.judge(problemID: "p\(i)", input, using: judge)) }
        await server.shutdown()
        #expect(results.map(\.score) == [0.0, 0.0, 0.0, nil, nil])
        #expect(server.requests.count == 3)
        #expect(results[0].failureReason?.contains("HTTP 401") == true)
        #expect(tracker.summary.runFailureReason == "Reasoning judge infrastructure failure (3/3 calls failed)")
    }

    @Test func agreementCountsMatchesDifferencesAndTheMatrix() {
        var a = JudgeAgreement()
        a.add(first: 0.9, second: 0.9)
        a.add(first: 0.5, second: 0.7)
        a.add(first: 0.1, second: 0.5)
        a.add(first: 0.3, second: nil)
        #expect(a.compared == 3)
        #expect(a.failed == 1)
        #expect(a.exactMatchRate == 1.0 / 3.0)
        #expect(abs((a.meanAbsoluteDifference ?? 0) - 0.2) < 1e-12)
        #expect(a.matrix[4][4] == 1)
        #expect(a.matrix[2][3] == 1)
        #expect(a.matrix[0][2] == 1)
        #expect(a.matrix.flatMap { $0 }.reduce(0, +) == 3)
        let json = a.json()
        #expect(json["exact_match_rate"]?.numberValue == 0.3333)
        #expect(json["confusion_matrix"]?["counts"]?["0.5"]?["0.7"]?.intValue == 1)
    }
}
