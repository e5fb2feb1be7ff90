import ArenaModel
import ArgumentParser
import Corpus
import Foundation

/// `shoparena problems …`: tools over problem files (ORO suite JSON, ShoppingBench JSONL).
struct ProblemsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "problems",
        abstract: "Tools over problem files.",
        subcommands: [ProblemsClusterCommand.self])
}

/// `shoparena problems cluster FILE… --out clusters.jsonl`.
struct ProblemsClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Group problems into leak clusters: every version of a problem and every problem sharing a product.",
        discussion: """
            Reads ORO suite JSON and ShoppingBench JSONL files (a hidden race bank file too) and writes one line per \
            input problem, in input order: {"file", "index", "problem_id", "cluster"} (index is 0-based within its \
            file; clusters are numbered c0, c1, … by first appearance). Problems are joined when they share a \
            ground-truth product id, have the same reward specification (order-insensitive, ids left out), or ask \
            for the same thing in other words (paraphrased, reordered, shortened, restyled numbers and currency). \
            With --links, each join is written with its reason.
            """)

    @Argument(help: "Problem files.")
    var files: [String]

    @Option(help: "Where to write the clusters (JSONL; '-' for stdout).")
    var out: String = "-"

    @Option(help: "Also write the links that joined problems, with their reasons (JSONL).")
    var links: String?

    func run() async throws {
        guard !files.isEmpty else { throw ValidationError("give at least one problem file") }
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
        let seconds = (ContinuousClock.now - started).seconds
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
        ScoreIO.warn("problems cluster: \(problems.count) problems in \(result.clusterCount) clusters "
            + "(largest \(largest), \(result.links.count) links) in \(String(format: "%.2f", seconds)) s")
    }

    static func write(_ lines: [String], to path: String) throws {
        try ScoreIO.writeText(lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n", to: path)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
