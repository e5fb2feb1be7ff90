import ArenaModel

/// A counter-based random source: every stream is a pure function of `(seed, layer, index, field)`,
/// so product *i* of a catalog never depends on the products generated before it (nested scales,
/// sharding). Inside one stream draws are steps of ArenaModel's `SplitMix64`, keyed by those coordinates.
public struct RandomStream: Sendable {
    private var generator: SplitMix64

    /// The layers of the generator, so streams of different purposes never coincide.
    public enum Layer: UInt64, Sendable {
        case filler = 1, anchor, negative, decoy, companion, layout, identity, shop, suite, voucher
    }

    public init(seed: UInt64, layer: Layer, index: UInt64, field: UInt64 = 0) {
        generator = SplitMix64(seed: RandomStream.key(seed: seed, layer: layer, index: index, field: field))
    }

    /// Hashes the coordinates of a stream into one 64-bit key (three rounds of the SplitMix finalizer).
    public static func key(seed: UInt64, layer: Layer, index: UInt64, field: UInt64 = 0) -> UInt64 {
        var h = StableID.mix(seed ^ (layer.rawValue &* 0xD6E8_FEB8_6659_FD93))
        h = StableID.mix(h ^ index)
        return StableID.mix(h ^ (field &* 0xA076_1D64_78BD_642F))
    }

    /// A stable 64-bit hash of a string (FNV-1a, then mixed), for ids of cover products.
    public static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return StableID.mix(h)
    }

    public mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in `range` (which must not be empty).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    /// Uniform integer in `0..<count`.
    public mutating func below(_ count: Int) -> Int { Int(next() % UInt64(max(count, 1))) }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A standard normal deviate (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Picks an index with probability proportional to `weights`.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var r = unit() * total
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// `count` distinct indices of `0..<n` in random order.
    public mutating func sample(_ count: Int, of n: Int) -> [Int] {
        var pool = Array(0..<n)
        let k = min(count, n)
        for i in 0..<k { pool.swapAt(i, i + below(n - i)) }
        return Array(pool[0..<k])
    }

    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, below(i + 1)) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
