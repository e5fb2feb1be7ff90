/// Serializes ``JSONValue`` byte-for-byte the way Python's `json.dumps` does, so files we write
/// compare equal to the ones the reference systems write.
public struct JSONWriter: Sendable {
    /// Separators between items and between a key and its value.
    public enum Style: Sendable {
        /// `,` and `:` (`json.dumps(..., separators=(",", ":"))`, ujson).
        case compact
        /// `, ` and `: ` (`json.dumps` defaults).
        case python
    }

    public var style: Style
    /// Escape every non-ASCII character as `\uXXXX` (Python's default `ensure_ascii=True`).
    public var ensureASCII: Bool
    /// Sort object keys (Flask's `jsonify`, `sort_keys=True`).
    public var sortKeys: Bool

    public init(style: Style = .compact, ensureASCII: Bool = false, sortKeys: Bool = false) {
        self.style = style
        self.ensureASCII = ensureASCII
        self.sortKeys = sortKeys
    }

    public func string(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(_ value: JSONValue, into out: inout String) {
        out += string(value)
    }

    /// Appends the UTF-8 JSON text of `value` to `out`. Writing bytes rather than appending to a `String` keeps
    /// the corpus exports (hundreds of thousands of rows of dialogue text) off `String`'s append slow paths.
    public func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: JSONWriter.pythonFloat(d).utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { appendSeparator(into: &out) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            let ordered = sortKeys ? pairs.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) } : pairs
            for (i, (key, item)) in ordered.enumerated() {
                if i > 0 { appendSeparator(into: &out) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if style == .python { out.append(UInt8(ascii: " ")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private func appendSeparator(into out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        if style == .python { out.append(UInt8(ascii: " ")) }
    }

    func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = s
        let scalarsFrom: Int? = text.withUTF8 { bytes -> Int? in
            // Runs that need no escaping are copied in one append.
            var runStart = 0
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x7F && ensureASCII {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                    return i
                }
                if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                    if b >= 0x20 {
                        // `"` and `\` (JSON inside a string is full of the first) need only a backslash.
                        out.append(UInt8(ascii: "\\"))
                        out.append(b)
                    } else {
                        writeScalar(Unicode.Scalar(b), into: &out)
                    }
                    runStart = i + 1
                }
                i += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            return nil
        }
        if let start = scalarsFrom {
            // ensure_ascii: from the first byte outside ' '...'~' on, scalar by scalar.
            let utf8 = text.utf8
            let index = utf8.index(utf8.startIndex, offsetBy: start)
            for scalar in text[index...].unicodeScalars { writeScalar(scalar, into: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    func writeScalar(_ scalar: Unicode.Scalar, into out: inout [UInt8]) {
        switch scalar {
        case "\"": out.append(contentsOf: "\\\"".utf8)
        case "\\": out.append(contentsOf: "\\\\".utf8)
        case "\n": out.append(contentsOf: "\\n".utf8)
        case "\r": out.append(contentsOf: "\\r".utf8)
        case "\t": out.append(contentsOf: "\\t".utf8)
        case "\u{08}": out.append(contentsOf: "\\b".utf8)
        case "\u{0C}": out.append(contentsOf: "\\f".utf8)
        default:
            if scalar.value < 0x20 {
                out.append(contentsOf: JSONWriter.unicodeEscape(UInt16(scalar.value)).utf8)
            } else if ensureASCII && scalar.value > 0x7E {
                // Python escapes everything outside ' '...'~', astral characters as surrogate pairs.
                if scalar.value > 0xFFFF {
                    let v = scalar.value - 0x10000
                    out.append(contentsOf: JSONWriter.unicodeEscape(UInt16(0xD800 + (v >> 10))).utf8)
                    out.append(contentsOf: JSONWriter.unicodeEscape(UInt16(0xDC00 + (v & 0x3FF))).utf8)
                } else {
                    out.append(contentsOf: JSONWriter.unicodeEscape(UInt16(scalar.value)).utf8)
                }
            } else {
                out.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
    }

    static func unicodeEscape(_ v: UInt16) -> String {
        let hex = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// Python's `repr(float)`: the shortest digits that round-trip, in positional notation when the
    /// decimal exponent is in -4..<16, else `d.ddde+XX`; always with a `.0` or exponent; `NaN`,
    /// `Infinity` and `-Infinity` for non-finite values (as `json.dumps` writes them).
    public static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Whole numbers below 10^15 (prices, counts) are their integer digits and `.0`.
        if d.magnitude < 1e15, d == d.rounded(.towardZero) { return "\(Int64(d)).0" }
        // Swift's description also gives the shortest round-tripping digits; re-layout them.
        let (negative, digits, exponent) = shortestDigits(d)
        var out = negative ? "-" : ""
        // `exponent` is the power of ten of the first digit.
        if exponent < -4 || exponent >= 16 {
            out += String(digits.first!)
            if digits.count > 1 {
                out += "." + digits.dropFirst()
            }
            out += exponent < 0 ? "e-" : "e+"
            let e = abs(exponent)
            out += e < 10 ? "0\(e)" : "\(e)"
        } else if exponent < 0 {
            out += "0." + String(repeating: "0", count: -exponent - 1) + digits
        } else if digits.count <= exponent + 1 {
            out += digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0"
        } else {
            let cut = digits.index(digits.startIndex, offsetBy: exponent + 1)
            out += digits[..<cut] + "." + digits[cut...]
        }
        return out
    }

    /// Splits Swift's shortest representation into sign, significant digits (no leading or trailing
    /// zeros) and the decimal exponent of the first digit.
    static func shortestDigits(_ d: Double) -> (Bool, String, Int) {
        var text = d.magnitude.description
        var exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exp = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        var intPart = text
        var fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var all = intPart + fracPart
        var pointPos = intPart.count  // digits before the decimal point
        // Strip leading zeros.
        while all.first == "0" {
            all.removeFirst()
            pointPos -= 1
        }
        while all.last == "0" { all.removeLast() }
        if all.isEmpty { return (d.sign == .minus, "0", 0) }
        return (d.sign == .minus, all, pointPos - 1 + exp)
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONWriter().string(self) }
}
