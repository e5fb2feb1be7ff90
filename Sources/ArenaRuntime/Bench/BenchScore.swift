import ArenaModel
import Foundation
import Scoring

/// `shoparena bench score`: outcome-scoring throughput with the lexical title similarity.
///
/// The workload is built from a suite: per problem, products made from its reward constraints (GT ids, valid
/// alternates under other ids, and hard negatives that break one constraint), and 8-step dialogues (searches with 10
/// results each, views, the recommendation, terminate) recommending each of the three. Alternates and negatives need
/// title similarity; GT ids do not.
public struct BenchScore: Sendable {
    /// Problem suite to build the workload from.
    public var suite: String
    /// Problems scored in the measured run.
    public var problems = 200_000
    /// Concurrent scoring tasks.
    public var parallelism = 2
    public var profile: ScoringProfile = .oro

    public init(suite: String, problems: Int = 200_000, parallelism: Int = 2, profile: ScoringProfile = .oro) {
        self.suite = suite
        self.problems = problems
        self.parallelism = parallelism
        self.profile = profile
    }

    /// Builds the workload, warms up, measures and returns the report.
    public func run() async throws -> JSONValue {
        let suite = try ScoreIO.suite(self.suite)
        let (products, base) = Self.workload(suite.problems)
        let scorer = SuiteScorer(
            scorer: OutcomeScorer(profile: profile, products: ProductDictionary(products), similarity: LexicalTitleSimilarity()),
            parallelism: parallelism)
        let work = (0..<max(1, problems)).map { base[$0 % base.count] }
        _ = await scorer.scoreAll(Array(work.prefix(min(work.count, 5_000))))  // warm-up
        let clock = ContinuousClock()
        let start = clock.now
        let scores = await scorer.scoreAll(work)
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let successes = scores.filter(\.success).count
        let stepCount = work.reduce(0) { $0 + ($1.1?.dialogue?.arrayValue?.count ?? 0) }
        let out: JSONValue = .object([
            ("benchmark", "score"), ("profile", .string(profile.name)), ("similarity", "lexical"),
            ("suite", .string(self.suite)), ("suite_problems", .int(Int64(suite.problems.count))),
            ("distinct_rollouts", .int(Int64(base.count))), ("problems", .int(Int64(work.count))),
            ("dialogue_steps", .int(Int64(stepCount))), ("parallelism", .int(Int64(parallelism))),
            ("seconds", .double(PythonRounding.round(seconds, 4))),
            ("problems_per_second", .double(PythonRounding.round(Double(work.count) / seconds, 1))),
            ("successes", .int(Int64(successes))),
        ])
        return out
    }

    /// Products and (problem, envelope) pairs: for every problem, one rollout recommending the GT ids,
    /// one recommending valid alternates, one recommending a hard negative in the first slot.
    public static func workload(_ problems: [Problem]) -> ([Product], [(Problem, Envelope?)]) {
        var products: [Product] = []
        var work: [(Problem, Envelope?)] = []
        for (n, problem) in problems.enumerated() {
            let gt = SyntheticSolutions.groundTruthProducts(for: problem, shopID: "shop-\(n)")
            let alternates = gt.map { p -> Product in
                var q = p
                q.productID = "alt-\(n)-" + p.productID
                q.title = "Acme " + p.title + " New Stock"
                return q
            }
            var negatives = alternates
            for v in SyntheticSolutions.Violation.allCases where v != .shop || problem.category == .shop {
                if let neg = SyntheticSolutions.hardNegative(
                    of: alternates[0], reward: problem.rewards[0], violating: v, id: "neg-\(n)", budget: problem.voucher)
                {
                    negatives[0] = neg
                    break
                }
            }
            products += gt + alternates + [negatives[0]]
            let pool = (gt + alternates).map(\.searchResultJSON)
            for ids in [gt.map(\.productID), alternates.map(\.productID), negatives.map(\.productID)] {
                work.append((problem, envelope(problem, recommending: ids, results: pool)))
            }
        }
        return (products, work)
    }

    /// An 8-step dialogue: 3 searches (10 results each), 3 views, recommend, terminate.
    public static func envelope(_ problem: Problem, recommending ids: [String], results pool: [JSONValue]) -> Envelope {
        var steps: [JSONValue] = []
        var t: Int64 = 1_750_000_000_000
        func step(_ think: String, _ calls: [JSONValue], response: String = "") {
            t += 1500
            steps.append(DialogueStep.make(think: think, toolCalls: calls, response: response, query: problem.query, step: steps.count + 1, timestamp: t).raw)
        }
        let results: JSONValue = .array((0..<10).map { pool[$0 % pool.count] })
        for i in 0..<3 {
            step(
                "Search for the requested item, attempt \(i + 1), then compare titles, prices and services.",
                [DialogueStep.call("find_product", [("q", .string(String(problem.query.prefix(40)))), ("page", .int(Int64(i + 1)))], result: results)])
        }
        for id in ids.prefix(3) {
            step(
                "Check the SKU options and attributes of \(id).",
                [DialogueStep.call("view_product_information", [("product_ids", .string(id))], result: .array([]))])
        }
        step("All constraints are met.", [DialogueStep.call("recommend_product", [("product_ids", .string(ids.joined(separator: ",")))])])
        step("Done.", [DialogueStep.call("terminate", [("status", "success")])], response: "I recommended \(ids.joined(separator: ", ")).")
        return Envelope(problemID: problem.id, status: .success, executionTime: 12, inferenceFailureCount: 0, inferenceTotal: 8, dialogue: .array(steps))
    }
}
