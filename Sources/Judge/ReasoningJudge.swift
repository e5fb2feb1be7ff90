import ArenaModel

/// What a judge looks at for one problem: the problem's query and category, the envelope the sandbox
/// wrote, and the trusted call log the proxy wrote for that problem.
public struct JudgeInput: Sendable {
    public var query: String
    public var category: ProblemCategory?
    public var envelope: Envelope
    /// The proxy's log of this problem, in time order. Never the agent's own request log.
    public var proxyCalls: [ProxyCallRecord]

    public init(query: String, category: ProblemCategory?, envelope: Envelope, proxyCalls: [ProxyCallRecord]) {
        self.query = query
        self.category = category
        self.envelope = envelope
        self.proxyCalls = proxyCalls.sorted { $0.timestamp < $1.timestamp }
    }

    /// Builds the input from an envelope alone (as `shoparena eval` writes it): the proxy log is the
    /// top-level `proxy_calls` ShopArena's sandbox attaches, else the calls bucketed into the steps'
    /// `extra_info.proxy_calls` (the reference layout, read from **all** steps); the query is the given
    /// one, else the envelope's.
    public init(envelope: Envelope, query: String? = nil, category: ProblemCategory? = nil) {
        let calls: [ProxyCallRecord]
        if let top = envelope.proxyCalls?.arrayValue {
            calls = top.compactMap(ProxyCallRecord.init(json:))
        } else {
            calls = (envelope.steps ?? []).flatMap { ($0.proxyCalls ?? []).compactMap(ProxyCallRecord.init(json:)) }
        }
        self.init(query: query ?? envelope.query ?? "", category: category, envelope: envelope, proxyCalls: calls)
    }
}

/// The five scores the rubric allows, one per gate outcome.
public enum JudgeScore {
    /// 0.1 (gate 1 failed), 0.3, 0.5, 0.7, 0.9 (all gates passed).
    public static let allowed: [Double] = [0.1, 0.3, 0.5, 0.7, 0.9]

    /// The allowed score nearest to `value` (clamped to 0…1 first; ties go to the lower score).
    public static func snapped(_ value: Double) -> Double {
        let v = value.isNaN ? 0 : min(1, max(0, value))
        var best = allowed[0]
        for s in allowed where abs(s - v) < abs(best - v) - 1e-12 { best = s }
        return best
    }

    /// The score a judge gives when gate `n` (1…4) is the first to fail; `nil` (all passed) gives 0.9.
    public static func forFirstFailedGate(_ n: Int?) -> Double {
        guard let n else { return 0.9 }
        return allowed[max(0, min(3, n - 1))]
    }
}

/// A judge's verdict on one trajectory.
public struct JudgeVerdict: Sendable, Hashable {
    /// One of ``JudgeScore/allowed``.
    public var score: Double
    /// "Gate N passed|failed: …".
    public var explanation: String
    /// The LLM that gave the verdict; nil for the rule judge.
    public var model: String?

    public init(score: Double, explanation: String, model: String? = nil) {
        self.score = score
        self.explanation = explanation
        self.model = model
    }
}

/// Why a judge gave no verdict. The description is what goes into logs and failure reasons.
public enum JudgeFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No judge model is configured.
    case noModels
    /// The upstream rejected the credentials (401/403); retrying cannot help.
    case unauthorized(status: Int, model: String)
    /// Every configured model answered something that is not a verdict.
    case allModelsUnparseable(models: [String])
    /// All attempts failed; `lastError` is the last one.
    case exhausted(attempts: Int, lastError: String)
    /// The judge could not be set up (e.g. an invalid base URL).
    case misconfigured(String)
    /// The task was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .noModels: return "no judge model is configured"
        case .unauthorized(let status, let model):
            return "the judge upstream rejected the key (HTTP \(status)) for model \(model); check the judge API key"
        case .allModelsUnparseable(let models):
            return "no judge model gave a parseable verdict (tried \(models.joined(separator: ", ")))"
        case .exhausted(let attempts, let last): return "the judge failed \(attempts) attempts; last error: \(last)"
        case .misconfigured(let why): return "the judge is misconfigured: \(why)"
        case .cancelled: return "judging was cancelled"
        }
    }
}

/// The outcome of judging one problem, with the judge's own inference bookkeeping.
public struct JudgeResult: Sendable, Hashable {
    public var outcome: Result<JudgeVerdict, JudgeFailure>
    /// Chat requests the judge made for this problem.
    public var inferenceTotal: Int
    /// Of those, requests that gave no verdict (HTTP errors, timeouts, unparseable answers).
    public var inferenceFailed: Int

    public init(outcome: Result<JudgeVerdict, JudgeFailure>, inferenceTotal: Int = 0, inferenceFailed: Int = 0) {
        self.outcome = outcome
        self.inferenceTotal = inferenceTotal
        self.inferenceFailed = inferenceFailed
    }

    public var verdict: JudgeVerdict? {
        if case .success(let v) = outcome { return v }
        return nil
    }

    public var failure: JudgeFailure? {
        if case .failure(let f) = outcome { return f }
        return nil
    }
}

/// Grades the reasoning of one trajectory on the four-gate rubric (0.1 / 0.3 / 0.5 / 0.7 / 0.9).
///
/// Implementations never throw: a judge that cannot decide returns a failure in ``JudgeResult``, which
/// ``JudgeRunTracker`` turns into the run-level bookkeeping.
public protocol ReasoningJudge: Sendable {
    func judge(_ input: JudgeInput) async -> JudgeResult
}

/// Picks the judge a run uses.
public enum Judges {
    /// The LLM rubric judge when a configuration with at least one model is given, else the rule judge
    /// (the offline default).
    public static func make(llm: LLMRubricJudgeConfiguration?) -> any ReasoningJudge {
        guard let llm, !llm.models.isEmpty else { return RuleJudge() }
        return LLMRubricJudge(configuration: llm)
    }
}
