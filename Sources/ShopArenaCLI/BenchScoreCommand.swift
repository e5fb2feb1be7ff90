import ArenaModel
import ArenaRuntime
import ArgumentParser
import Scoring

/// `shoparena bench score`: outcome-scoring throughput with the lexical title similarity.
///
/// The workload is built from a suite: per problem, products made from its reward constraints (GT
/// ids, valid alternates under other ids, and hard negatives that break one constraint), and 8-step
/// dialogues (searches with 10 results each, views, the recommendation, terminate) recommending each
/// of the three. Alternates and negatives need title similarity; GT ids do not.
struct BenchScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract: "Measure problems scored per second (JSON on stdout).")

    @Option(name: .long, help: "Problem suite to build the workload from (ORO suite JSON or ShoppingBench JSONL).") var suite: String
    @Option(name: .long, help: "Problems to score in the measured run.") var problems: Int = 200_000
    @Option(name: .long, help: "Concurrent scoring tasks (use the number of cores).") var parallelism: Int = 2
    @Option(name: .long, help: "Scoring profile: oro or shoppingbench.") var profile: String = "oro"

    func run() async throws {
        let profile: ScoringProfile
        do { profile = try ScoreIO.profile(self.profile) } catch { throw ValidationError("\(error)") }
        printJSON(try await BenchScore(suite: suite, problems: problems, parallelism: parallelism, profile: profile).run(), style: .python)
    }
}
