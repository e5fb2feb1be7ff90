/// A strict, bounded `multipart/form-data` parser (RFC 7578) for the submit route's two parts.
///
/// The body has already been collected under a byte limit; this walks it once. It refuses a missing or
/// over-long boundary, more than `maxParts` parts, part headers over `maxHeaderBytes`, a part without a
/// `Content-Disposition: form-data; name=…`, and a body that does not end with the closing delimiter.
public struct MultipartForm: Sendable {
    /// One part: its field name, optional file name and content type, and raw bytes.
    public struct Part: Sendable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var body: [UInt8]
    }

    /// Why a body is not a usable multipart form.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notMultipart(String)
        case missingBoundary
        case malformed(String)

        public var description: String {
            switch self {
            case .notMultipart(let type):
                "expected Content-Type multipart/form-data, got '\(type.prefix(80))'"
            case .missingBoundary: "the multipart Content-Type has no valid boundary parameter"
            case .malformed(let why): "malformed multipart body: \(why)"
            }
        }
    }

    public static let maxParts = 16
    public static let maxHeaderBytes = 8192

    public var parts: [Part]

    /// The first part named `name`.
    public func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The boundary of a `multipart/form-data; boundary=…` content type (quoted or bare, 1–70 characters).
    public static func boundary(contentType: String?) throws(ParseError) -> String {
        guard let contentType else { throw .notMultipart("") }
        let pieces = contentType.split(separator: ";").map { $0.trimmingSpaces }
        guard let first = pieces.first, first.lowercased() == "multipart/form-data" else {
            throw .notMultipart(contentType)
        }
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            guard piece[..<eq].trimmingSpaces.lowercased() == "boundary" else { continue }
            var value = piece[piece.index(after: eq)...].trimmingSpaces
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard (1...70).contains(value.utf8.count), !value.utf8.contains(where: { $0 < 32 || $0 > 126 }) else {
                throw .missingBoundary
            }
            return value
        }
        throw .missingBoundary
    }

    /// Parses `body` framed by `boundary`.
    public static func parse(_ body: [UInt8], boundary: String) throws(ParseError) -> MultipartForm {
        let delimiter = Array(("--" + boundary).utf8)
        let crlf: [UInt8] = [13, 10]
        // The first delimiter may follow a preamble only after a CRLF.
        var position: Int
        if body.starts(with: delimiter) {
            position = delimiter.count
        } else if let found = search(body, for: crlf + delimiter, from: 0) {
            position = found + 2 + delimiter.count
        } else {
            throw .malformed("the opening boundary was not found")
        }
        var parts: [Part] = []
        while true {
            if hasBytes(body, at: position, [45, 45]) { break }  // "--": closing delimiter
            // Transport padding (spaces/tabs) is allowed before the CRLF.
            while position < body.count, body[position] == 32 || body[position] == 9 { position += 1 }
            guard hasBytes(body, at: position, crlf) else { throw .malformed("no line break after a boundary") }
            position += 2
            guard parts.count < maxParts else { throw .malformed("more than \(maxParts) parts") }
            guard let headerEnd = search(body, for: crlf + crlf, from: position, within: maxHeaderBytes)
            else { throw .malformed("part headers are missing or longer than \(maxHeaderBytes) bytes") }
            let headers = headerEnd > position ? Array(body[position..<headerEnd]) : []
            position = headerEnd + 4
            guard let end = search(body, for: crlf + delimiter, from: position) else {
                throw .malformed("a part is not followed by a boundary")
            }
            var part = try parseHeaders(headers)
            part.body = Array(body[position..<end])
            parts.append(part)
            position = end + 2 + delimiter.count
        }
        return MultipartForm(parts: parts)
    }

    private static func parseHeaders(_ bytes: [UInt8]) throws(ParseError) -> Part {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformed("part headers are not UTF-8")
        }
        var name: String?
        var filename: String?
        var contentType: String?
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { throw .malformed("a part header line has no ':'") }
            let key = line[..<colon].trimmingSpaces.lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingSpaces
            switch key {
            case "content-disposition":
                let params = dispositionParameters(value)
                guard params.kind.lowercased() == "form-data" else {
                    throw .malformed("Content-Disposition must be form-data")
                }
                name = params.values["name"]
                filename = params.values["filename"]
            case "content-type": contentType = value
            default: continue
            }
        }
        // `name=""` is a name (of a part no one asks for); only a part without any is malformed.
        guard let name else { throw .malformed("a part has no Content-Disposition name") }
        return Part(name: name, filename: filename, contentType: contentType, body: [])
    }

    /// `form-data; name="a"; filename="b.py"` → kind and parameters (quoted strings with `\"` escapes).
    static func dispositionParameters(_ value: String) -> (kind: String, values: [String: String]) {
        let chars = Array(value)
        var i = 0
        func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
        var kind = ""
        while i < chars.count, chars[i] != ";" { kind.append(chars[i]); i += 1 }
        var values: [String: String] = [:]
        while i < chars.count {
            i += 1  // ';'
            skipSpaces()
            var key = ""
            while i < chars.count, chars[i] != "=", chars[i] != ";" { key.append(chars[i]); i += 1 }
            guard i < chars.count, chars[i] == "=" else { continue }
            i += 1
            skipSpaces()
            var text = ""
            if i < chars.count, chars[i] == "\"" {
                i += 1
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                    text.append(chars[i])
                    i += 1
                }
                i += 1
                while i < chars.count, chars[i] != ";" { i += 1 }
            } else {
                while i < chars.count, chars[i] != ";" { text.append(chars[i]); i += 1 }
                text = text.trimmingSpaces
            }
            values[key.trimmingSpaces.lowercased()] = text
        }
        return (kind.trimmingSpaces, values)
    }

    private static func hasBytes(_ body: [UInt8], at position: Int, _ bytes: [UInt8]) -> Bool {
        guard position >= 0, position + bytes.count <= body.count else { return false }
        for k in 0..<bytes.count where body[position + k] != bytes[k] { return false }
        return true
    }

    /// The index of the first `needle` at or after `start` (whose start lies within `within` bytes of it).
    private static func search(_ body: [UInt8], for needle: [UInt8], from start: Int, within: Int? = nil) -> Int? {
        guard let first = needle.first, body.count >= needle.count else { return nil }
        var last = body.count - needle.count
        if let within { last = min(last, start + within) }
        var i = start
        while i <= last {
            if body[i] == first, hasBytes(body, at: i, needle) { return i }
            i += 1
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
