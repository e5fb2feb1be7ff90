/// Decoding of an URL query string (`application/x-www-form-urlencoded`): `a=1&q=red+shoes%21` →
/// `[("a", "1"), ("q", "red shoes!")]`.
public enum QueryString {
    /// The pairs in order; `+` is a space, `%XX` a byte, malformed escapes stay as written, a key without `=`
    /// has an empty value, empty pieces (`a=1&&b=2`) are skipped.
    public static func decode(_ query: String) -> [(String, String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { piece in
            if let eq = piece.firstIndex(of: "=") {
                return (unescape(piece[..<eq]), unescape(piece[piece.index(after: eq)...]))
            }
            return (unescape(piece), "")
        }
    }

    /// One component with `+` as space and `%XX` escapes decoded as UTF-8 (invalid sequences become U+FFFD).
    public static func unescape(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let b = iterator.popFirst() {
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%"), iterator.count >= 2,
                let hi = hex(iterator[iterator.startIndex]), let lo = hex(iterator[iterator.startIndex + 1])
            {
                bytes.append(hi << 4 | lo)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
