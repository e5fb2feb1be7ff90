/// Python's own string rules, for the places where ShopArena must answer exactly as Python code does
/// (the scorer's id trimming, the search server's query cleaning).
///
/// Python works on code points, so these helpers work on Unicode scalars, never on `Character`s: a
/// space followed by a combining mark is one `Character` but two code points, and Python strips the
/// space and keeps the mark.
public enum PythonText {
    /// Whether `str.isspace()` holds for the one-character string `scalar`: bidirectional class WS, B or S,
    /// or general category Zs. Besides the usual white space this includes U+001C–U+001F (the
    /// information separators), which Swift's `Unicode.Scalar.Properties.isWhitespace` does not.
    public static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `s.strip()`: leading and trailing code points for which ``isSpace(_:)`` holds removed.
    public static func strip(_ s: Substring.UnicodeScalarView) -> Substring.UnicodeScalarView {
        guard let first = s.firstIndex(where: { !isSpace($0) }) else { return s[s.endIndex...] }
        let last = s.lastIndex(where: { !isSpace($0) })!
        return s[first...last]
    }

    /// `s.strip()`.
    public static func strip(_ s: String) -> String {
        String(String.UnicodeScalarView(strip(Substring(s).unicodeScalars)))
    }

    /// `s.split(separator)` for a one-code-point separator: every piece, empty ones included.
    public static func split(_ s: String, on separator: Unicode.Scalar) -> [String] {
        Substring(s).unicodeScalars.split(separator: separator, omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
    }

    /// `a == b` as Python compares strings: code point by code point. Swift's `==` compares canonically
    /// equivalent strings as equal ("é" and "e" + U+0301), Python does not.
    public static func equal(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }
}
