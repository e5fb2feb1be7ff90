/// Decodes a URL query string the way Werkzeug (Flask) does for `request.args`: pairs split on
/// `&`, `+` is a space, `%XX` is decoded, malformed escapes are kept literally, invalid UTF-8 becomes
/// U+FFFD, and a repeated key answers with its first value.
public struct QueryString: Sendable {
    public private(set) var pairs: [(key: String, value: String)]

    public init(_ raw: String?) {
        pairs = []
        guard let raw, !raw.isEmpty else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: "=") {
                pairs.append((QueryString.decode(part[..<eq]), QueryString.decode(part[part.index(after: eq)...])))
            } else {
                pairs.append((QueryString.decode(part), ""))
            }
        }
    }

    /// The first value for `key`, as Flask's `request.args.get(key)`.
    public subscript(key: String) -> String? {
        pairs.first { $0.key == key }?.value
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
                i += 1
            } else if b == UInt8(ascii: "%"), i + 2 < utf8.count, let h = hex(utf8[i + 1]), let l = hex(utf8[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(b)
                i += 1
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
