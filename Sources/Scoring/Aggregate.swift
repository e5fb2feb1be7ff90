import ArenaModel

/// Suite-level outcome metrics (`compute_aggregate` in ORO; ASR/CAR in ShoppingBench).
///
/// Rates divide by ``totalProblems``: with ``ScoringProfile/Denominator/suite`` that is every problem
/// of the suite (missing rollouts, timeouts and crashes count as failures); with `.rolledOut` only the
/// problems that have an envelope. Each rate is capped at 1.
public struct OutcomeAggregate: Sendable, Hashable {
    /// The denominator N.
    public var totalProblems: Int
    public var successfulProblems: Int
    /// Problems whose dialogue was scored (envelope SUCCESS).
    public var scoredProblems: Int
    /// Problems with an envelope of any status.
    public var rolledOutProblems: Int
    /// #(gt ≥ 1) / N: every item recommended by its exact GT id ("gt rate").
    public var groundTruthRate: Double
    /// #success / N (ShoppingBench's ASR).
    public var successRate: Double
    /// Σ format / N.
    public var formatScore: Double
    /// Σ rule / N (ShoppingBench's CAR).
    public var fieldMatching: Double
    /// Σ length / N (diagnostic).
    public var lengthScore: Double

    /// Aggregates `scores`; `suiteSize` is the suite's problem count (used by the `.suite` denominator;
    /// problems absent from `scores` count as failures there).
    public init(scores: [ProblemScore], suiteSize: Int, denominator: ScoringProfile.Denominator) {
        let rolledOut = scores.filter(\.hasRollout)
        rolledOutProblems = rolledOut.count
        scoredProblems = scores.filter { $0.outcome == .scored }.count
        let counted = denominator == .suite ? scores : rolledOut
        totalProblems = denominator == .suite ? max(suiteSize, scores.count) : rolledOut.count
        successfulProblems = counted.filter(\.success).count
        let total = totalProblems
        func rate(_ x: Double) -> Double { total == 0 ? 0 : min(1, x / Double(total)) }
        groundTruthRate = rate(Double(counted.filter(\.isGroundTruth).count))
        successRate = rate(Double(successfulProblems))
        formatScore = rate(counted.reduce(0) { $0 + $1.components.format })
        fieldMatching = rate(counted.reduce(0) { $0 + $1.components.rule })
        lengthScore = rate(counted.reduce(0) { $0 + $1.components.length })
    }

    /// ORO's aggregate keys.
    public var json: JSONValue {
        .object([
            ("ground_truth_rate", .double(groundTruthRate)), ("success_rate", .double(successRate)),
            ("format_score", .double(formatScore)), ("field_matching", .double(fieldMatching)),
            ("length_score", .double(lengthScore)), ("total_problems", .int(Int64(totalProblems))),
            ("successful_problems", .int(Int64(successfulProblems))), ("scored_problems", .int(Int64(scoredProblems))),
            ("rolled_out_problems", .int(Int64(rolledOutProblems))),
        ])
    }
}

/// The aggregate of a whole run: overall, per category, and ShoppingBench's sample-weighted average.
public struct SuiteAggregate: Sendable, Hashable {
    public var overall: OutcomeAggregate
    /// Per category present in the suite, in ``ProblemCategory/allCases`` order.
    public var byCategory: [(ProblemCategory, OutcomeAggregate)]
    /// Σ_c ASR_c · N_c / Σ_c N_c: ShoppingBench's "Avg" column (§5.1), weighting each category's success
    /// rate by its number of problems.
    public var sampleWeightedSuccessRate: Double

    /// - Parameters:
    ///   - scores: one score per problem (use ``SuiteScorer`` to get one for every suite problem).
    ///   - suite: category sizes for the `.suite` denominator.
    public init(scores: [ProblemScore], suite: [Problem], denominator: ScoringProfile.Denominator) {
        overall = OutcomeAggregate(scores: scores, suiteSize: suite.count, denominator: denominator)
        var parts: [(ProblemCategory, OutcomeAggregate)] = []
        var weighted = 0.0
        var weight = 0
        for category in ProblemCategory.allCases {
            let size = suite.filter { $0.category == category }.count
            let these = scores.filter { $0.category == category }
            guard size > 0 || !these.isEmpty else { continue }
            let a = OutcomeAggregate(scores: these, suiteSize: size, denominator: denominator)
            parts.append((category, a))
            weighted += a.successRate * Double(a.totalProblems)
            weight += a.totalProblems
        }
        byCategory = parts
        sampleWeightedSuccessRate = weight == 0 ? 0 : weighted / Double(weight)
    }

    public static func == (a: SuiteAggregate, b: SuiteAggregate) -> Bool {
        a.overall == b.overall && a.sampleWeightedSuccessRate == b.sampleWeightedSuccessRate
            && a.byCategory.map(\.0) == b.byCategory.map(\.0) && a.byCategory.map(\.1) == b.byCategory.map(\.1)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(overall) }

    public var json: JSONValue {
        .object([
            ("overall", overall.json),
            ("by_category", .object(byCategory.map { ($0.0.rawValue, $0.1.json) })),
            ("sample_weighted_success_rate", .double(sampleWeightedSuccessRate)),
        ])
    }
}
