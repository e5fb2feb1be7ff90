import ArenaModel
import Testing

/// The failure classification and the retry decisions of the fair work queue (issue 13).
@Suite("Run retry policy")
struct RunRetryPolicyTests {
    @Test func reasonsAreClassifiedByWhatCanCureThem() {
        // Ours, and the reference validator's wording (oro-validator.md §7).
        #expect(RunFailureReasons.classify(RunFailureReasons.noInferenceToken) == .minerCredential)
        #expect(RunFailureReasons.classify("Miner has no Chutes token — cannot fund inference") == .minerCredential)
        #expect(RunFailureReasons.classify("Chutes token invalid or expired (HTTP 401)") == .minerCredential)
        #expect(RunFailureReasons.classify("Miner's Chutes account has no credits (HTTP 402)") == .minerCredential)
        #expect(RunFailureReasons.classify(RunFailureReasons.noProblems) == .permanent)
        #expect(RunFailureReasons.classify(RunFailureReasons.unreadableProblem("p-1")) == .permanent)
        #expect(RunFailureReasons.classify(RunFailureReasons.validatorShutDown) == .validatorGaveBack)
        #expect(RunFailureReasons.classify(RunFailureReasons.evaluationCancelled) == .validatorGaveBack)
        // Anything else, and no reason at all, may be cured by another try.
        #expect(RunFailureReasons.classify("Sandbox execution failed") == .curable)
        #expect(RunFailureReasons.classify("judge inference failed on 30 of 30 problems") == .curable)
        #expect(RunFailureReasons.classify("could not fetch the run's code or problems: timeout") == .curable)
        #expect(RunFailureReasons.classify(nil) == .curable)
        #expect(RunFailureReasons.classify("") == .curable)
        // A reason that merely mentions a problem is not a broken suite.
        #expect(RunFailureReasons.classify("problem 7 crashed the sandbox") == .curable)
    }

    @Test func curableFailuresRetryOnceAtOnceThenDoubleToTheCapAndParkAtTheLimit() {
        let policy = RunRetryPolicy(baseDelaySeconds: 30, maxDelaySeconds: 100, attemptLimit: 5, uncurableAttemptLimit: 3)
        let decisions = (1...5).map { policy.decision(after: .curable, consecutiveFailures: $0) }
        #expect(decisions == [.retry(delayMillis: 0), .retry(delayMillis: 30_000), .retry(delayMillis: 60_000),
                              .retry(delayMillis: 100_000), .park])
    }

    @Test func uncurableFailuresBackOffFromTheFirstAndParkEarlier() {
        let policy = RunRetryPolicy.default
        for kind in [RunFailureKind.minerCredential, .permanent] {
            let decisions = (1...3).map { policy.decision(after: kind, consecutiveFailures: $0) }
            #expect(decisions == [.retry(delayMillis: 60_000), .retry(delayMillis: 120_000), .park])
        }
        // The overall limit applies when it is the lower one.
        let strict = RunRetryPolicy(baseDelaySeconds: 1, maxDelaySeconds: 1, attemptLimit: 2, uncurableAttemptLimit: 5)
        #expect(strict.decision(after: .permanent, consecutiveFailures: 2) == .park)
        #expect(policy.decision(after: .validatorGaveBack, consecutiveFailures: 99) == .ignore)
        // Huge attempt counts never overflow the delay.
        let lenient = RunRetryPolicy(baseDelaySeconds: 60, maxDelaySeconds: 3600, attemptLimit: 1000, uncurableAttemptLimit: 1000)
        #expect(lenient.decision(after: .curable, consecutiveFailures: 900) == .retry(delayMillis: 3_600_000))
    }

    @Test func parametersAreValidated() throws {
        try RunRetryPolicy.default.validate()
        #expect(throws: PolicyError.self) { try RunRetryPolicy(baseDelaySeconds: -1).validate() }
        #expect(throws: PolicyError.self) { try RunRetryPolicy(baseDelaySeconds: 10, maxDelaySeconds: 5).validate() }
        #expect(throws: PolicyError.self) { try RunRetryPolicy(attemptLimit: 0).validate() }
    }

    /// Issue 19: the validator's own provider failing the whole run is neither the miner's nor the item's failure.
    @Test func inferenceUnavailableIsReassignedAwayFromTheValidatorAndNeverCounted() throws {
        #expect(RunFailureReasons.classify(RunFailureReasons.inferenceUnavailable) == .inferenceUnavailable)
        #expect(RunFailureReasons.classify("INFERENCE_UNAVAILABLE") == .inferenceUnavailable)
        // The miner's credential refused at the claim-time check stays the miner's.
        #expect(RunFailureReasons.classify("Chutes token invalid or expired (HTTP 401)") == .minerCredential)
        let policy = RunRetryPolicy(avoidValidatorSeconds: 90)
        for n in [1, 2, 50] {
            #expect(policy.decision(after: .inferenceUnavailable, consecutiveFailures: n) == .reassign(avoidMillis: 90_000))
        }
        #expect(RunRetryPolicy.default.decision(after: .inferenceUnavailable, consecutiveFailures: 1)
            == .reassign(avoidMillis: 1_800_000))
        #expect(throws: PolicyError.self) { try RunRetryPolicy(avoidValidatorSeconds: -1).validate() }
    }

    /// The proxy's note of how the provider answered: only its own failures count as such.
    @Test func upstreamOutcomesTellProviderFailuresFromAnswers() {
        for status in [500, 502, 503, 504, 401, 402, 429] {
            #expect(ProxyCallRecord.upstreamOutcome(status: status) == "http_\(status)")
        }
        for status in [200, 400, 404, 422] {
            #expect(ProxyCallRecord.upstreamOutcome(status: status) == ProxyCallRecord.answered)
        }
        let failed = ProxyCallRecord(timestamp: 1, method: "POST", path: "/inference/chat/completions", model: "m", status: 502,
                                     durationMs: 1, upstream: ProxyCallRecord.unreachable)
        #expect(failed.reachedUpstream && failed.isUpstreamFailure)
        #expect(ProxyCallRecord(json: failed.json) == failed)
        let refused = ProxyCallRecord(timestamp: 1, method: "POST", path: "/inference/chat/completions", model: "x", status: 403,
                                      durationMs: 1)
        #expect(!refused.reachedUpstream && !refused.isUpstreamFailure)
        #expect(refused.json["upstream"] == nil)
    }
}
