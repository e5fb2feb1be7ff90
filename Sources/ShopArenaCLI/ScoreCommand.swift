import ArenaModel
import ArgumentParser
import Catalog
import Foundation
import LLM
import Scoring
import Search
import Validator

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

    @Option(name: .long, help: "Embeddings API base URL, e.g. http://127.0.0.1:8080/v1 (with --similarity embeddings).")
    var embeddingsURL: String?

    @Option(name: .long, help: "Embeddings model name.")
    var embeddingsModel: String = "Qwen/Qwen3-Embedding-0.6B"

    @Option(name: .long, help: "Environment variable holding the embeddings API key (sent as a Bearer token).")
    var embeddingsKeyEnv: String = "EMBEDDINGS_API_KEY"

    @Option(name: .long, help: "Embeddings request timeout in seconds.")
    var embeddingsTimeout: Int = 60

    func backend() throws -> any TitleSimilarity {
        switch similarity.lowercased() {
        case "lexical": return LexicalTitleSimilarity()
        case "exact": return ExactTitleSimilarity()
        case "embeddings", "embedding":
            guard let url = embeddingsURL else {
                throw ValidationError("--similarity embeddings needs --embeddings-url (an OpenAI-compatible /v1 base URL)")
            }
            let key = ProcessInfo.processInfo.environment[embeddingsKeyEnv]
            let client = try EmbeddingsClient(
                configuration: .init(baseURL: url, apiKey: key, model: embeddingsModel, timeout: .seconds(embeddingsTimeout)))
            return EmbeddingTitleSimilarity(embedder: HTTPTextEmbedder(client: client))
        default:
            throw ValidationError("unknown --similarity '\(similarity)' (expected lexical, embeddings or exact)")
        }
    }
}

/// Adapts the LLM module's client to the scorer's embedder protocol.
struct HTTPTextEmbedder: TextEmbedder {
    let client: EmbeddingsClient
    func embed(_ texts: [String]) async throws -> [[Float]] { try await client.embed(texts) }
}

enum ScoreIO {
    static func readText(_ path: String, what: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read the \(what) file '\(path)': \(error.localizedDescription)")
        }
    }

    /// Reads a problem file; its errors name the path as given, so the user can find the line.
    static func suite(_ path: String) throws -> ProblemSuite {
        try ProblemSuite(text: readText(path, what: "suite"), fileName: path)
    }

    static func catalog(_ path: String) throws -> [Product] {
        try CatalogReader.readAll(path: path).map(\.product)
    }

    static func profile(_ name: String) throws -> ScoringProfile {
        guard let p = ScoringProfile.named(name) else {
            throw ValidationError("unknown --profile '\(name)' (expected oro or shoppingbench)")
        }
        return p
    }

    static func write(_ value: JSONValue, to path: String) throws {
        try writeText(JSONWriter(style: .python).string(value) + "\n", to: path)
    }

    /// Writes `text` to `path` atomically, or to stdout for "-".
    static func writeText(_ text: String, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ValidationError("cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    static func warn(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func percent(_ x: Double) -> String { String(format: "%6.1f%%", x * 100) }
}

/// `shoparena score [dialogues] --suite FILE --dialogues ENVELOPES.jsonl --catalog FILE`.
struct ScoreDialoguesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialogues",
        abstract: "Score an envelope file (one sandbox envelope per line) against a suite.",
        discussion: """
        Prints a per-category table and writes a JSON report with the aggregate and every problem's \
        components, recommended ids, slots and issues. Missing rollouts, timeouts and crashes count as \
        failures unless --denominator rolled-out is given (ShoppingBench's evaluator).
        """)

    @Option(name: .long, help: "Problem suite: ORO suite JSON or ShoppingBench JSONL.")
    var suite: String

    @Option(name: .long, help: "Envelope JSONL (the sandbox's output.jsonl).")
    var dialogues: String

    @Option(name: .long, help: "Product catalog JSONL ({id, contents, product} lines or bare products).")
    var catalog: String?

    @Option(name: .long, help: "Search index file (built by `shoparena index build`); instead of --catalog.")
    var index: String?

    @Option(name: .long, help: "Scoring profile: oro or shoppingbench.")
    var profile: String = "oro"

    @Option(name: .long, help: "Rate denominator: suite (every problem) or rolled-out (problems with a rollout).")
    var denominator: String?

    @Option(name: .long, help: "Where to write the JSON report ('-' for stdout). Default: <dialogues>.score.json.")
    var output: String?

    @Option(name: .long, help: "Problems scored concurrently.")
    var parallelism: Int = 4

    @OptionGroup var similarity: SimilarityOptions

    func run() async throws {
        let profile = try ScoreIO.profile(self.profile)
        var denominator: ScoringProfile.Denominator?
        if let d = self.denominator {
            guard let parsed = ScoringProfile.Denominator(rawValue: d) else {
                throw ValidationError("unknown --denominator '\(d)' (expected suite or rolled-out)")
            }
            denominator = parsed
        }
        let products: any ProductLookup
        switch (catalog, index) {
        case (let catalog?, nil): products = ProductDictionary(try ScoreIO.catalog(catalog))
        case (nil, let index?):
            do {
                products = try SearchIndex.open(path: index)
            } catch {
                throw ValidationError("\(error)")
            }
        case (.some, .some): throw ValidationError("give either --catalog or --index, not both")
        case (nil, nil): throw ValidationError("give the products to judge with --catalog FILE or --index FILE")
        }
        let suite = try ScoreIO.suite(self.suite)
        let file = EnvelopeFile(text: try ScoreIO.readText(dialogues, what: "dialogues"))
        for issue in file.issues { ScoreIO.warn("warning: \(dialogues): \(issue)") }
        let scorer = OutcomeScorer(profile: profile, products: products, similarity: try similarity.backend())
        let result = await SuiteScorer(scorer: scorer, parallelism: parallelism)
            .score(suite: suite.problems, envelopes: file.envelopes, denominator: denominator)
        if !result.unmatchedEnvelopeIDs.isEmpty {
            ScoreIO.warn("warning: \(result.unmatchedEnvelopeIDs.count) envelope(s) match no problem of the suite")
        }
        if !result.duplicateEnvelopeIDs.isEmpty {
            ScoreIO.warn("warning: \(result.duplicateEnvelopeIDs.count) problem(s) have several envelopes; the last one was scored")
        }
        print(Self.table(result))
        let out = output ?? dialogues + ".score.json"
        var report = result.json
        report = report.setting("suite", to: .string(self.suite)).setting("dialogues", to: .string(dialogues))
            .setting("similarity", to: .string(scorer.similarity.scale.rawValue))
        try ScoreIO.write(report, to: out)
        if out != "-" { ScoreIO.warn("wrote \(out)") }
    }

    static func table(_ r: SuiteScore) -> String {
        var lines = [
            "profile \(r.profile.name), denominator \(r.denominator.rawValue)",
            "category   problems  rolled-out   success   gt-rate  field-match   format",
        ]
        func row(_ name: String, _ a: OutcomeAggregate) -> String {
            name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%9d %11d", a.totalProblems, a.rolledOutProblems)
                + "   " + ScoreIO.percent(a.successRate) + "   " + ScoreIO.percent(a.groundTruthRate) + "      "
                + ScoreIO.percent(a.fieldMatching) + "  " + ScoreIO.percent(a.formatScore)
        }
        for (c, a) in r.aggregate.byCategory { lines.append(row(c.rawValue, a)) }
        lines.append(row("all", r.aggregate.overall))
        lines.append("sample-weighted success rate: " + ScoreIO.percent(r.aggregate.sampleWeightedSuccessRate))
        return lines.joined(separator: "\n")
    }
}

/// `shoparena score similarity-eval --catalog FILE --manifest FILE --suite FILE`.
struct SimilarityEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity-eval",
        abstract: "Precision/recall of the title similarity on a labelled set built from a generated catalog.",
        discussion: """
        Positives: each anchor's, alternate's and non-violating decoy's title against its reward title. \
        Negatives: random background (non-manifest) titles, --negatives-per-positive of them per positive, \
        against the same reward title. \
        Hard negatives (products that violate a constraint; near copies of the title by design) are \
        reported apart as the share judged similar. Prints JSON.
        """)

    @Option(name: .long, help: "Generated catalog JSONL.")
    var catalog: String

    @Option(name: .long, help: "The generator's manifest JSONL (one line per non-filler product).")
    var manifest: String

    @Option(name: .long, help: "The suite the catalog covers (for the reward titles).")
    var suite: String

    @Option(name: .long, help: "Profile whose title threshold is evaluated: oro or shoppingbench.")
    var profile: String = "oro"

    @Option(name: .long, help: "Threshold to evaluate instead of the profile's.")
    var threshold: Double?

    @Option(name: .long, help: "Seed for drawing the unrelated titles.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Unrelated background titles drawn per positive pair.")
    var negativesPerPositive: Int = 20

    @Option(name: .long, help: "Where to write the JSON ('-' for stdout).")
    var output: String = "-"

    @OptionGroup var similarity: SimilarityOptions

    func run() async throws {
        let profile = try ScoreIO.profile(self.profile)
        let backend = try similarity.backend()
        let suite = try ScoreIO.suite(self.suite)
        let products = try ScoreIO.catalog(catalog)
        var entries: [ManifestEntry] = []
        var lineNumber = 0
        for line in try ScoreIO.readText(manifest, what: "manifest").split(separator: "\n") {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                entries.append(try ManifestEntry(jsonLine: String(line)))
            } catch {
                throw ValidationError("\(manifest):\(lineNumber): \(error)")
            }
        }
        let (pairs, hard) = SimilarityEvaluation.labelledPairs(
            products: products, manifest: entries, suite: suite.problems, seed: seed,
            negativesPerPositive: max(0, negativesPerPositive))
        let t = threshold ?? profile.titleThreshold(for: backend.scale, web: false)
        let report = try await SimilarityEvaluation.evaluate(pairs, similarity: backend, threshold: t)
        let hardReport = try await SimilarityEvaluation.evaluate(hard, similarity: backend, threshold: t)
        let out: JSONValue = .object([
            ("profile", .string(profile.name)), ("similarity", .string(backend.scale.rawValue)), ("threshold", .double(t)),
            ("positives", .int(Int64(pairs.filter(\.isSameProduct).count))),
            ("negatives", .int(Int64(pairs.filter { !$0.isSameProduct }.count))),
            ("labelled", report.json),
            ("hard_negatives", .object([("pairs", .int(Int64(hard.count))), ("groups", hardReport.json["groups"] ?? .null)])),
        ])
        try ScoreIO.write(out, to: output)
    }
}
