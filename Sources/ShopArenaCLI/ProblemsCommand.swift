import ArenaRuntime
import ArgumentParser

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
            Reads ORO suite JSON and ShoppingBench JSONL files (a hidden race bank file too) and writes one line per input problem, in input order: \
            {"file", "index", "problem_id", "cluster"} (index is 0-based within its file; clusters are numbered c0, c1, … by first appearance). \
            Problems are joined when they share a ground-truth product id, have the same reward specification (order-insensitive, ids left out), or \
            ask for the same thing in other words (paraphrased, reordered, shortened, restyled numbers and currency). With --links, each join is \
            written with its reason.
            """)

    @Argument(help: "Problem files.") var files: [String]
    @Option(help: "Where to write the clusters (JSONL; '-' for stdout).") var out: String = "-"
    @Option(help: "Also write the links that joined problems, with their reasons (JSONL).") var links: String?

    func run() async throws {
        guard !files.isEmpty else { throw ValidationError("give at least one problem file") }
        var clustering = ProblemClusterFiles(files: files)
        clustering.out = out
        clustering.links = links
        printError(try clustering.run())
    }
}
