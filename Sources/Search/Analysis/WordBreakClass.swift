/// The word-break class of a code point as Lucene 8.7's `StandardTokenizer` treats it (UAX#29 word
/// boundaries plus Lucene's extra token kinds). The table in `WordBreakTable.swift` is derived by
/// probing that tokenizer (see `Benchmarks/parity/WordBreakProbe.java`).
enum WordBreakClass: UInt8, Sendable {
    case other
    /// ALetter (including Hangul syllables).
    case letter
    case hebrewLetter
    case numeric
    case katakana
    /// `_` and friends: glue letters and numbers together (WB13a/b).
    case extendNumLet
    /// Joins letters only, e.g. `:` (WB6/7).
    case midLetter
    /// Joins digits only, e.g. `,` `;` (WB11/12).
    case midNum
    /// Joins letters or digits, e.g. `.`.
    case midNumLet
    /// The apostrophe: like `midNumLet`, and also ends a Hebrew word (WB7a).
    case singleQuote
    case doubleQuote
    /// Extend, Format and ZWJ: attach to the preceding character (WB4).
    case extend
    /// Han: one token per character.
    case ideographic
    /// Hiragana: one token per character.
    case hiragana
    /// Line_Break=Complex_Context (Thai, Lao, Khmer, Myanmar…): runs become one token.
    case complexContext
    /// A code point that is a token on its own as an emoji.
    case emoji

    /// Classes of the first code points, looked up directly.
    private static let directCount = 0x3100
    private static let direct: [WordBreakClass] = {
        var out = [WordBreakClass](repeating: .other, count: directCount)
        var run = 0
        for cp in 0..<directCount {
            while run + 1 < runStarts.count && runStarts[run + 1] <= UInt32(cp) { run += 1 }
            out[cp] = runClasses[run]
        }
        return out
    }()

    /// The class of one code point.
    @inline(__always)
    static func of(_ scalar: UInt32) -> WordBreakClass {
        if scalar < UInt32(directCount) { return direct[Int(scalar)] }
        var lo = 0
        var hi = runStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if runStarts[mid] <= scalar { lo = mid } else { hi = mid - 1 }
        }
        return runClasses[lo]
    }
}
