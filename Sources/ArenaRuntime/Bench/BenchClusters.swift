import ArenaModel
import Catalog
import Corpus
import Foundation

/// `shoparena bench clusters`: recall per variant kind and pair precision of the leak-cluster guard, and its time.
///
/// Generates problems from the catalog (and adds every suite file), writes one version of each problem per variant
/// kind (deterministic from the seed), clusters originals and variants together, and reports recall per kind for the
/// full guard and for its text similarity alone, the plain word-set Jaccard baseline, and pair precision.
public struct BenchClusters: Sendable {
    public var catalog: String
    public var generate = 1_430
    /// Extra problem files (ORO suite JSON, ShoppingBench JSONL).
    public var suite: [String] = []
    public var seed: UInt64 = 42
    /// Plain word-set Jaccard threshold of the baseline.
    public var baselineThreshold = 0.5
    /// How many wrong links to show.
    public var showWrong = 0

    public init(catalog: String, generate: Int = 1_430, suite: [String] = [], seed: UInt64 = 42,
                baselineThreshold: Double = 0.5, showWrong: Int = 0) {
        self.catalog = catalog
        self.generate = generate
        self.suite = suite
        self.seed = seed
        self.baselineThreshold = baselineThreshold
        self.showWrong = showWrong
    }

    /// Generates, clusters, evaluates and returns the report; `wrongLink` gets each shown link that joined two different
    /// problems.
    public func run(wrongLink: (String) -> Void) async throws -> JSONValue {
        var originals: [Problem] = []
        let generated = try SuiteGenerator(configuration: SuiteGeneratorConfiguration(count: generate, seed: seed))
            .generate(catalogPath: catalog)
        for record in generated.problems { originals.append(try Problem(json: record)) }
        for file in suite { originals += try ScoreIO.suite(file).problems }
        // Originals that share a ground-truth product belong together by definition; keep the first of each, so
        // precision measures what the guard joins wrongly, not chains of products the generator reused.
        var seenProducts = Set<String>()
        let before = originals.count
        originals = originals.filter { p in
            let ids = p.rewards.map(\.productID)
            guard seenProducts.isDisjoint(with: ids) else { return false }
            seenProducts.formUnion(ids)
            return true
        }
        let droppedForSharedProducts = before - originals.count

        let variants = ProblemVariants(seed: seed)
        var problems = originals
        var origin = Array(originals.indices)
        var kind: [ProblemVariants.Kind?] = Array(repeating: nil, count: originals.count)
        for (i, p) in originals.enumerated() {
            for k in ProblemVariants.Kind.allCases {
                problems.append(try Problem(json: variants.variant(of: p, kind: k)))
                origin.append(i)
                kind.append(k)
            }
        }
        let started = ContinuousClock.now
        let result = ProblemClusterer().cluster(problems)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var textOnly = ProblemClusterer.Configuration()
        textOnly.exactLinks = false
        let textResult = ProblemClusterer(configuration: textOnly).cluster(problems)

        var shown = 0
        for link in result.links where shown < showWrong && origin[link.first] != origin[link.second] {
            let a = problems[link.first]
            let b = problems[link.second]
            guard Set(a.rewards.map(\.productID)).isDisjoint(with: b.rewards.map(\.productID)) else { continue }
            shown += 1
            wrongLink("\(link.reason)\n  A: \(a.query.prefix(300))\n  B: \(b.query.prefix(300))\n")
        }
        let full = ClusterEvaluation(result: result, problems: problems, origin: origin, kind: kind)
        let text = ClusterEvaluation(result: textResult, problems: problems, origin: origin, kind: kind)
        let baseline = ClusterEvaluation.plainJaccardRecall(problems: problems, origin: origin, kind: kind,
                                                            threshold: baselineThreshold)
        func byKind(_ values: [ProblemVariants.Kind: Double]) -> JSONValue {
            .object(ProblemVariants.Kind.allCases.map { ($0.rawValue, .double(((values[$0] ?? 0) * 10_000).rounded() / 10_000)) })
        }
        let configuration = ProblemClusterer.Configuration()
        let report: JSONValue = .object([
            ("problems", .int(Int64(problems.count))), ("originals", .int(Int64(originals.count))),
            ("originals_dropped_sharing_a_product", .int(Int64(droppedForSharedProducts))),
            ("clusters", .int(Int64(result.clusterCount))), ("cluster_seconds", .double((seconds * 1000).rounded() / 1000)),
            ("thresholds", .object([("jaccard", .double(configuration.jaccard)), ("containment", .double(configuration.containment)),
                                    ("contained_jaccard", .double(configuration.containedJaccard))])),
            ("recall", byKind(full.recall)), ("pair_precision", .double(full.pairPrecision)),
            ("pairs", .int(Int64(full.pairs))), ("wrong_pairs", .int(Int64(full.wrongPairs))),
            ("text_only_recall", byKind(text.recall)), ("text_only_pair_precision", .double(text.pairPrecision)),
            ("baseline_plain_jaccard_recall", byKind(baseline)), ("baseline_threshold", .double(baselineThreshold)),
        ])
        return report
    }
}
