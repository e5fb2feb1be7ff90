import ArenaModel
import Foundation

/// The words of a problem's request that survive rewriting: NFKC, lower case, currency marks dropped, numbers
/// written one way (`159`, `159.00`, `₱159`, `PHP 159`, `1,299` all become `159` / `1299`), punctuation and stop
/// words gone, a plural `s` folded. Word order is not kept: shop items may come in any order.
public struct QueryFingerprint: Sendable, Hashable {
    /// Distinct tokens.
    public var tokens: Set<String>

    public init(query: String) {
        tokens = Set(Self.tokens(of: query))
    }

    /// The normalised tokens of `text`, in order, repeats kept.
    public static func tokens(of text: String) -> [String] {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        var out: [String] = []
        var word = ""
        var number = ""
        func flushWord() {
            defer { word = "" }
            guard !word.isEmpty, !stopWords.contains(word), !currencyWords.contains(word) else { return }
            out.append(stem(word))
        }
        func flushNumber() {
            defer { number = "" }
            guard !number.isEmpty else { return }
            out.append(canonicalNumber(number))
        }
        let scalars = Array(folded.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c.properties.numericType == .decimal, let digit = c.properties.numericValue {
                flushWord()
                number.append(String(Int(digit)))
            } else if (c == "." || c == ","), !number.isEmpty, i + 1 < scalars.count,
                      scalars[i + 1].properties.numericType == .decimal {
                // A decimal point or a thousands separator inside a number.
                if c == "." { number.append(".") }
            } else if c.properties.isAlphabetic {
                flushNumber()
                word.unicodeScalars.append(c)
            } else {
                flushNumber()
                flushWord()
            }
            i += 1
        }
        flushNumber()
        flushWord()
        return out
    }

    /// `159.00` → `159`, `12.50` → `12.5`; digit strings with leading zeros keep their value.
    static func canonicalNumber(_ text: String) -> String {
        guard let value = Double(text), value.isFinite else { return text }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var s = String(value)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// Folds a plural `s` (not `ss`, not short words): "shorts"/"short" and "pens"/"pen" meet.
    static func stem(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") else { return word }
        return String(word.dropLast())
    }

    /// Words of the request templates of ORO's and ShoppingBench's suites (and of our generator): they say how
    /// a request is asked, not what it asks for, so they weigh little even when a small input gives no
    /// document frequencies to tell them apart (stems, as ``tokens(of:)`` writes them).
    public static let templateWords: Set<String> = [
        "looking", "shop", "offering", "item", "first", "second", "third", "fourth", "fifth", "show", "have", "all",
        "product", "budget", "only", "but", "voucher", "following", "rule", "applie", "valid", "when", "total",
        "price", "priced", "exceed", "provide", "discount", "fixed", "percentage", "cap", "costing", "cost", "more",
        "over", "above", "below", "under", "less", "between", "free", "delivery", "shipping", "cash", "lazmall",
        "lazflash", "perk", "sold", "need", "want", "find", "search", "searching", "like", "one", "single", "sell",
        "that", "there", "here", "store", "list", "carry", "them", "spend", "most", "hold", "condition", "work",
        "every", "used", "take", "off", "give", "capped", "begin", "next", "then", "colour", "option", "variation",
        "not", "if", "offer", "i'd", "would", "should", "get", "buy", "also", "both", "same",
    ]

    static let currencyWords: Set<String> = ["php", "peso", "pesos", "₱"]

    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "for", "with", "in", "of", "to", "on", "at", "by", "from", "is", "are", "be",
        "i", "i'm", "im", "me", "my", "we", "you", "your", "it", "its", "that", "this", "these", "those", "which",
        "whose", "who", "can", "could", "would", "please", "some", "any", "also", "as", "so", "than", "m", "s",
    ]
}
