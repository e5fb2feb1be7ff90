import ArenaModel
import Scoring
import Synchronization

/// The judge's result for one problem as the validator reports it.
public struct ProblemJudgement: Sendable, Hashable {
    /// The problem's reasoning score: the verdict's score, 0.0 when the judge failed, nil when the problem
    /// was not judged (circuit open).
    public var score: Double?
    public var explanation: String?
    public var model: String?
    public var inferenceTotal: Int
    public var inferenceFailed: Int
    /// Why there is no verdict, when there is none.
    public var failureReason: String?

    public init(
        score: Double?, explanation: String?, model: String?, inferenceTotal: Int, inferenceFailed: Int,
        failureReason: String?
    ) {
        self.score = score
        self.explanation = explanation
        self.model = model
        self.inferenceTotal = inferenceTotal
        self.inferenceFailed = inferenceFailed
        self.failureReason = failureReason
    }

    /// `score_components_summary` of a progress update: `{reasoning_explanation, reasoning_model}` (the
    /// failure reason stands in for the explanation when the judge failed).
    public var summaryJSON: JSONValue {
        .object([
            ("reasoning_explanation", (explanation ?? failureReason).map(JSONValue.string) ?? .null),
            ("reasoning_model", model.map(JSONValue.string) ?? .null),
        ])
    }
}

/// The run-level judge figures that go into `score_components`.
public struct JudgeRunSummary: Sendable, Hashable {
    /// `judge_inference_total`.
    public var inferenceTotal: Int
    /// `judge_inference_failed`.
    public var inferenceFailed: Int
    /// Problems with a score (failed judges included, as 0.0).
    public var scoredProblems: Int
    /// q: the mean problem score, nil when no problem has one.
    public var reasoningQuality: Double?
    /// From Scoring's ``ReasoningCoefficient``; 1.0 when no problem was judged (reasoning not assessed).
    public var reasoningCoefficient: Double
    public var circuitOpen: Bool
    /// Non-nil when the run must complete FAILED so another validator retries: at least 3 judge calls and
    /// more than half of them failed.
    public var runFailureReason: String?

    public var runShouldFail: Bool { runFailureReason != nil }

    /// The judge keys of a run's `score_components`, in the reference's order.
    public var scoreComponents: [(String, JSONValue)] {
        [
            ("reasoning_quality", reasoningQuality.map(JSONValue.double) ?? .null),
            ("reasoning_coefficient", .double(reasoningCoefficient)),
            ("judge_inference_failed", .int(Int64(inferenceFailed))),
            ("judge_inference_total", .int(Int64(inferenceTotal))),
        ]
    }

    /// `round(success_rate × coefficient, 4)`.
    public func finalScore(successRate: Double) -> Double {
        guard let q = reasoningQuality else { return ReasoningCoefficient.finalScore(successRate: successRate, meanJudgeScore: 1) }
        return ReasoningCoefficient.finalScore(successRate: successRate, meanJudgeScore: q)
    }
}

/// Judge bookkeeping for one evaluation run (`reference/oro-validator.md` §4, "Validator use"):
/// per-problem scores, the judge's inference counts, and a circuit breaker that stops judging after
/// ``breakerThreshold`` consecutive problems on which the judge failed entirely. Safe to share between
/// the concurrent scoring tasks of a run; create one per run (nothing is carried across runs).
public final class JudgeRunTracker: Sendable {
    private struct State {
        var scores: [String: Double] = [:]
        var total = 0
        var failed = 0
        var consecutiveFailures = 0
        var circuitOpen = false
    }

    public let breakerThreshold: Int
    /// Judge calls at and above which the failure ratio can fail the run.
    public let minimumCallsForRunFailure: Int
    private let state = Mutex(State())

    public init(breakerThreshold: Int = 3, minimumCallsForRunFailure: Int = 3) {
        self.breakerThreshold = breakerThreshold
        self.minimumCallsForRunFailure = minimumCallsForRunFailure
    }

    /// Whether judging has been stopped for this run.
    public var isCircuitOpen: Bool { state.withLock { $0.circuitOpen } }

    /// Judges one problem with `judge` unless the circuit is open, and records the result.
    public func judge(problemID: String, _ input: JudgeInput, using judge: any ReasoningJudge) async -> ProblemJudgement {
        if isCircuitOpen { return Self.skipped }
        let result = await judge.judge(input)
        return record(problemID: problemID, result)
    }

    /// Records a judge result for a problem (a later result for the same problem replaces the score).
    @discardableResult
    public func record(problemID: String, _ result: JudgeResult) -> ProblemJudgement {
        state.withLock { s in
            s.total += result.inferenceTotal
            s.failed += result.inferenceFailed
            switch result.outcome {
            case .success(let v):
                s.consecutiveFailures = 0
                s.scores[problemID] = v.score
                return ProblemJudgement(
                    score: v.score, explanation: v.explanation, model: v.model, inferenceTotal: result.inferenceTotal,
                    inferenceFailed: result.inferenceFailed, failureReason: nil)
            case .failure(let f):
                s.consecutiveFailures += 1
                if s.consecutiveFailures >= breakerThreshold { s.circuitOpen = true }
                s.scores[problemID] = 0.0
                return ProblemJudgement(
                    score: 0.0, explanation: nil, model: nil, inferenceTotal: result.inferenceTotal,
                    inferenceFailed: result.inferenceFailed, failureReason: f.description)
            }
        }
    }

    public var summary: JudgeRunSummary {
        state.withLock { s in
            let q = s.scores.isEmpty ? nil : s.scores.values.reduce(0, +) / Double(s.scores.count)
            var reason: String?
            if s.total >= minimumCallsForRunFailure && s.failed * 2 > s.total {
                reason = "Reasoning judge infrastructure failure (\(s.failed)/\(s.total) calls failed)"
            }
            return JudgeRunSummary(
                inferenceTotal: s.total, inferenceFailed: s.failed, scoredProblems: s.scores.count, reasoningQuality: q,
                reasoningCoefficient: q.map { ReasoningCoefficient.coefficient(meanJudgeScore: $0) } ?? 1.0,
                circuitOpen: s.circuitOpen, runFailureReason: reason)
        }
    }

    static let skipped = ProblemJudgement(
        score: nil, explanation: nil, model: nil, inferenceTotal: 0, inferenceFailed: 0,
        failureReason: "judging stopped for this run after consecutive judge failures")
}
