import ArenaModel
import Foundation

/// A pass@k argument that has no meaning: the estimator needs `0 ≤ c ≤ n` and `1 ≤ k ≤ n`.
public enum PassAtKError: Error, Equatable, CustomStringConvertible {
    /// `k` is below 1 or above the number of samples `n`.
    case kOutOfRange(n: Int, k: Int)
    /// `c` is negative or larger than `n`.
    case successesOutOfRange(n: Int, c: Int)

    public var description: String {
        switch self {
        case .kOutOfRange(let n, let k):
            "pass@\(k) needs 1 ≤ k ≤ n, but the problem has n = \(n) samples; run at least \(k) samples (--samples \(k))"
        case .successesOutOfRange(let n, let c):
            "pass@k needs 0 ≤ c ≤ n successes, got c = \(c) of n = \(n) samples"
        }
    }
}

/// The unbiased pass@k estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on Code"):
/// with `n` samples of a problem of which `c` succeeded, the chance that at least one of `k` samples drawn
/// without replacement succeeds is `1 - C(n-c, k) / C(n, k)`.
///
/// The binomials overflow long before the samples a model evaluation takes, so the ratio is computed as the
/// product `∏_{i=n-c+1}^{n} (1 - k/i)`, exactly as the paper's numpy code does.
public enum PassAtK {
    public static func estimate(n: Int, c: Int, k: Int) throws(PassAtKError) -> Double {
        guard k >= 1, k <= n else { throw .kOutOfRange(n: n, k: k) }
        guard c >= 0, c <= n else { throw .successesOutOfRange(n: n, c: c) }
        // Fewer failures than k: every draw of k samples holds a success.
        if n - c < k { return 1 }
        // No success: no draw holds one.
        if c == 0 { return 0 }
        // C(n-c, k) / C(n, k) = ∏_{i=n-c+1}^{n} (i - k) / i.
        var ratio = 1.0
        for i in (n - c + 1)...n { ratio *= 1 - Double(k) / Double(i) }
        return 1 - ratio
    }
}

/// One run of one problem in a pass@k evaluation: its production-strict outcome (ORO's `is_problem_successful`
/// under the `oro` profile; timeouts, crashes and missing envelopes fail) and the corpus verdict of its
/// trajectory (`agentic`, `scripted`, `no-llm`).
public struct PassAtKSample: Sendable, Hashable {
    public var problemID: String
    public var category: ProblemCategory
    /// 0-based index of the run among the problem's samples.
    public var sample: Int
    public var success: Bool
    public var verdict: String

    public init(problemID: String, category: ProblemCategory, sample: Int, success: Bool, verdict: String) {
        self.problemID = problemID
        self.category = category
        self.sample = sample
        self.success = success
        self.verdict = verdict
    }
}

/// pass@1 and pass@k of a set of problems, each run several times: per problem the estimator over its samples,
/// per category and overall the mean over problems (every problem weighs the same, as in Chen et al.).
public struct PassAtKReport: Sendable {
    /// One problem's samples.
    public struct Problem: Sendable, Hashable {
        public var problemID: String
        public var category: ProblemCategory
        /// Success of each sample, by sample index.
        public var successes: [Bool]
        /// The corpus verdict of each sample, by sample index.
        public var verdicts: [String]
        public var passAt1: Double
        public var passAtK: Double

        public var samples: Int { successes.count }
        public var successCount: Int { successes.filter { $0 }.count }
    }

    /// The aggregate of a group of problems (a category, or all of them).
    public struct Group: Sendable, Hashable {
        public var name: String
        public var problems: Int
        public var samples: Int
        public var successes: Int
        /// Problems with at least one successful sample.
        public var solvedProblems: Int
        public var passAt1: Double
        public var passAtK: Double
        /// How many samples got each corpus verdict.
        public var verdicts: [String: Int]
    }

    public let k: Int
    /// Problems in the order first seen.
    public let problems: [Problem]
    /// Categories present, in `ProblemCategory.allCases` order.
    public let categories: [Group]
    public let overall: Group

    /// Groups `samples` by problem. Every problem needs at least `k` samples (`PassAtKError.kOutOfRange`).
    public init(samples: [PassAtKSample], k: Int) throws(PassAtKError) {
        self.k = k
        var order: [String] = []
        var byProblem: [String: [PassAtKSample]] = [:]
        for sample in samples {
            if byProblem[sample.problemID] == nil { order.append(sample.problemID) }
            byProblem[sample.problemID, default: []].append(sample)
        }
        var problems: [Problem] = []
        for id in order {
            let runs = (byProblem[id] ?? []).sorted { $0.sample < $1.sample }
            let successes = runs.map(\.success)
            let c = successes.filter { $0 }.count
            problems.append(Problem(
                problemID: id, category: runs[0].category, successes: successes, verdicts: runs.map(\.verdict),
                passAt1: try PassAtK.estimate(n: runs.count, c: c, k: 1),
                passAtK: try PassAtK.estimate(n: runs.count, c: c, k: k)))
        }
        self.problems = problems
        categories = ProblemCategory.allCases.compactMap { category in
            let members = problems.filter { $0.category == category }
            return members.isEmpty ? nil : Self.group(category.rawValue.lowercased(), members)
        }
        overall = Self.group("all", problems)
    }

    private static func group(_ name: String, _ problems: [Problem]) -> Group {
        var verdicts: [String: Int] = [:]
        for problem in problems { for verdict in problem.verdicts { verdicts[verdict, default: 0] += 1 } }
        let count = Double(max(1, problems.count))
        return Group(
            name: name, problems: problems.count, samples: problems.map(\.samples).reduce(0, +),
            successes: problems.map(\.successCount).reduce(0, +), solvedProblems: problems.filter { $0.successCount > 0 }.count,
            passAt1: problems.map(\.passAt1).reduce(0, +) / count, passAtK: problems.map(\.passAtK).reduce(0, +) / count,
            verdicts: verdicts)
    }

    /// The table `eval --samples` prints: one row per category and `all`.
    public var text: String {
        let verdictNames = Array(Set(overall.verdicts.keys)).sorted()
        var lines = [
            "pass@k: k = \(k), success = ORO production-strict (oro profile; timeouts and crashes fail)",
            "category   problems  samples  successes   pass@1   pass@\(k)".padding(toLength: 63, withPad: " ", startingAt: 0)
                + "  verdicts",
        ]
        func percent(_ value: Double) -> String { String(format: "%6.1f%%", value * 100) }
        for group in categories + [overall] {
            let counts = verdictNames.map { "\($0) \(group.verdicts[$0, default: 0])" }.joined(separator: ", ")
            lines.append(
                group.name.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + String(format: "%9d %8d %10d", group.problems, group.samples, group.successes)
                    + "  " + percent(group.passAt1) + "  " + percent(group.passAtK) + "        " + counts)
        }
        return lines.joined(separator: "\n")
    }

    /// `{"k", "success": "oro-production-strict", "overall": {…}, "by_category": {name: {…}}, "problems": [{…}]}`;
    /// a group is `{problems, samples, successes, solved_problems, pass_at_1, pass_at_k, verdicts}`, a problem
    /// `{problem_id, category, samples, successes, pass_at_1, pass_at_k, sample_success: [bool], sample_verdicts}`.
    public var json: JSONValue {
        func counts(_ verdicts: [String: Int]) -> JSONValue {
            .object(verdicts.keys.sorted().map { ($0, .int(Int64(verdicts[$0] ?? 0))) })
        }
        func group(_ g: Group) -> JSONValue {
            .object([
                ("problems", .int(Int64(g.problems))), ("samples", .int(Int64(g.samples))),
                ("successes", .int(Int64(g.successes))), ("solved_problems", .int(Int64(g.solvedProblems))),
                ("pass_at_1", .double(g.passAt1)), ("pass_at_k", .double(g.passAtK)), ("verdicts", counts(g.verdicts)),
            ])
        }
        return .object([
            ("k", .int(Int64(k))),
            ("success", .string("oro-production-strict")),
            ("overall", group(overall)),
            ("by_category", .object(categories.map { ($0.name, group($0)) })),
            ("problems", .array(problems.map { p in
                .object([
                    ("problem_id", .string(p.problemID)), ("category", .string(p.category.rawValue.lowercased())),
                    ("samples", .int(Int64(p.samples))), ("successes", .int(Int64(p.successCount))),
                    ("pass_at_1", .double(p.passAt1)), ("pass_at_k", .double(p.passAtK)),
                    ("sample_success", .array(p.successes.map(JSONValue.bool))),
                    ("sample_verdicts", .array(p.verdicts.map(JSONValue.string))),
                ])
            })),
        ])
    }
}
