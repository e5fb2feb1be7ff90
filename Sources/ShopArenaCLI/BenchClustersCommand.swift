import ArenaModel
import ArenaRuntime
import ArgumentParser

/// `shoparena bench clusters`: recall per variant kind and pair precision of the leak-cluster guard, and its time.
struct BenchClustersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "Measure the leak-cluster guard: variant recall per kind, pair precision, time (prints JSON).",
        discussion: """
            Generates --generate problems from --catalog (and adds every --suite file), writes one version of each problem per variant kind \
            (reworded, paraphrased, reordered, shortened, restyled, relisted; deterministic from --seed), clusters originals and variants together, \
            and reports: recall per kind (variant in its original's cluster) for the full guard and for its text similarity alone, the plain \
            word-set Jaccard baseline, and pair precision (pairs in a cluster that are neither one problem nor share a product are wrong).
            """)

    @Option(help: "Catalog JSONL to generate problems from.") var catalog: String
    @Option(help: "Problems to generate.") var generate: Int = 1_430
    @Option(help: "Extra problem files (ORO suite JSON, ShoppingBench JSONL).") var suite: [String] = []
    @Option(help: "Seed of the generator and the variants.") var seed: UInt64 = 42
    @Option(help: "Plain word-set Jaccard threshold of the baseline.") var baselineThreshold: Double = 0.5
    @Option(help: "Print this many links that joined two different problems (to stderr), to see why.") var showWrong = 0

    func run() async throws {
        let bench = BenchClusters(catalog: catalog, generate: generate, suite: suite, seed: seed, baselineThreshold: baselineThreshold,
                                  showWrong: showWrong)
        printJSON(try await bench.run(wrongLink: { printError($0) }), style: .python)
    }
}
