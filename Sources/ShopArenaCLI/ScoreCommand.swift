import ArenaRuntime
import ArgumentParser
import Foundation
import Scoring

/// `shoparena score …`: offline outcome scoring of envelope files, and the title-similarity evaluation.
struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score agent rollouts (envelope JSONL) against a problem suite, offline.",
        subcommands: [ScoreDialoguesCommand.self, SimilarityEvalCommand.self],
        defaultSubcommand: ScoreDialoguesCommand.self)
}

/// Which title similarity to use, shared by the scoring commands.
struct SimilarityOptions: ParsableArguments {
    @Option(name: .long, help: "Title similarity: 'lexical' (default, offline), 'embeddings' (OpenAI-compatible endpoint) or 'exact' (a testing aid: equal after NFKC, case folding and white-space collapsing, to compare a run with ORO's scorer).")
    var similarity: String = "lexical"
    @Option(name: .long, help: "Embeddings API base URL, e.g. http://127.0.0.1:8080/v1 (with --similarity embeddings).") var embeddingsURL: String?
    @Option(name: .long, help: "Embeddings model name.") var embeddingsModel: String = "Qwen/Qwen3-Embedding-0.6B"
    @Option(name: .long, help: "Environment variable holding the embeddings API key (sent as a Bearer token).") var embeddingsKeyEnv: String = "EMBEDDINGS_API_KEY"
    @Option(name: .long, help: "Embeddings request timeout in seconds.") var embeddingsTimeout: Int = 60

    func backend() throws -> any TitleSimilarity {
        let choice = TitleSimilarityChoice(name: similarity, embeddingsURL: embeddingsURL, embeddingsModel: embeddingsModel,
                                           embeddingsKey: ProcessInfo.processInfo.environment[embeddingsKeyEnv],
                                           embeddingsTimeoutSeconds: embeddingsTimeout)
        do { return try choice.make() } catch let error as ScoreFilesError { throw ValidationError("\(error)") }
    }
}

/// `shoparena score [dialogues] --suite FILE --dialogues ENVELOPES.jsonl --catalog FILE`.
struct ScoreDialoguesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialogues",
        abstract: "Score an envelope file (one sandbox envelope per line) against a suite.",
        discussion: """
        Prints a per-category table and writes a JSON report with the aggregate and every problem's components, recommended ids, slots and issues. \
        Missing rollouts, timeouts and crashes count as failures unless --denominator rolled-out is given (ShoppingBench's evaluator).
        """)

    @Option(name: .long, help: "Problem suite: ORO suite JSON or ShoppingBench JSONL.") var suite: String
    @Option(name: .long, help: "Envelope JSONL (the sandbox's output.jsonl).") var dialogues: String
    @Option(name: .long, help: "Product catalog JSONL ({id, contents, product} lines or bare products).") var catalog: String?
    @Option(name: .long, help: "Search index file (built by `shoparena index build`); instead of --catalog.") var index: String?
    @Option(name: .long, help: "Scoring profile: oro or shoppingbench.") var profile: String = "oro"
    @Option(name: .long, help: "Rate denominator: suite (every problem) or rolled-out (problems with a rollout).") var denominator: String?
    @Option(name: .long, help: "Where to write the JSON report ('-' for stdout). Default: <dialogues>.score.json.") var output: String?
    @Option(name: .long, help: "Problems scored concurrently.") var parallelism: Int = 4
    @OptionGroup var similarity: SimilarityOptions

    func run() async throws {
        let scoring: OfflineScoring
        do {
            scoring = OfflineScoring(suite: suite, dialogues: dialogues, products: try .choose(catalog: catalog, index: index),
                                     profile: try ScoreIO.profile(profile), denominator: try denominator.map { try .named($0) },
                                     output: output, parallelism: parallelism, similarity: try similarity.backend())
        } catch let error as ScoreFilesError { throw ValidationError("\(error)") }
        try await scoring.run(console: .standard)
    }
}

/// `shoparena score similarity-eval --catalog FILE --manifest FILE --suite FILE`.
struct SimilarityEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity-eval",
        abstract: "Precision/recall of the title similarity on a labelled set built from a generated catalog.",
        discussion: """
        Positives: each anchor's, alternate's and non-violating decoy's title against its reward title. Negatives: random background (non-manifest) \
        titles, --negatives-per-positive of them per positive, against the same reward title. Hard negatives (products that violate a constraint; \
        near copies of the title by design) are reported apart as the share judged similar. Prints JSON.
        """)

    @Option(name: .long, help: "Generated catalog JSONL.") var catalog: String
    @Option(name: .long, help: "The generator's manifest JSONL (one line per non-filler product).") var manifest: String
    @Option(name: .long, help: "The suite the catalog covers (for the reward titles).") var suite: String
    @Option(name: .long, help: "Profile whose title threshold is evaluated: oro or shoppingbench.") var profile: String = "oro"
    @Option(name: .long, help: "Threshold to evaluate instead of the profile's.") var threshold: Double?
    @Option(name: .long, help: "Seed for drawing the unrelated titles.") var seed: UInt64 = 1
    @Option(name: .long, help: "Unrelated background titles drawn per positive pair.") var negativesPerPositive: Int = 20
    @Option(name: .long, help: "Where to write the JSON ('-' for stdout).") var output: String = "-"
    @OptionGroup var similarity: SimilarityOptions

    func run() async throws {
        let profile: ScoringProfile
        do { profile = try ScoreIO.profile(self.profile) } catch { throw ValidationError("\(error)") }
        let evaluation = SimilarityEvaluationRun(
            catalog: catalog, manifest: manifest, suite: suite, profile: profile, threshold: threshold, seed: seed,
            negativesPerPositive: negativesPerPositive, output: output, similarity: try similarity.backend())
        try await evaluation.run()
    }
}
