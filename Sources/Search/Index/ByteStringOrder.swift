#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArenaModel

/// Sorts byte strings (string `i` is `bytes[offsets[i]..<offsets[i + 1]]`) in unsigned byte order, a shorter
/// string before a longer one it begins: the order of term and product-id sections. Halves are sorted on two
/// cores and merged; ties keep index order.
enum ByteStringOrder {
    /// The indices `0..<offsets.count - 1` in byte order of their strings.
    static func sortedIndices(bytes: [UInt8], offsets: [UInt64]) -> [Int32] {
        let count = offsets.count - 1
        guard count > 1 else { return (0..<Int32(max(0, count))).map { $0 } }
        let middle = count / 2
        let halves = concurrentMap(2) { half in
            var part = half == 0 ? Array(0..<Int32(middle)) : Array(Int32(middle)..<Int32(count))
            bytes.withUnsafeBufferPointer { b in
                offsets.withUnsafeBufferPointer { o in
                    part.sort { precedes($0, $1, b, o) }
                }
            }
            return part
        }
        var out: [Int32] = []
        out.reserveCapacity(count)
        bytes.withUnsafeBufferPointer { b in
            offsets.withUnsafeBufferPointer { o in
                let (left, right) = (halves[0], halves[1])
                var i = 0, j = 0
                while i < left.count && j < right.count {
                    // Right wins only when strictly smaller, so equal strings keep index order.
                    if precedes(right[j], left[i], b, o) {
                        out.append(right[j]); j += 1
                    } else {
                        out.append(left[i]); i += 1
                    }
                }
                out.append(contentsOf: left[i...])
                out.append(contentsOf: right[j...])
            }
        }
        return out
    }

    /// `strings`' UTF-8 bytes one after another, with `count + 1` offsets: the form ``sortedIndices(bytes:offsets:)`` takes.
    static func concatenated(_ strings: [String]) -> (bytes: [UInt8], offsets: [UInt64]) {
        var bytes: [UInt8] = []
        var offsets: [UInt64] = [0]
        offsets.reserveCapacity(strings.count + 1)
        for s in strings {
            bytes.append(contentsOf: s.utf8)
            offsets.append(UInt64(bytes.count))
        }
        return (bytes, offsets)
    }

    /// Whether string `a` sorts before string `b` (ties: the lower index first).
    @inline(__always)
    static func precedes(_ a: Int32, _ b: Int32, _ bytes: UnsafeBufferPointer<UInt8>, _ offsets: UnsafeBufferPointer<UInt64>) -> Bool {
        let order = compare(Int(a), Int(b), bytes, offsets)
        return order < 0 || (order == 0 && a < b)
    }

    /// memcmp order of two strings, then length.
    @inline(__always)
    static func compare(_ a: Int, _ b: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ offsets: UnsafeBufferPointer<UInt64>) -> Int {
        let aStart = Int(offsets[a]), aLength = Int(offsets[a + 1]) - aStart
        let bStart = Int(offsets[b]), bLength = Int(offsets[b + 1]) - bStart
        let common = min(aLength, bLength)
        if common > 0, let base = bytes.baseAddress {
            let c = memcmp(base + aStart, base + bStart, common)
            if c != 0 { return Int(c) }
        }
        return aLength - bLength
    }
}
