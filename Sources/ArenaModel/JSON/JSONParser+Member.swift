extension JSONParser {
    /// The value of the top-level member `key` of the JSON object in `bytes` (the last one when the key repeats, as
    /// ``JSONValue``'s subscript and Python read it), or nil when the object has no such member.
    ///
    /// Only that member is parsed into a ``JSONValue``; the others are scanned — strings and brackets matched, not
    /// validated — so reading the dialogue of a stored problem log skips its proxy log at the cost of a byte scan.
    /// Throws when the text is not an object or is malformed where it is read.
    public static func member(_ key: String, in bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue? {
        var cursor = Cursor(bytes: bytes)
        cursor.skipWhitespace()
        guard cursor.index < bytes.count, bytes[cursor.index] == UInt8(ascii: "{") else { throw cursor.fail("expected an object") }
        cursor.index += 1
        var found: JSONValue?
        cursor.skipWhitespace()
        if cursor.index < bytes.count, bytes[cursor.index] == UInt8(ascii: "}") { return nil }
        while true {
            cursor.skipWhitespace()
            guard cursor.index < bytes.count, bytes[cursor.index] == UInt8(ascii: "\"") else { throw cursor.fail("expected a string key") }
            let name = try cursor.parseString()
            cursor.skipWhitespace()
            guard cursor.index < bytes.count, bytes[cursor.index] == UInt8(ascii: ":") else { throw cursor.fail("expected ':'") }
            cursor.index += 1
            cursor.skipWhitespace()
            if name == key {
                found = try cursor.parseValue(depth: 1)
            } else {
                try cursor.skipValue()
            }
            cursor.skipWhitespace()
            guard cursor.index < bytes.count else { throw cursor.fail("unexpected end of input in object") }
            if bytes[cursor.index] == UInt8(ascii: ",") { cursor.index += 1; continue }
            if bytes[cursor.index] == UInt8(ascii: "}") { return found }
            throw cursor.fail("expected ',' or '}'")
        }
    }
}

extension JSONParser.Cursor {
    /// Moves past one value without building it: a string to its closing quote, an array or object to its matching
    /// bracket (brackets inside strings ignored), anything else to the next `,`, `}`, `]` or white space.
    mutating func skipValue() throws(JSONParseError) {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    try skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    guard depth < JSONParser.maxDepth else { throw fail("nesting deeper than \(JSONParser.maxDepth)") }
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return
                    }
                default: break
                }
                index += 1
            }
            throw fail("unexpected end of input")
        default:
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                    guard index > start else { throw fail("unexpected character") }
                    return
                default: index += 1
                }
            }
        }
    }

    /// Moves past a string starting at its opening quote.
    mutating func skipString() throws(JSONParseError) {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        throw fail("unterminated string")
    }
}
