/// Splits text into words the way Lucene 8.7's `StandardTokenizer` does: UAX#29 word boundaries as
/// Lucene's grammar implements them (letters and digits glued by `.` `,` `'` `_` …, `3.5mm`, `1,000pcs`,
/// `u.s.a`, `don't`, `hello_world`), one token per Han or Hiragana character, runs of Southeast Asian
/// scripts, emoji sequences (presentation, modifier, ZWJ, flag, keycap), everything else dropped.
/// Tokens longer than 255 UTF-16 code units are cut there and scanning restarts after the cut.
public struct StandardTokenizer: Sendable {
    /// Lucene's default `maxTokenLength`.
    public static let maxTokenLength = 255

    public init() {}

    /// The tokens of `text`, in order, with their original case.
    public func tokens(_ text: String) -> [String] {
        var out: [String] = []
        tokenize(text) { out.append($0) }
        return out
    }

    /// Calls `emit` with each token's code points.
    public func tokenize(_ text: String, emit: (String) -> Void) {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars { scalars.append(s.value) }
        var classes = [WordBreakClass](repeating: .other, count: scalars.count)
        for i in scalars.indices { classes[i] = WordBreakClass.of(scalars[i]) }
        var scanner = Scanner(scalars: scalars, classes: classes)
        while let range = scanner.next() {
            emit(Self.string(scalars, range))
        }
    }

    /// The code points `scalars[range]` as a string, encoded straight into its UTF-8 storage.
    private static func string(_ scalars: [UInt32], _ range: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: range.count * 4) { buffer in
            var n = 0
            for i in range {
                let v = scalars[i]
                if v < 0x80 {
                    buffer[n] = UInt8(v)
                    n += 1
                } else {
                    for unit in UTF8.encode(Unicode.Scalar(v)!)! {
                        buffer[n] = unit
                        n += 1
                    }
                }
            }
            return n
        }
    }
}

/// The longest-match scanner behind ``StandardTokenizer``.
private struct Scanner {
    let scalars: [UInt32]
    let classes: [WordBreakClass]
    var position = 0

    init(scalars: [UInt32], classes: [WordBreakClass]) {
        self.scalars = scalars
        self.classes = classes
    }

    /// The end of the unit starting at `i`: the character and the Extend/Format/ZWJ after it (WB4).
    func unitEnd(_ i: Int) -> Int {
        var j = i + 1
        while j < classes.count && classes[j] == .extend { j += 1 }
        return j
    }

    func utf16Length(_ scalar: UInt32) -> Int { scalar > 0xFFFF ? 2 : 1 }

    static func isRegionalIndicator(_ s: UInt32) -> Bool { s >= 0x1F1E6 && s <= 0x1F1FF }

    mutating func next() -> Range<Int>? {
        let n = scalars.count
        while position < n {
            let start = position
            switch classes[start] {
            case .letter, .hebrewLetter, .numeric, .katakana, .extendNumLet:
                if let end = word(from: start) {
                    position = end
                    return start..<end
                }
                position += 1
            case .complexContext:
                var end = unitEnd(start)
                while end < n && classes[end] == .complexContext { end = unitEnd(end) }
                position = end
                return start..<limited(start, end)
            case .ideographic, .hiragana:
                let end = unitEnd(start)
                position = end
                return start..<end
            case .emoji:
                let end = emojiSequence(from: start)
                position = end
                return start..<end
            default:
                let s = scalars[start]
                if Self.isRegionalIndicator(s), start + 1 < n, Self.isRegionalIndicator(scalars[start + 1]) {
                    let end = unitEnd(start + 1)
                    position = end
                    return start..<end
                }
                if s == 0x23 || s == 0x2A {  // '#' '*' keycaps
                    var j = start + 1
                    if j < n && scalars[j] == 0xFE0F { j += 1 }
                    if j < n && scalars[j] == 0x20E3 {
                        let end = unitEnd(j)
                        position = end
                        return start..<end
                    }
                }
                position += 1
            }
        }
        return nil
    }

    /// Cuts a run at the maximum token length (in UTF-16 code units).
    func limited(_ start: Int, _ end: Int) -> Int {
        var length = 0
        var i = start
        while i < end {
            length += utf16Length(scalars[i])
            if length > StandardTokenizer.maxTokenLength { return i }
            i += 1
        }
        return end
    }

    func emojiSequence(from start: Int) -> Int {
        let n = scalars.count
        var i = start
        while true {
            var j = i + 1
            if j < n, (0x1F3FB...0x1F3FF).contains(scalars[j]),
               Unicode.Scalar(scalars[i])?.properties.isEmojiModifierBase == true {
                j += 1
            }
            while j < n && classes[j] == .extend { j += 1 }
            if scalars[j - 1] == 0x200D, j < n, classes[j] == .emoji {
                i = j
                continue
            }
            return j
        }
    }

    // NFA states of Lucene's WORD rule, as bits.
    private static let sStart: UInt16 = 1 << 0        // only ExtendNumLet seen so far
    private static let sLetter: UInt16 = 1 << 1       // in a letter group
    private static let sHebrew1: UInt16 = 1 << 2      // Hebrew letter, waiting for ' or "
    private static let sHebrew2: UInt16 = 1 << 3      // Hebrew letter + ", waiting for a Hebrew letter
    private static let sHebrewDone: UInt16 = 1 << 4   // a complete Hebrew group
    private static let sNumber: UInt16 = 1 << 5       // in a number group
    private static let sKatakana: UInt16 = 1 << 6     // in a katakana group
    private static let sJoiner: UInt16 = 1 << 7       // after ExtendNumLet following a group
    private static let sLetterMid: UInt16 = 1 << 8    // letter group + a mid-letter punctuation
    private static let sNumberMid: UInt16 = 1 << 9    // number group + a mid-number punctuation
    private static let accepting: UInt16 = sLetter | sHebrewDone | sNumber | sKatakana | sJoiner

    private static func step(_ states: UInt16, _ c: WordBreakClass) -> UInt16 {
        var next: UInt16 = 0
        func has(_ s: UInt16) -> Bool { states & s != 0 }
        // States after which a new group may begin (Heb | Num | Let concatenate; anything after `_`).
        let groupEnd = has(sLetter) || has(sHebrewDone) || has(sNumber)
        let afterJoin = has(sStart) || has(sJoiner)
        switch c {
        case .letter:
            if groupEnd || afterJoin || has(sLetterMid) { next |= sLetter }
        case .hebrewLetter:
            if groupEnd || afterJoin { next |= sLetter | sHebrew1 }
            if has(sLetterMid) { next |= sLetter }
            if has(sHebrew2) { next |= sHebrewDone }
        case .numeric:
            if groupEnd || afterJoin || has(sNumberMid) { next |= sNumber }
        case .katakana:
            if has(sKatakana) || afterJoin { next |= sKatakana }
        case .extendNumLet:
            if has(sStart) { next |= sStart }
            if groupEnd || has(sKatakana) || has(sJoiner) { next |= sJoiner }
        case .midLetter:
            if has(sLetter) { next |= sLetterMid }
        case .midNum:
            if has(sNumber) { next |= sNumberMid }
        case .midNumLet:
            if has(sLetter) { next |= sLetterMid }
            if has(sNumber) { next |= sNumberMid }
        case .singleQuote:
            if has(sLetter) { next |= sLetterMid }
            if has(sNumber) { next |= sNumberMid }
            if has(sHebrew1) { next |= sHebrewDone }
        case .doubleQuote:
            if has(sHebrew1) { next |= sHebrew2 }
        default:
            break
        }
        return next
    }

    /// The end of the longest WORD match from `start` within the token length limit, or nil.
    func word(from start: Int) -> Int? {
        var states = Self.sStart
        var i = start
        var length = 0
        var best: Int?
        let n = scalars.count
        while i < n {
            states = Self.step(states, classes[i])
            if states == 0 { break }
            var end = i + 1
            length += utf16Length(scalars[i])
            while end < n && classes[end] == .extend {
                length += utf16Length(scalars[end])
                end += 1
            }
            if length > StandardTokenizer.maxTokenLength {
                // Lucene's scanner cannot see past its buffer: cut inside this unit if nothing matched yet.
                if best == nil, states & Self.accepting != 0 {
                    return limited(start, end)
                }
                break
            }
            if states & Self.accepting != 0 { best = end }
            i = end
        }
        return best
    }
}
