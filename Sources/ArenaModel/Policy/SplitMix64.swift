/// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference C): a tiny PRNG whose output depends only on
/// its 64-bit state, on every platform and Swift version — unlike `SystemRandomNumberGenerator` or the
/// unspecified algorithms behind `shuffled()`/`randomElement()`. Used wherever a recorded seed must
/// reproduce a draw. Not cryptographic.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    public var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound (bound > 0), unbiased by rejecting the top partial range: draws
    /// below 2^64 mod bound are discarded.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        let reject = (0 &- bound) % bound  // 2^64 mod bound
        while true {
            let r = next()
            if r >= reject { return r % bound }
        }
    }
}
