/// Why a problem file could not be loaded. Every case names the file and line.
public enum ProblemSuiteError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidJSON(file: String, line: Int, reason: String)
    case invalidProblem(source: ProblemSource, reason: String)
    case duplicateQuery(first: ProblemSource, second: ProblemSource, query: String)
    case duplicateID(first: ProblemSource, second: ProblemSource, id: String)
    case empty(file: String)

    public var description: String {
        switch self {
        case .invalidJSON(let file, let line, let reason): return "\(file):\(line): \(reason)"
        case .invalidProblem(let source, let reason): return "\(source): \(reason)"
        case .duplicateQuery(let first, let second, let query):
            let shown = query.count > 80 ? String(query.prefix(77)) + "..." : query
            return "\(second): duplicate query, already at \(first): \"\(shown)\" (rollouts are joined to problems by query)"
        case .duplicateID(let first, let second, let id):
            return "\(second): duplicate problem_id '\(id)', already at \(first)"
        case .empty(let file): return "\(file): no problems found"
        }
    }
}

/// An ordered set of problems loaded from one file: an ORO suite (a JSON array) or ShoppingBench
/// JSONL (one problem per line). Queries and ids are unique within a suite.
public struct ProblemSuite: Sendable {
    public var problems: [Problem]

    public init(problems: [Problem]) throws(ProblemSuiteError) {
        try ProblemSuite.checkUnique(problems)
        self.problems = problems
    }

    /// Loads a suite from the text of a file; the format is detected from the first character.
    public init(text: String, fileName: String) throws(ProblemSuiteError) {
        var copy = text
        let result = copy.withUTF8 { bytes in
            Result { () throws(ProblemSuiteError) -> [Problem] in try ProblemSuite.parse(bytes: bytes, fileName: fileName) }
        }
        let problems = try result.get()
        if problems.isEmpty { throw .empty(file: fileName) }
        try self.init(problems: problems)
    }

    public subscript(id id: String) -> Problem? { problems.first { $0.id == id } }

    public func problem(forQuery query: String) -> Problem? { problems.first { $0.query == query } }

    /// The suite as an ORO suite JSON array of the original records.
    public var oroJSON: JSONValue { .array(problems.map(\.original)) }

    static func checkUnique(_ problems: [Problem]) throws(ProblemSuiteError) {
        var byQuery: [String: Problem] = [:]
        var byID: [String: Problem] = [:]
        let unknown = ProblemSource(file: "<memory>", line: 0)
        for p in problems {
            if let first = byQuery[p.query] {
                throw .duplicateQuery(first: first.source ?? unknown, second: p.source ?? unknown, query: p.query)
            }
            if let first = byID[p.id] {
                throw .duplicateID(first: first.source ?? unknown, second: p.source ?? unknown, id: p.id)
            }
            byQuery[p.query] = p
            byID[p.id] = p
        }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>, fileName: String) throws(ProblemSuiteError) -> [Problem] {
        var cursor = JSONParser.Cursor(bytes: bytes)
        cursor.skipWhitespace()
        // A UTF-8 byte-order mark is tolerated.
        if cursor.index + 3 <= bytes.count, bytes[cursor.index] == 0xEF, bytes[cursor.index + 1] == 0xBB, bytes[cursor.index + 2] == 0xBF {
            cursor.index += 3
            cursor.skipWhitespace()
        }
        guard cursor.index < bytes.count else { return [] }
        var lineStarts = LineIndex(bytes: bytes)
        if bytes[cursor.index] == UInt8(ascii: "[") {
            return try parseArray(&cursor, lines: &lineStarts, fileName: fileName)
        }
        return try parseLines(bytes: bytes, fileName: fileName)
    }

    static func parseArray(_ cursor: inout JSONParser.Cursor, lines: inout LineIndex, fileName: String) throws(ProblemSuiteError) -> [Problem] {
        var problems: [Problem] = []
        cursor.index += 1
        cursor.skipWhitespace()
        func jsonError(_ e: JSONParseError) -> ProblemSuiteError {
            .invalidJSON(file: fileName, line: lines.line(of: e.offset), reason: e.message)
        }
        if cursor.index < cursor.bytes.count, cursor.bytes[cursor.index] == UInt8(ascii: "]") { return [] }
        while true {
            cursor.skipWhitespace()
            let start = cursor.index
            let value: JSONValue
            do {
                value = try cursor.parseValue(depth: 1)
            } catch {
                throw jsonError(error)
            }
            let source = ProblemSource(file: fileName, line: lines.line(of: start))
            do {
                problems.append(try Problem(json: value, source: source))
            } catch {
                throw .invalidProblem(source: source, reason: error.reason)
            }
            cursor.skipWhitespace()
            guard cursor.index < cursor.bytes.count else {
                throw .invalidJSON(file: fileName, line: lines.line(of: cursor.index), reason: "unterminated array")
            }
            if cursor.bytes[cursor.index] == UInt8(ascii: ",") { cursor.index += 1; continue }
            if cursor.bytes[cursor.index] == UInt8(ascii: "]") { cursor.index += 1; break }
            throw .invalidJSON(file: fileName, line: lines.line(of: cursor.index), reason: "expected ',' or ']'")
        }
        cursor.skipWhitespace()
        if cursor.index != cursor.bytes.count {
            throw .invalidJSON(file: fileName, line: lines.line(of: cursor.index), reason: "unexpected data after the suite array")
        }
        return problems
    }

    static func parseLines(bytes: UnsafeBufferPointer<UInt8>, fileName: String) throws(ProblemSuiteError) -> [Problem] {
        var problems: [Problem] = []
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                let value: JSONValue
                do {
                    value = try JSONParser.parse(bytes: line)
                } catch {
                    throw .invalidJSON(file: fileName, line: lineNumber, reason: error.description)
                }
                let source = ProblemSource(file: fileName, line: lineNumber)
                do {
                    problems.append(try Problem(json: value, source: source))
                } catch {
                    throw .invalidProblem(source: source, reason: error.reason)
                }
            }
            if end >= bytes.count { break }
            start = end + 1
        }
        return problems
    }
}

/// Maps byte offsets to 1-based line numbers.
struct LineIndex {
    var starts: [Int] = [0]

    init(bytes: UnsafeBufferPointer<UInt8>) {
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
    }

    func line(of offset: Int) -> Int {
        var lo = 0
        var hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }
}
