import ArenaModel

/// Whether the validator's own inference provider was unavailable for a whole run (issue 19): then the run is not
/// the miner's 0 but the validator's failure, and it completes FAILED with ``RunFailureReasons/inferenceUnavailable``
/// so the backend hands it to another validator instead of counting it.
///
/// Read from the trusted proxy call logs of every problem (never from the agent's own counters): a call counts as an
/// attempt when the proxy forwarded it to the provider (``ProxyCallRecord/upstream`` set), and as an upstream failure
/// when the provider did not answer (timeout, connection) or answered 5xx, 401, 402 or 429. Calls the proxy refused
/// itself (a model outside the allowlist, a malformed request) are the agent's doing and are not attempts; an agent
/// that never calls the LLM makes no attempt and never triggers it.
public struct InferenceAvailability: Sendable, Equatable {
    /// Inference calls of the run that reached the provider.
    public var attempts = 0
    /// Those the provider failed.
    public var upstreamFailures = 0

    /// A tally with the given counts (none by default).
    public init(attempts: Int = 0, upstreamFailures: Int = 0) {
        self.attempts = attempts
        self.upstreamFailures = upstreamFailures
    }

    /// Tallies the proxy call logs attached to `envelopes` (``Envelope/proxyCalls``).
    public init(envelopes: [Envelope]) {
        self.init()
        for envelope in envelopes {
            for call in envelope.proxyCalls?.arrayValue ?? [] {
                guard let record = ProxyCallRecord(json: call), record.isInference, record.reachedUpstream else { continue }
                attempts += 1
                if record.isUpstreamFailure { upstreamFailures += 1 }
            }
        }
    }

    /// At least one attempt, and every attempt failed at the provider.
    public var isUnavailable: Bool { attempts > 0 && upstreamFailures == attempts }
}
