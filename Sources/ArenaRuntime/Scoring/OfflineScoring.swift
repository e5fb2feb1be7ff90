import ArenaModel
import Catalog
import Foundation
import Scoring
import Search

/// `shoparena score dialogues`: an envelope file scored against a suite, offline — the per-category table and the JSON
/// report with every problem's components.
public struct OfflineScoring: Sendable {
    /// Where products are looked up.
    public enum Products: Sendable, Hashable {
        case catalog(String)
        case index(String)
    }

    public var suite: String
    public var dialogues: String
    public var products: Products
    public var profile: ScoringProfile = .oro
    /// nil: the profile's (every problem counts).
    public var denominator: ScoringProfile.Denominator?
    /// The JSON report ('-': stdout); nil: `<dialogues>.score.json`.
    public var output: String?
    public var parallelism = 4
    public var similarity: any TitleSimilarity = LexicalTitleSimilarity()

    public init(suite: String, dialogues: String, products: Products, profile: ScoringProfile = .oro,
                denominator: ScoringProfile.Denominator? = nil, output: String? = nil, parallelism: Int = 4,
                similarity: any TitleSimilarity = LexicalTitleSimilarity()) {
        self.suite = suite
        self.dialogues = dialogues
        self.products = products
        self.profile = profile
        self.denominator = denominator
        self.output = output
        self.parallelism = parallelism
        self.similarity = similarity
    }

    /// Scores, puts the table on the result stream and writes the report.
    public func run(console: Console) async throws {
        let lookup: any ProductLookup
        switch products {
        case .catalog(let catalog): lookup = ProductDictionary(try ScoreIO.catalog(catalog))
        case .index(let index):
            do {
                lookup = try SearchIndex.open(path: index)
            } catch {
                throw EvaluationSetupError.indexUnopenable(path: index, reason: "\(error)")
            }
        }
        let problems = try ScoreIO.suite(suite)
        let file = EnvelopeFile(text: try ScoreIO.readText(dialogues, what: "dialogues"))
        for issue in file.issues { console.note("warning: \(dialogues): \(issue)") }
        let scorer = OutcomeScorer(profile: profile, products: lookup, similarity: similarity)
        let result = await SuiteScorer(scorer: scorer, parallelism: parallelism)
            .score(suite: problems.problems, envelopes: file.envelopes, denominator: denominator)
        if !result.unmatchedEnvelopeIDs.isEmpty {
            console.note("warning: \(result.unmatchedEnvelopeIDs.count) envelope(s) match no problem of the suite")
        }
        if !result.duplicateEnvelopeIDs.isEmpty {
            console.note("warning: \(result.duplicateEnvelopeIDs.count) problem(s) have several envelopes; the last one was scored")
        }
        console.result(ScoreIO.table(result))
        let out = output ?? dialogues + ".score.json"
        let report = result.json.setting("suite", to: .string(suite)).setting("dialogues", to: .string(dialogues))
            .setting("similarity", to: .string(scorer.similarity.scale.rawValue))
        try ScoreIO.write(report, to: out)
        if out != "-" { console.note("wrote \(out)") }
    }
}

/// `shoparena score similarity-eval`: precision and recall of a title similarity on labelled pairs built from a
/// generated catalog and its manifest; hard negatives reported apart.
public struct SimilarityEvaluationRun: Sendable {
    public var catalog: String
    public var manifest: String
    public var suite: String
    public var profile: ScoringProfile = .oro
    /// nil: the profile's threshold for the similarity's scale.
    public var threshold: Double?
    public var seed: UInt64 = 1
    public var negativesPerPositive = 20
    public var output = "-"
    public var similarity: any TitleSimilarity = LexicalTitleSimilarity()

    public init(catalog: String, manifest: String, suite: String, profile: ScoringProfile = .oro, threshold: Double? = nil,
                seed: UInt64 = 1, negativesPerPositive: Int = 20, output: String = "-",
                similarity: any TitleSimilarity = LexicalTitleSimilarity()) {
        self.catalog = catalog
        self.manifest = manifest
        self.suite = suite
        self.profile = profile
        self.threshold = threshold
        self.seed = seed
        self.negativesPerPositive = negativesPerPositive
        self.output = output
        self.similarity = similarity
    }

    public func run() async throws {
        let problems = try ScoreIO.suite(suite)
        let products = try ScoreIO.catalog(catalog)
        var entries: [ManifestEntry] = []
        var lineNumber = 0
        for line in try ScoreIO.readText(manifest, what: "manifest").split(separator: "\n") {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                entries.append(try ManifestEntry(jsonLine: String(line)))
            } catch {
                throw ScoreFilesError.invalidLine(path: manifest, line: lineNumber, reason: "\(error)")
            }
        }
        let (pairs, hard) = SimilarityEvaluation.labelledPairs(
            products: products, manifest: entries, suite: problems.problems, seed: seed,
            negativesPerPositive: max(0, negativesPerPositive))
        let t = threshold ?? profile.titleThreshold(for: similarity.scale, web: false)
        let report = try await SimilarityEvaluation.evaluate(pairs, similarity: similarity, threshold: t)
        let hardReport = try await SimilarityEvaluation.evaluate(hard, similarity: similarity, threshold: t)
        let out: JSONValue = .object([
            ("profile", .string(profile.name)), ("similarity", .string(similarity.scale.rawValue)), ("threshold", .double(t)),
            ("positives", .int(Int64(pairs.filter(\.isSameProduct).count))),
            ("negatives", .int(Int64(pairs.filter { !$0.isSameProduct }.count))),
            ("labelled", report.json),
            ("hard_negatives", .object([("pairs", .int(Int64(hard.count))), ("groups", hardReport.json["groups"] ?? .null)])),
        ])
        try ScoreIO.write(out, to: output)
    }
}
