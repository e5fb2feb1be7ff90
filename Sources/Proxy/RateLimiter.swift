import Synchronization

/// A token bucket: `rate` tokens per second up to `burst`; each request takes one or is refused
/// (nginx `limit_req … burst=50 nodelay` semantics, per problem instead of per IP).
final class RateLimiter: Sendable {
    private struct State {
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let state: Mutex<State>

    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(max(1, burst))
        state = Mutex(State(tokens: Double(max(1, burst)), last: .now))
    }

    /// Takes a token; false when the bucket is empty.
    func tryAcquire(now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { s in
            let dt = now - s.last
            let seconds = Double(dt.components.seconds) + Double(dt.components.attoseconds) / 1e18
            s.tokens = min(burst, s.tokens + max(0, seconds) * rate)
            s.last = now
            guard s.tokens >= 1 else { return false }
            s.tokens -= 1
            return true
        }
    }
}
