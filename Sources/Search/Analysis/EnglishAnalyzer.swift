/// The analysis chain Lucene's `EnglishAnalyzer` (and Anserini's default English analysis) applies to
/// both documents and queries: `StandardTokenizer` → English possessive filter → lower case → the 33
/// English stop words → Porter stemmer.
public struct EnglishAnalyzer: Sendable {
    /// Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`.
    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
        "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
        "to", "was", "will", "with",
    ]

    private let tokenizer = StandardTokenizer()

    public init() {}

    /// The analysed terms of `text`, in order (stop words removed, so positions are not kept).
    public func terms(_ text: String) -> [String] {
        var out: [String] = []
        var stemmer = PorterStemmer()
        tokenizer.tokenize(text) { token in
            if let term = Self.term(ofToken: token, stemmer: &stemmer) { out.append(term) }
        }
        return out
    }

    /// Calls `emit` with each token of `text` as the tokenizer cut it, before any filter.
    public func tokens(_ text: String, emit: (String) -> Void) {
        tokenizer.tokenize(text, emit: emit)
    }

    /// The term one token analyses to, or nil for a stop word. It depends on the token alone, so a caller
    /// may remember it per token (the index builder does): ``terms(_:)`` is this applied to every token.
    static func term(ofToken token: String, stemmer: inout PorterStemmer) -> String? {
        let word = lowercased(removingPossessive(token))
        if stopWords.contains(word) { return nil }
        return stemmer.stem(word)
    }

    /// Drops a trailing `'s`, `’s` or `＇s` (either case of s), as `EnglishPossessiveFilter` does.
    static func removingPossessive(_ token: String) -> String {
        let scalars = token.unicodeScalars
        guard let last = scalars.last, last == "s" || last == "S" else { return token }
        let beforeLast = scalars.index(before: scalars.endIndex)
        guard beforeLast > scalars.startIndex else { return token }
        let apostrophe = scalars[scalars.index(before: beforeLast)]
        guard apostrophe == "'" || apostrophe == "\u{2019}" || apostrophe == "\u{FF07}" else { return token }
        return String(String.UnicodeScalarView(scalars[..<scalars.index(before: beforeLast)]))
    }

    /// Per-code-point simple lower-casing, like Java's `Character.toLowerCase(int)`.
    static func lowercased(_ token: String) -> String {
        var allLower = true
        for u in token.utf8 where u >= 0x41 && u <= 0x5A || u >= 0x80 {
            allLower = false
            break
        }
        if allLower { return token }
        var out = String.UnicodeScalarView()
        for s in token.unicodeScalars {
            if s.value < 0x80 {
                out.append(s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(s.value + 32)! : s)
                continue
            }
            let mapped = s.properties.lowercaseMapping.unicodeScalars
            // The simple mapping is the full one except for the few characters whose full mapping
            // expands (İ → i + combining dot); Java's simple mapping keeps the first code point.
            out.append(mapped.first ?? s)
        }
        return String(out)
    }
}
