import ArenaModel
import Catalog
import Foundation
import Scoring

/// Why offline scoring cannot read or write its files, or was given an unknown name.
public enum ScoreFilesError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(what: String, path: String, reason: String)
    case unwritable(path: String, reason: String)
    case unknownProfile(String)
    case unknownDenominator(String)
    case unknownSimilarity(String)
    case embeddingsNeedURL
    case invalidLine(path: String, line: Int, reason: String)
    /// Both a catalog and an index were given as the products to judge.
    case productsTwice
    /// Neither a catalog nor an index was given.
    case productsMissing

    public var description: String {
        switch self {
        case .unreadable(let what, let path, let reason): "cannot read the \(what) file '\(path)': \(reason)"
        case .unwritable(let path, let reason): "cannot write '\(path)': \(reason)"
        case .unknownProfile(let name): "unknown --profile '\(name)' (expected oro or shoppingbench)"
        case .unknownDenominator(let name): "unknown --denominator '\(name)' (expected suite or rolled-out)"
        case .unknownSimilarity(let name): "unknown --similarity '\(name)' (expected lexical, embeddings or exact)"
        case .embeddingsNeedURL: "--similarity embeddings needs --embeddings-url (an OpenAI-compatible /v1 base URL)"
        case .invalidLine(let path, let line, let reason): "\(path):\(line): \(reason)"
        case .productsTwice: "give either --catalog or --index, not both"
        case .productsMissing: "give the products to judge with --catalog FILE or --index FILE"
        }
    }
}

/// The files of offline scoring (`score`, `eval`): suites, catalogs, envelope files in; JSON reports out.
public enum ScoreIO {
    public static func readText(_ path: String, what: String) throws(ScoreFilesError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(what: what, path: path, reason: error.localizedDescription)
        }
    }

    /// Reads a problem file; its errors name the path as given, so the user can find the line.
    public static func suite(_ path: String) throws -> ProblemSuite {
        try ProblemSuite(text: readText(path, what: "suite"), fileName: path)
    }

    /// Loads and concatenates problem files (ORO suite JSON arrays or ShoppingBench JSONL).
    public static func problems(_ paths: [String]) throws -> [Problem] {
        try paths.flatMap { try suite($0).problems }
    }

    public static func catalog(_ path: String) throws -> [Product] {
        try CatalogReader.readAll(path: path).map(\.product)
    }

    public static func profile(_ name: String) throws(ScoreFilesError) -> ScoringProfile {
        guard let p = ScoringProfile.named(name) else { throw .unknownProfile(name) }
        return p
    }

    /// The JSON `value` (Python's layout) to `path`, or to standard output for "-".
    public static func write(_ value: JSONValue, to path: String) throws(ScoreFilesError) {
        try writeText(JSONWriter(style: .python).string(value) + "\n", to: path)
    }

    /// Writes `text` to `path` atomically, or to standard output for "-" (the usual file-name convention).
    public static func writeText(_ text: String, to path: String) throws(ScoreFilesError) {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    public static func percent(_ x: Double) -> String { String(format: "%6.1f%%", x * 100) }

    /// The per-category table `score` and `eval` print.
    public static func table(_ r: SuiteScore) -> String {
        var lines = [
            "profile \(r.profile.name), denominator \(r.denominator.rawValue)",
            "category   problems  rolled-out   success   gt-rate  field-match   format",
        ]
        func row(_ name: String, _ a: OutcomeAggregate) -> String {
            name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%9d %11d", a.totalProblems, a.rolledOutProblems)
                + "   " + percent(a.successRate) + "   " + percent(a.groundTruthRate) + "      "
                + percent(a.fieldMatching) + "  " + percent(a.formatScore)
        }
        for (c, a) in r.aggregate.byCategory { lines.append(row(c.rawValue, a)) }
        lines.append(row("all", r.aggregate.overall))
        lines.append("sample-weighted success rate: " + percent(r.aggregate.sampleWeightedSuccessRate))
        return lines.joined(separator: "\n")
    }
}
