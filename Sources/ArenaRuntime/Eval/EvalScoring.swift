import ArenaModel
import Corpus
import Foundation
import Scoring
import Search

/// Step 5 of a local evaluation: the outcome score of every problem (one run each), or the pass@k report over the
/// samples; the summary file; the corpus records when asked.
struct EvalScoring {
    var evaluation: LocalEvaluation
    var problems: [Problem]
    var products: SearchIndex
    var suiteName: String
    var summaryPath: String
    /// The run's counts (``EvalReport/json``).
    var run: JSONValue
    var console: Console

    /// One run per problem: timeouts and crashes count as failures over the whole suite; the table on the result
    /// stream, the summary next to the envelopes.
    func outcomes(envelopes: [Envelope], envelopesPath: String) async throws {
        let scorer = evaluation.environment.makeScorer(engine: products)
        let result = await SuiteScorer(scorer: scorer).score(suite: problems, envelopes: envelopes, denominator: nil)
        console.result("")
        console.result(ScoreIO.table(result))
        try ScoreIO.write(
            result.json.setting("suite", to: .string(suiteName)).setting("dialogues", to: .string(envelopesPath))
                .setting("run", to: run), to: summaryPath)
        console.note("eval: wrote \(summaryPath)")
        if let corpus = evaluation.corpusDirectory {
            let stats = try EvalCorpus.write(
                directory: corpus, agentFile: URL(fileURLWithPath: evaluation.agent), problems: problems, bySample: [envelopes],
                scores: [result.problems], products: products, profile: evaluation.profileName, envelopePaths: [envelopesPath])
            console.result("")
            console.result(stats.text)
            console.note("eval: wrote the corpus to \(corpus)/trajectories.jsonl")
        }
    }

    /// pass@k (`samples`, `json`): every sample scored with ORO's production-strict rules, its corpus verdicts, the
    /// report (table or JSON) and summary.json, the corpus records of every sample.
    func samples(bySample: [[Envelope]], envelopePaths: [String]) async throws {
        var strict = evaluation.environment
        strict.profile = .oro
        let scored = try await EvalSamples.evaluate(
            problems: problems, bySample: bySample, scorer: strict.makeScorer(engine: products), products: products)
        if evaluation.json {
            console.result(JSONWriter(style: .python).string(scored.report.json))
        } else {
            console.result("")
            console.result(scored.report.text)
        }
        try ScoreIO.write(
            .object([
                ("suite", .string(suiteName)), ("samples", .int(Int64(bySample.count))),
                ("dialogues", .array(envelopePaths.map(JSONValue.string))), ("run", run),
                ("pass_at_k", scored.report.json), ("sample_scores", .array(scored.scores.map(\.json))),
            ]), to: summaryPath)
        console.note("eval: wrote \(summaryPath)")
        if let corpus = evaluation.corpusDirectory {
            let stats = try EvalCorpus.write(
                directory: corpus, agentFile: URL(fileURLWithPath: evaluation.agent), problems: problems, bySample: bySample,
                scores: scored.scores.map(\.problems), products: products, profile: "oro", envelopePaths: envelopePaths)
            let say = evaluation.json ? console.note : console.result
            say("")
            say(stats.text)
            console.note("eval: wrote the corpus to \(corpus)/trajectories.jsonl")
        }
    }
}
