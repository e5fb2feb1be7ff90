import ArenaModel
import Corpus
import Foundation

/// `shoparena problems cluster`: problems of several files grouped into leak clusters, one JSONL line per input problem
/// in input order (`{"file", "index", "problem_id", "cluster"}`), and optionally the links with their reasons.
public struct ProblemClusterFiles: Sendable {
    public var files: [String]
    /// Where the clusters go ('-': stdout).
    public var out = "-"
    /// Where the links go, if anywhere.
    public var links: String?

    public init(files: [String]) {
        self.files = files
    }

    /// Clusters, writes the clusters (and links) and returns the one-line summary.
    public func run() throws -> String {
        var problems: [Problem] = []
        var origin: [(file: String, index: Int)] = []
        for file in files {
            let suite = try ScoreIO.suite(file)
            for (i, p) in suite.problems.enumerated() {
                problems.append(p)
                origin.append((file, i))
            }
        }
        let started = ContinuousClock.now
        let result = ProblemClusterer().cluster(problems)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var lines: [String] = []
        lines.reserveCapacity(problems.count)
        let writer = JSONWriter(style: .compact)
        for (i, p) in problems.enumerated() {
            lines.append(writer.string(.object([
                ("file", .string(origin[i].file)), ("index", .int(Int64(origin[i].index))), ("problem_id", .string(p.id)),
                ("cluster", .string("c\(result.cluster[i])")),
            ])))
        }
        try Self.write(lines, to: out)
        if let links {
            try Self.write(result.links.map { link in
                writer.string(.object([
                    ("a", .string(problems[link.first].id)), ("b", .string(problems[link.second].id)),
                    ("reason", .string(link.reason.description)),
                ]))
            }, to: links)
        }
        let largest = result.members.map(\.count).max() ?? 0
        return ("problems cluster: \(problems.count) problems in \(result.clusterCount) clusters "
            + "(largest \(largest), \(result.links.count) links) in \(String(format: "%.2f", seconds)) s")
    }

    static func write(_ lines: [String], to path: String) throws {
        try ScoreIO.writeText(lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n", to: path)
    }
}

