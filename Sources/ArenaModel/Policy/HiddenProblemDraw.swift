/// The hidden problems of one race: `count` ids drawn from the hidden bank with a recorded seed
/// (`problem_seed` in the admin diagnostics), reproducible by anyone holding the bank and the seed.
///
/// Algorithm (fixed; changing it changes every past draw): take the distinct bank ids in byte-wise
/// ascending order, run a partial Fisher–Yates shuffle driven by `SplitMix64(seed)` — for i in 0..<count,
/// swap position i with i + next(below: n − i) — and keep the first `count` ids in draw order. The
/// bank's input order and duplicates do not matter.
public struct HiddenProblemDraw: Sendable, Hashable {
    public var seed: UInt64
    /// The drawn problem ids, in draw order.
    public var problemIDs: [String]

    public init(bank: [String], count: Int, seed: UInt64) throws(PolicyError) {
        var pool = Array(Set(bank)).sorted(by: idPrecedes)
        guard count >= 1, count <= pool.count else {
            throw .drawCountOutOfRange(requested: count, available: pool.count)
        }
        var rng = SplitMix64(seed: seed)
        for i in 0..<count {
            let j = i + Int(rng.next(below: UInt64(pool.count - i)))
            pool.swapAt(i, j)
        }
        self.seed = seed
        self.problemIDs = Array(pool.prefix(count))
    }

    /// A fresh seed for a new race, taken from `generator` (the system generator by default), to be
    /// recorded with the race.
    public static func makeSeed<G: RandomNumberGenerator>(using generator: inout G) -> UInt64 {
        generator.next()
    }

    public static func makeSeed() -> UInt64 {
        var g = SystemRandomNumberGenerator()
        return makeSeed(using: &g)
    }
}
