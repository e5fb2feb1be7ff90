/// Exponential back-off with jitter: 5 s doubling to 300 s by default; `reset()` after a success.
public struct Backoff: Sendable {
    public var initial: Double
    public var maximum: Double
    private(set) var failures = 0

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

    public mutating func reset() { failures = 0 }
}
