/// Exponential back-off with jitter: 5 s doubling to 300 s by default; `reset()` after a success.
public struct Backoff: Sendable {
    /// The first delay, seconds.
    public var initial: Double
    /// The largest delay, seconds.
    public var maximum: Double
    private(set) var failures = 0

    /// A back-off starting at `initial` seconds and doubling up to `maximum`.
    public init(initial: Double = 5, maximum: Double = 300) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The next delay in seconds: the capped exponential step scaled by a random factor in [0.5, 1].
    public mutating func next() -> Double {
        let step = min(maximum, initial * Double(1 << min(failures, 20)))
        failures += 1
        return step * Double.random(in: 0.5...1)
    }

    /// Starts over at `initial` (after a success).
    public mutating func reset() { failures = 0 }
}
