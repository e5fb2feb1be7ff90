/// A keyed bijection on `0..<limit` (a balanced Feistel network over the next even power of two,
/// with cycle walking), optionally skipping a small sorted set of excluded values.
///
/// Used for product ids (so filler ids look random, are unique, and never collide with the ids of
/// anchors) and for shop ids.
public struct KeyedPermutation: Sendable {
    public let limit: UInt64
    private let halfBits: UInt64
    private let mask: UInt64
    private let keys: [UInt64]
    /// Sorted values of `0..<limit` that are never produced.
    private let excluded: [UInt64]
    private let excludedSet: Set<UInt64>

    public init(limit: UInt64, key: UInt64, excluding: [UInt64] = []) {
        precondition(limit > 1)
        self.limit = limit
        var bits: UInt64 = 2
        while (UInt64(1) << bits) < limit { bits += 2 }
        halfBits = bits / 2
        mask = (UInt64(1) << halfBits) - 1
        keys = (0..<4).map { StableID.mix(key &+ UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
        let inRange = Array(Set(excluding.filter { $0 < limit })).sorted()
        excluded = inRange
        excludedSet = Set(inRange)
    }

    /// How many values the permutation can produce.
    public var capacity: UInt64 { limit - UInt64(excluded.count) }

    private func feistel(_ x: UInt64) -> UInt64 {
        var left = x >> halfBits
        var right = x & mask
        for k in keys {
            let f = StableID.mix(right ^ k) & mask
            (left, right) = (right, left ^ f)
        }
        return (left << halfBits) | right
    }

    /// The image of `index` (which must be below ``capacity``).
    public func apply(_ index: UInt64) -> UInt64 {
        // The index-th allowed value is the start, so cycle walking stays a bijection on the
        // allowed set.
        var x = index
        for e in excluded {
            if e <= x { x += 1 } else { break }
        }
        var y = feistel(x)
        while y >= limit || excludedSet.contains(y) { y = feistel(y) }
        return y
    }
}

import ArenaModel
