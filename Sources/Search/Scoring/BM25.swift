/// Lucene's one-byte document length encoding (`SmallFloat.intToByte4` / `byte4ToInt`): exact up to 39,
/// then four significant bits.
public enum SmallFloat {
    private static let maxInt4 = longToInt4(Int64(Int32.max))
    private static let freeValues = 255 - maxInt4

    static func longToInt4(_ i: Int64) -> Int {
        precondition(i >= 0)
        let numBits = 64 - i.leadingZeroBitCount
        if numBits < 4 { return Int(i) }
        let shift = numBits - 4
        var encoded = Int(i >> Int64(shift)) & 0x07
        encoded |= (shift + 1) << 3
        return encoded
    }

    static func int4ToLong(_ i: Int) -> Int64 {
        let bits = Int64(i & 0x07)
        let shift = (i >> 3) - 1
        return shift == -1 ? bits : (bits | 0x08) << Int64(shift)
    }

    /// Encodes a length (≥ 0) into one byte.
    public static func intToByte4(_ i: Int) -> UInt8 {
        let clamped = min(i, Int(Int32.max))
        if clamped < freeValues { return UInt8(clamped) }
        return UInt8(freeValues + longToInt4(Int64(clamped - freeValues)))
    }

    /// Decodes a length byte.
    public static func byte4ToInt(_ b: UInt8) -> Int {
        let i = Int(b)
        if i < freeValues { return i }
        return freeValues + Int(int4ToLong(i - freeValues))
    }
}

/// Lucene's `BM25Similarity` (Lucene ≥ 8 form, no `(k1 + 1)` factor) with float arithmetic matching Java's.
public struct BM25: Sendable, Hashable {
    public var k1: Float
    public var b: Float

    /// Pyserini's defaults, used by ShoppingBench.
    public init(k1: Float = 0.9, b: Float = 0.4) {
        self.k1 = k1
        self.b = b
    }

    /// `ln(1 + (N − df + 0.5) / (df + 0.5))` in double, cast to float. N is the number of documents that
    /// have at least one indexed term.
    public static func idf(docFreq: Int, docCount: Int) -> Float {
        Float(Foundation_log(1 + (Double(docCount) - Double(docFreq) + 0.5) / (Double(docFreq) + 0.5)))
    }

    /// Average document length in tokens, as Lucene computes it (double division cast to float).
    public static func averageLength(sumTotalTermFreq: Int, docCount: Int) -> Float {
        sumTotalTermFreq <= 0 ? 1 : Float(Double(sumTotalTermFreq) / Double(docCount))
    }

    /// `1 / (k1 · ((1 − b) + b · length(norm) / avgdl))` for each of the 256 norm bytes.
    public func normCache(averageLength avgdl: Float) -> [Float] {
        (0..<256).map { i in
            let length = Float(SmallFloat.byte4ToInt(UInt8(i)))
            return 1 / (k1 * ((1 - b) + b * length / avgdl))
        }
    }

    /// The score of one term in one document: `w − w / (1 + tf · cache[norm])` with `w = boost · idf`.
    @inline(__always)
    public static func termScore(weight: Float, termFrequency: Float, normInverse: Float) -> Float {
        weight - weight / (1 + termFrequency * normInverse)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func Foundation_log(_ x: Double) -> Double { Glibc.log(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func Foundation_log(_ x: Double) -> Double { Darwin.log(x) }
#endif
