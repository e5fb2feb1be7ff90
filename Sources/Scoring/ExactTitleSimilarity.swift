import ArenaModel
import Foundation

/// A testing aid, not a scorer for real runs: two titles are similar (1) when they are equal after NFKC,
/// case folding and collapsing white space, else 0 (`--similarity exact`).
///
/// Use it to compare a run with ORO's scorer where title judgments would otherwise differ (ORO uses
/// Qwen3-Embedding-0.6B; the lexical default only approximates it): with the same exact rule on both sides,
/// every remaining difference is a rule difference, not a similarity difference.
public struct ExactTitleSimilarity: InstantTitleSimilarity {
    public init() {}

    public var scale: SimilarityScale { .exact }

    public func similarity(_ comparison: TitleComparison) -> Double? {
        Self.normalized(comparison.candidate) == Self.normalized(comparison.reference) ? 1 : 0
    }

    /// NFKC, then case folding, then every run of white space (``PythonText/isSpace(_:)``) as one space, trimmed.
    public static func normalized(_ title: String) -> String {
        let folded = title.precomposedStringWithCompatibilityMapping.folding(options: [.caseInsensitive], locale: nil)
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if PythonText.isSpace(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" ") }
            pendingSpace = false
            out.append(scalar)
        }
        return String(out)
    }
}
