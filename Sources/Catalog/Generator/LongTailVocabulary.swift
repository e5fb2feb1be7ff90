import ArenaModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Synthetic long-tail words for background titles: product-line names, model codes and material or
/// finish words, each drawn with a Zipf-like (s = 1) rank from a lexicon of about a million entries.
///
/// Real marketplaces have hundreds of thousands of distinct title terms (brand lines, model numbers,
/// seller jargon); the taxonomy alone yields only about a thousand, which makes every postings list
/// unrealistically long. Words are pure functions of (kind, rank): pronounceable consonant–vowel
/// syllables (or letters + digits for model codes), so a catalog stays deterministic and nested.
enum LongTailVocabulary {
    /// Ranks are 1…`lexiconSize`.
    static let lexiconSize = 1 << 20

    /// What a long-tail word stands for (each kind has its own lexicon).
    enum Kind: UInt64 {
        case productLine = 1, modelCode, finish
    }

    private static let onsets = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
                                 "br", "cr", "dr", "fl", "gr", "kl", "pr", "st", "tr", "sh", "ch", "th"]
    private static let vowels = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"]
    private static let codas = ["", "", "n", "r", "x", "l", "m", "k"]
    private static let letters = Array("abcdefghjkmnprstvwxz").map(String.init)

    /// A rank with P(rank ≥ r) ≈ 1 − ln r / ln(lexiconSize): continuous Zipf with s = 1 by the inverse CDF
    /// of the log-uniform distribution (rank 1 about 5% of the draws, half of them beyond rank 1,000).
    static func rank(unit u: Double) -> Int {
        let r = Int(exp(u * log(Double(lexiconSize) + 1)))
        return min(lexiconSize, max(1, r))
    }

    /// The word of a kind at a rank.
    static func word(_ kind: Kind, rank: Int) -> String {
        var h = StableID.mix(UInt64(rank) &* 0x9E37_79B9_7F4A_7C15 ^ kind.rawValue &* 0xD1B5_4A32_D192_ED03)
        func take(_ n: Int) -> Int {
            let v = Int(h % UInt64(n))
            h /= UInt64(n)
            return v
        }
        switch kind {
        case .modelCode:
            // Two or three letters and two to four digits: "kx204", "trm5810".
            var s = ""
            for _ in 0..<(2 + take(2)) { s += letters[take(letters.count)] }
            let digits = 2 + take(3)
            var number = 1 + take(9)
            for _ in 1..<digits { number = number * 10 + take(10) }
            return s + String(number)
        case .productLine, .finish:
            var s = ""
            for _ in 0..<(2 + take(2)) { s += onsets[take(onsets.count)] + vowels[take(vowels.count)] }
            s += codas[take(codas.count)]
            return s.prefix(1).uppercased() + s.dropFirst()
        }
    }

    /// Draws a word of `kind` from the stream.
    static func draw(_ kind: Kind, _ rng: inout RandomStream) -> String {
        word(kind, rank: rank(unit: rng.unit()))
    }

    /// Long-tail words for one background title, from a stream of their own (so the other fields of
    /// the product are drawn exactly as before): a product line (80%), a finish word (40%) and a model
    /// code (50%).
    static func titleWords(_ rng: inout RandomStream) -> (line: String?, finish: String?, model: String?) {
        let line = rng.chance(0.8) ? draw(.productLine, &rng) : nil
        let finish = rng.chance(0.4) ? draw(.finish, &rng) : nil
        let model = rng.chance(0.5) ? draw(.modelCode, &rng).uppercased() : nil
        return (line, finish, model)
    }
}
