import ArenaModel

/// A verdict read out of a judge model's answer.
public struct ParsedJudgeAnswer: Sendable, Hashable {
    /// The number the model wrote, before snapping.
    public var rawScore: Double
    /// ``rawScore`` snapped to the nearest allowed score.
    public var score: Double
    public var explanation: String
    /// Which step of the parser succeeded.
    public var method: Method

    public enum Method: String, Sendable, Hashable {
        case whole, lastMatch = "last-match", repaired
    }
}

/// Reads `{"reasoning_quality": x, "explanation": "…"}` out of a model's answer, in three steps
/// (`reference/oro-validator.md` §4): the whole text as JSON (raw control characters inside strings
/// allowed, a Markdown code fence tolerated); else the last balanced `{…}` holding a numeric
/// `"reasoning_quality"`; else a repair of the last object (close an odd quote, close open braces).
/// Returns nil when none works, so garbage is never mistaken for a real low score.
public enum JudgeAnswerParser {
    public static let key = "reasoning_quality"

    public static func parse(_ text: String) -> ParsedJudgeAnswer? {
        let trimmed = stripFence(text.trimmingWhitespace())
        if let v = parseJSON(trimmed), let a = answer(v, .whole) { return a }
        let chars = Array(trimmed)
        let starts = objectStartsBeforeKey(chars)
        for start in starts.reversed() {
            if let end = balancedEnd(chars, from: start), let v = parseJSON(String(chars[start...end])),
                let a = answer(v, .lastMatch)
            {
                return a
            }
        }
        if let start = starts.last, let v = parseJSON(repair(String(chars[start...]))), let a = answer(v, .repaired) {
            return a
        }
        return nil
    }

    static func answer(_ value: JSONValue, _ method: ParsedJudgeAnswer.Method) -> ParsedJudgeAnswer? {
        guard case .object = value, let raw = value[key]?.numberValue, raw.isFinite else { return nil }
        let explanation = value["explanation"]?.stringValue ?? value["explanation"].map { JSONWriter().string($0) } ?? ""
        return ParsedJudgeAnswer(rawScore: raw, score: JudgeScore.snapped(raw), explanation: explanation, method: method)
    }

    /// Parses JSON after escaping raw control characters inside strings.
    static func parseJSON(_ text: String) -> JSONValue? {
        try? JSONParser.parse(escapeControlCharacters(text))
    }

    static func stripFence(_ text: String) -> String {
        guard text.hasPrefix("```") else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeFirst()
        if let last = lines.last, last.trimmingWhitespace().hasPrefix("```") { lines.removeLast() }
        return lines.joined(separator: "\n").trimmingWhitespace()
    }

    /// For each occurrence of `"reasoning_quality"`, the innermost `{` that is still open at that point.
    static func objectStartsBeforeKey(_ chars: [Character]) -> [Int] {
        let needle = Array("\"\(key)\"")
        var starts: [Int] = []
        var stack: [Int] = []
        var inString = false
        var escaped = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
                i += 1
                continue
            }
            if c == "\"" {
                if i + needle.count <= chars.count, Array(chars[i..<(i + needle.count)]) == needle, let open = stack.last {
                    if starts.last != open { starts.append(open) }
                    i += needle.count
                    continue
                }
                inString = true
            } else if c == "{" {
                stack.append(i)
            } else if c == "}" {
                _ = stack.popLast()
            }
            i += 1
        }
        return starts
    }

    /// Index of the `}` closing the object opened at `start`, string-aware.
    static func balancedEnd(_ chars: [Character], from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for i in start..<chars.count {
            let c = chars[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case "\"": inString = true
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
        }
        return nil
    }

    /// Closes an unterminated string and any open braces of a truncated object.
    static func repair(_ text: String) -> String {
        var out = text.trimmingWhitespace()
        var depth = 0
        var inString = false
        var escaped = false
        for c in out {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            if c == "\"" { inString = true } else if c == "{" { depth += 1 } else if c == "}" { depth -= 1 }
        }
        if escaped { out.removeLast() }
        if inString { out.append("\"") }
        while out.hasSuffix(",") { out.removeLast() }
        if depth > 0 { out += String(repeating: "}", count: depth) }
        return out
    }

    /// Escapes raw control characters (newlines, tabs…) inside JSON strings, which strict JSON forbids
    /// but models often emit.
    static func escapeControlCharacters(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var inString = false
        var escaped = false
        for scalar in text.unicodeScalars {
            if inString {
                if escaped {
                    escaped = false
                } else if scalar == "\\" {
                    escaped = true
                } else if scalar == "\"" {
                    inString = false
                } else if scalar.value < 0x20 {
                    switch scalar {
                    case "\n": out += "\\n"
                    case "\r": out += "\\r"
                    case "\t": out += "\\t"
                    default: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                    }
                    continue
                }
            } else if scalar == "\"" {
                inString = true
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
