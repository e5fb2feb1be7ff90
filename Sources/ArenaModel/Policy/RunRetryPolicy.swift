/// Whether another evaluation attempt can cure a run's failure. The work queue decides from it how soon (and
/// whether) a work item is handed out again after a FAILED or TIMED_OUT run.
public enum RunFailureKind: String, Sendable, CaseIterable {
    /// Another try, by another validator or a little later, may well succeed: a sandbox crash, a judge
    /// outage, a download error, a whole-run timeout.
    case curable = "CURABLE"
    /// Only the miner can cure it: no inference credential, or the provider refused it (expired, no credits).
    /// The item resumes as soon as the miner stores a new credential.
    case minerCredential = "MINER_CREDENTIAL"
    /// No retry can change it: the run's problems cannot be served. Needs an operator (or a resubmission).
    case permanent = "PERMANENT"
    /// The validator handed the run back (it shut down, it was cancelled): not a failure of the work item.
    case validatorGaveBack = "VALIDATOR_GAVE_BACK"
    /// The validator's own inference provider failed every call of the run (``RunFailureReasons/inferenceUnavailable``):
    /// not the miner's failure and not counted; another validator takes the item at once.
    case inferenceUnavailable = "INFERENCE_UNAVAILABLE"

    /// What a miner reads next to a parked or delayed evaluation.
    public var remedy: String {
        switch self {
        case .curable: return "the arena retries it automatically"
        case .minerCredential: return "connect a working inference credential (oro inference connect / oro submit); the evaluation resumes by itself"
        case .permanent: return "an operator has to re-evaluate this version"
        case .validatorGaveBack: return "the arena retries it at once"
        case .inferenceUnavailable: return "the arena hands it to another validator at once"
        }
    }
}

/// The failure reasons ShopArena's validator reports for runs that cannot fund or serve an evaluation. The
/// classifier also knows the reference validator's wording, so runs failed by ORO validators are classified
/// the same way.
public enum RunFailureReasons {
    public static let noInferenceToken = "Miner has no inference token — cannot fund inference"
    public static let noProblems = "the run has no problems"
    public static let validatorShutDown = "validator shut down during the evaluation"
    public static let evaluationCancelled = "evaluation cancelled"
    /// The validator's own inference provider failed every inference call of the run (timeouts, 5xx, 401/402, quota)
    /// and none succeeded: the run says nothing about the agent (issue 19).
    public static let inferenceUnavailable = "inference_unavailable"

    /// A run whose problem cannot be decoded (the suite row is broken).
    public static func unreadableProblem(_ problemID: String) -> String {
        "problem \(problemID) of the run cannot be read"
    }

    /// Classifies a FAILED/TIMED_OUT run from its reason text (case-insensitive). Unknown reasons, and a
    /// missing one, are curable: a retry is the safe default, the attempt limit bounds it.
    public static func classify(_ reason: String?) -> RunFailureKind {
        guard let text = reason?.lowercased(), !text.isEmpty else { return .curable }
        if text.hasPrefix(inferenceUnavailable) { return .inferenceUnavailable }
        if gaveBack.contains(where: { text.hasPrefix($0) }) { return .validatorGaveBack }
        if minerCredential.contains(where: { text.contains($0) }) { return .minerCredential }
        if permanentPrefixes.contains(where: { text.hasPrefix($0) })
            || (text.hasPrefix("problem ") && text.hasSuffix(" of the run cannot be read"))
        {
            return .permanent
        }
        return .curable
    }

    static let gaveBack = [validatorShutDown, evaluationCancelled].map { $0.lowercased() }
    /// Ours and the reference validator's (oro-validator.md §7: no token, 401, 402).
    static let minerCredential = [
        "no inference token", "no chutes token", "no inference credential", "token invalid or expired",
        "account has no credits", "inference credential was refused",
    ]
    static let permanentPrefixes = [noProblems.lowercased()]
}

/// How the work queue treats failed runs: exponential back-off between attempts and a limit after which the
/// work item is parked with its reason instead of being handed out again and again.
///
/// Counted failures are consecutive (an included SUCCESS on the item resets them). After the n-th one:
/// - a curable failure is retried at once the first time (a flaky validator should not delay anyone), then
///   after `baseDelaySeconds × 2^(n-2)`; at `attemptLimit` the item is parked;
/// - a failure no retry can cure (miner credential, permanent) waits `baseDelaySeconds × 2^(n-1)` from the
///   first one, and the item is parked at `uncurableAttemptLimit`;
/// - the validator's inference provider being unavailable counts nothing: the item is ready at once for any other
///   validator, and the one that failed it may not claim it again for `avoidValidatorSeconds`;
/// - every delay is capped at `maxDelaySeconds`; a validator handing the run back counts nothing.
public struct RunRetryPolicy: Sendable, Hashable {
    public var baseDelaySeconds: Double
    public var maxDelaySeconds: Double
    /// Consecutive failures of any kind before the item is parked.
    public var attemptLimit: Int
    /// Consecutive failures before an item whose last failure no retry can cure is parked.
    public var uncurableAttemptLimit: Int
    /// How long a validator whose inference provider was unavailable for a run may not claim that run's item again.
    public var avoidValidatorSeconds: Double

    public static let `default` = RunRetryPolicy()

    public init(baseDelaySeconds: Double = 60, maxDelaySeconds: Double = 3600, attemptLimit: Int = 8,
                uncurableAttemptLimit: Int = 3, avoidValidatorSeconds: Double = 1800) {
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.attemptLimit = attemptLimit
        self.uncurableAttemptLimit = uncurableAttemptLimit
        self.avoidValidatorSeconds = avoidValidatorSeconds
    }

    /// What happens to a work item after its `consecutiveFailures`-th counted failure (1-based).
    public enum Decision: Sendable, Hashable {
        /// Hand it out again once `delayMillis` have passed (0: at once, keeping its place in the queue).
        case retry(delayMillis: Int64)
        /// Stop handing it out; the reason is shown to the miner.
        case park
        /// Not a failure of the item: change nothing.
        case ignore
        /// Not a failure of the item: hand it to another validator at once, not to this one for `avoidMillis`.
        case reassign(avoidMillis: Int64)
    }

    public func decision(after kind: RunFailureKind, consecutiveFailures n: Int) -> Decision {
        switch kind {
        case .validatorGaveBack:
            return .ignore
        case .inferenceUnavailable:
            return .reassign(avoidMillis: Int64((max(0, avoidValidatorSeconds) * 1000).rounded()))
        case .curable:
            if n >= attemptLimit { return .park }
            return .retry(delayMillis: n <= 1 ? 0 : delay(exponent: n - 2))
        case .minerCredential, .permanent:
            if n >= min(uncurableAttemptLimit, attemptLimit) { return .park }
            return .retry(delayMillis: delay(exponent: n - 1))
        }
    }

    func delay(exponent: Int) -> Int64 {
        let seconds = min(maxDelaySeconds, baseDelaySeconds * Double(1 << min(max(exponent, 0), 30)))
        return Int64((max(0, seconds) * 1000).rounded())
    }

    /// Checks the parameters' ranges; call it when loading configuration.
    public func validate() throws(PolicyError) {
        if !(baseDelaySeconds >= 0 && baseDelaySeconds.isFinite) { throw .invalidParameter("retry base_delay_seconds must be ≥ 0") }
        if !(maxDelaySeconds >= baseDelaySeconds && maxDelaySeconds.isFinite) {
            throw .invalidParameter("retry max_delay_seconds must be ≥ base_delay_seconds")
        }
        if attemptLimit < 1 || uncurableAttemptLimit < 1 { throw .invalidParameter("retry attempt limits must be ≥ 1") }
        if !(avoidValidatorSeconds >= 0 && avoidValidatorSeconds.isFinite) {
            throw .invalidParameter("retry avoid_validator_seconds must be ≥ 0")
        }
    }
}
