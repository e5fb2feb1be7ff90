import ArenaModel
import Corpus
import Foundation
import Scoring
import Search

/// `shoparena eval --samples K`: the files of each sample and the pass@k evaluation of the runs.
public enum EvalSamples {
    /// The result of scoring every sample: the outcome scores of each (by sample index) and the pass@k report.
    public struct Evaluation: Sendable {
        public var scores: [SuiteScore]
        public var report: PassAtKReport
    }

    /// One envelopes file per sample: `envelopes.jsonl` alone for one sample, else `envelopes.sample-<i>.jsonl`
    /// (`i` from 0) next to it.
    public static func envelopePaths(_ path: String, samples: Int) -> [String] {
        guard samples > 1 else { return [path] }
        let base = path.hasSuffix(".jsonl") ? String(path.dropLast(".jsonl".count)) : path
        return (0..<samples).map { "\(base).sample-\($0).jsonl" }
    }

    /// Scores each sample over the whole suite (a missing, timed-out or crashed run fails) and takes each run's
    /// corpus verdict from its trusted proxy log; pass@k is taken at k = the number of samples.
    public static func evaluate(problems: [Problem], bySample: [[Envelope]], scorer: OutcomeScorer, products: SearchIndex) async throws
        -> Evaluation
    {
        var scores: [SuiteScore] = []
        var samples: [PassAtKSample] = []
        for (index, envelopes) in bySample.enumerated() {
            let result = await SuiteScorer(scorer: scorer).score(suite: problems, envelopes: envelopes, denominator: .suite)
            scores.append(result)
            let success = Dictionary(result.problems.map { ($0.problemID, $0.success) }, uniquingKeysWith: { first, _ in first })
            let byID = Dictionary(envelopes.map { ($0.problemID, $0) }, uniquingKeysWith: { first, _ in first })
            for problem in problems {
                samples.append(PassAtKSample(
                    problemID: problem.id, category: problem.category, sample: index, success: success[problem.id] ?? false,
                    verdict: verdict(envelope: byID[problem.id], problem: problem, products: products)))
            }
        }
        do {
            return Evaluation(scores: scores, report: try PassAtKReport(samples: samples, k: max(1, bySample.count)))
        } catch {
            throw EvalSetupError("The pass@k report cannot be made: \(error).")
        }
    }

    /// The corpus verdict (`agentic`, `scripted`, `no-llm`) of one run, as the arena's corpus would record it.
    public static func verdict(envelope: Envelope?, problem: Problem, products: SearchIndex) -> String {
        CorpusAnalysis.analyse(envelope: envelope, query: problem.query, catalog: .lookup { products.product(id: $0) != nil })
            .agentic.verdict.rawValue
    }
}
