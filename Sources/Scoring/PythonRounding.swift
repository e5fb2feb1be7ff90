/// Python's `round(x, n)` for floats: the exact binary value of `x` rounded to `n` decimal places,
/// ties to even, then the nearest double. Multiplying by 10ⁿ and rounding is not the same (it rounds
/// the already-rounded product), so the comparison with the half-way point is done exactly.
public enum PythonRounding {
    public static func round(_ x: Double, _ digits: Int) -> Double {
        guard x.isFinite, x != 0, digits >= 0, digits <= 15 else { return x }
        if x < 0 { return -round(-x, digits) }
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = x * Double(scale)
        guard scaled < 9.0e15 else { return x }  // already an integer number of units
        // Candidate k = floor(x·scale), corrected exactly.
        var k = UInt64(scaled.rounded(.down))
        while k > 0 && compare(x, numerator: k, denominator: scale) < 0 { k -= 1 }
        while compare(x, numerator: k + 1, denominator: scale) >= 0 { k += 1 }
        // x in [k/scale, (k+1)/scale): compare with the midpoint (2k+1)/(2·scale).
        let c = compare(x, numerator: 2 * k + 1, denominator: 2 * scale)
        let units: UInt64
        if c < 0 {
            units = k
        } else if c > 0 {
            units = k + 1
        } else {
            units = k % 2 == 0 ? k : k + 1
        }
        return Double(units) / Double(scale)
    }

    /// Sign of x − p/q, exactly, for finite x > 0 and q > 0.
    static func compare(_ x: Double, numerator p: UInt64, denominator q: UInt64) -> Int {
        // x = m · 2^e with integer m.
        let e = Int(x.exponent) - 52
        let m = x.significandBitPattern | (x.isNormal ? (1 << 52) : 0)
        let eAdjusted = x.isNormal ? e : -1074
        // Compare m · 2^e · q with p.
        let (lh, ll) = m.multipliedFullWidth(by: q)  // m · q as 128 bits
        var left = U128(high: lh, low: ll)
        var right = U128(high: 0, low: p)
        if eAdjusted >= 0 {
            guard left.shiftLeft(eAdjusted) else { return 1 }
        } else {
            guard right.shiftLeft(-eAdjusted) else { return -1 }
        }
        return left < right ? -1 : (right < left ? 1 : 0)
    }

    struct U128: Comparable {
        var high: UInt64
        var low: UInt64

        /// Shifts left; false when bits would be lost (the value is then larger than any 128-bit value).
        mutating func shiftLeft(_ n: Int) -> Bool {
            if n == 0 { return true }
            if n >= 128 { return high == 0 && low == 0 }
            let bits = high == 0 ? (low == 0 ? 0 : 64 - low.leadingZeroBitCount) : 128 - high.leadingZeroBitCount
            if bits + n > 128 { return false }
            if n >= 64 {
                high = low << (n - 64)
                low = 0
            } else {
                high = (high << n) | (low >> (64 - n))
                low = low << n
            }
            return true
        }

        static func < (a: U128, b: U128) -> Bool { a.high != b.high ? a.high < b.high : a.low < b.low }
    }
}
