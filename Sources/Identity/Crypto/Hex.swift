/// Lower-case hexadecimal encoding and strict decoding (`0x` prefix optional on input).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Why a hex string was refused.
    public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        case oddLength(Int)
        case invalidCharacter(Character, offset: Int)
        case wrongLength(expectedBytes: Int, actualBytes: Int)

        public var description: String {
            switch self {
            case .oddLength(let n): "hex string has an odd number of digits (\(n))"
            case .invalidCharacter(let c, let offset): "'\(c)' at offset \(offset) is not a hex digit"
            case .wrongLength(let expected, let actual): "expected \(expected) bytes of hex, got \(actual)"
            }
        }
    }

    /// `bytes` as lower-case hex, without prefix.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex digits (either case), skipping an optional leading `0x`/`0X`.
    /// When `length` is given the result must have exactly that many bytes.
    public static func decode(_ text: String, length: Int? = nil) throws(DecodeError) -> [UInt8] {
        var utf8 = Substring(text).utf8[...]
        var offset = 0
        if utf8.count >= 2, utf8.first == UInt8(ascii: "0"),
           let x = utf8.dropFirst().first, x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            utf8 = utf8.dropFirst(2)
            offset = 2
        }
        let count = utf8.count
        var out: [UInt8] = []
        out.reserveCapacity(count / 2)
        var high: UInt8 = 0
        var i = 0
        for c in utf8 {
            guard let v = value(of: c) else {
                let scalar = Character(Unicode.Scalar(c))
                // Report the character as the user typed it, even for multi-byte UTF-8.
                let typed = text.utf8.index(text.utf8.startIndex, offsetBy: offset + i)
                let ch = text[typed...].first ?? scalar
                throw .invalidCharacter(ch, offset: offset + i)
            }
            if i & 1 == 0 { high = v } else { out.append(high << 4 | v) }
            i += 1
        }
        guard count & 1 == 0 else { throw .oddLength(count) }
        if let length, out.count != length { throw .wrongLength(expectedBytes: length, actualBytes: out.count) }
        return out
    }

    @inline(__always)
    private static func value(of c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
