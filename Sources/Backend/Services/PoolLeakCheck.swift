import ArenaModel
import Corpus
import Store

/// What the leak-cluster guard found when problems entered a pool: how many entering problems it checked, how
/// many kept problems of the other pool it checked them against, and the entering ones that share a leak cluster
/// with those (``PoolLeak``). Rendered as the admin API's `leak_report` object and as the CLI's lines.
public struct LeakReport: Sendable, Hashable {
    /// The pool the problems entered.
    public var pool: ProblemPool
    public var checkedProblems: Int
    public var comparedProblems: Int
    public var leaks: [PoolLeak]

    public init(pool: ProblemPool, checkedProblems: Int, comparedProblems: Int, leaks: [PoolLeak]) {
        self.pool = pool
        self.checkedProblems = checkedProblems
        self.comparedProblems = comparedProblems
        self.leaks = leaks
    }

    public var isClear: Bool { leaks.isEmpty }

    /// The pool the entering problems were checked against.
    public var otherPool: ProblemPool { pool == .hiddenBank ? .suite : .hiddenBank }

    /// `{pool, checked_problems, compared_problems, leaks: [{problem_id, pool, clusters_with: [{problem_id, pool,
    /// suite_id, reason, via}]}]}` (the OpenAPI document's `LeakReport`).
    public var json: JSONValue {
        .object([
            ("pool", .string(pool.rawValue)), ("checked_problems", .int(Int64(checkedProblems))),
            ("compared_problems", .int(Int64(comparedProblems))),
            ("leaks", .array(leaks.map { leak in
                .object([
                    ("problem_id", .string(leak.problemID)), ("pool", .string(leak.pool.rawValue)),
                    ("clusters_with", .array(leak.clustersWith.map { match in
                        .object([("problem_id", .string(match.problemID)), ("pool", .string(match.pool.rawValue)),
                                 ("suite_id", .int(match.suiteID)), ("reason", .string(match.reason.rawValue)),
                                 ("via", .array(match.via.map(JSONValue.string)))])
                    })),
                ])
            })),
        ])
    }

    /// One line: how many of the checked problems cluster with the other pool.
    public var summary: String {
        let against = otherPool == .hiddenBank ? "hidden race bank problem(s)" : "public suite problem(s)"
        if isClear { return "leak check: none of \(checkedProblems) problem(s) clusters with any of \(comparedProblems) \(against)" }
        return "leak check: \(leaks.count) of \(checkedProblems) problem(s) cluster with \(against)"
    }

    /// The summary, then one line per entering problem and kept problem it clusters with.
    public var lines: [String] {
        [summary] + leaks.flatMap { leak in
            leak.clustersWith.map { match in
                let via = match.via.isEmpty ? "" : " via \(match.via.joined(separator: ", "))"
                return "  \(leak.problemID) clusters with \(match.pool.rawValue) problem \(match.problemID) of suite \(match.suiteID): "
                    + "\(match.reason.rawValue)\(via)"
            }
        }
    }
}

/// Refusing an entry because some of its problems cluster with another pool (the opt-in `reject_leaks`).
public enum PoolLeakError: Error, Sendable, CustomStringConvertible {
    case leaks(LeakReport)

    public var report: LeakReport {
        switch self { case .leaks(let report): return report }
    }

    public var description: String {
        let report = self.report
        let first = report.leaks.first.map { leak in
            " (first: \(leak.problemID) with \(leak.clustersWith.first.map { "\($0.problemID), \($0.reason.rawValue)" } ?? "?"))"
        } ?? ""
        return "refused: \(report.leaks.count) of \(report.checkedProblems) problem(s) share a leak cluster with "
            + "\(report.otherPool == .hiddenBank ? "hidden race bank problem(s)" : "public suite problem(s)")\(first); nothing was added. "
            + "Remove the listed problems from the file, or load it without reject_leaks (CLI: --reject-leaks) to add it with the report."
    }
}

/// The leak-cluster guard where problems enter (issue 17): a suite's public problems must not share a leak
/// cluster (``LeakGuard``: shared product, same reward, similar request) with the hidden race bank, nor hidden
/// bank problems with any suite's public problems. Reads the other pool from the store (`SuiteRepository`), so
/// the admin API and `shoparena admin` report the same thing. The check reads the other pool before the load's
/// transaction: two admins loading the two pools at the same moment do not see each other's problems.
public struct PoolLeakCheck: Sendable {
    public let suites: SuiteRepository
    public var leakGuard: LeakGuard

    public init(database: any SQLDatabase, leakGuard: LeakGuard = LeakGuard()) {
        suites = SuiteRepository(database: database)
        self.leakGuard = leakGuard
    }

    /// A new suite's problems against the hidden bank of every suite.
    public func enteringSuite(_ suite: ProblemSuite) async throws -> LeakReport {
        try await check(suite.problems, pool: .suite)
    }

    /// Problems loaded into suite `suiteID`'s hidden bank against the public problems of every suite. Problems
    /// the suite already holds are left out: the load skips them.
    public func enteringHiddenBank(_ bank: ProblemSuite, suiteID: Int64) async throws -> LeakReport {
        let held = try await suites.problemIDs(inSuite: suiteID)
        var seen = held
        return try await check(bank.problems.filter { seen.insert($0.id).inserted }, pool: .hiddenBank)
    }

    func check(_ candidates: [Problem], pool: ProblemPool) async throws -> LeakReport {
        let otherPool: ProblemPool = pool == .hiddenBank ? .suite : .hiddenBank
        let rows = try await suites.poolProblems(hidden: otherPool == .hiddenBank)
        let others = rows.compactMap { row -> PooledProblem? in
            guard let json = try? JSONParser.parse(row.metadataJSON), var problem = try? Problem(json: json) else { return nil }
            problem.id = row.problemID
            return PooledProblem(problem: problem, pool: otherPool, suiteID: row.suiteID)
        }
        let leaks = leakGuard.leaks(entering: candidates, pool: pool, others: others)
        return LeakReport(pool: pool, checkedProblems: candidates.count, comparedProblems: others.count, leaks: leaks)
    }
}
