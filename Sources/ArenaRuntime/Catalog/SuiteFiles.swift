import ArenaModel
import Catalog
import Corpus
import Foundation

/// `shoparena suite generate` and `suite sample`: problem suites written as ORO suite JSON, generated from catalog
/// products or drawn from problem files, clear of the leak clusters of protected problem files.
public enum SuiteFiles {
    /// Generates `configuration.count` problems from `catalog` (never from the `excludeAnchors` manifest's products, and
    /// sharing no leak cluster with `excludeClustersOf`), checks them with our own loader and writes them to `out`.
    public static func generate(_ configuration: SuiteGeneratorConfiguration, catalog: String, excludeAnchors: String?,
                                excludeClustersOf: [String], out: String, note: (String) -> Void) throws {
        let excluded = try Set((excludeAnchors.map { try ManifestEntry.readAll(path: $0) } ?? []).map(\.productID))
        var suite: GeneratedSuite
        if excludeClustersOf.isEmpty {
            suite = try SuiteGenerator(configuration: configuration).generate(catalogPath: catalog, excluding: excluded)
        } else {
            suite = try generateClear(configuration, catalog: catalog, excluding: excluded, note: note,
                                  protected: try excludeClustersOf.flatMap { try ScoreIO.suite($0).problems })
        }
        let text = suite.jsonText
        // Refuse to write what our own loader would reject.
        _ = try ProblemSuite(text: text, fileName: out)
        try text.write(toFile: out, atomically: true, encoding: .utf8)
        var byCategory: [String: Int] = [:]
        for p in suite.problems { byCategory[p["category"]?.stringValue ?? "?", default: 0] += 1 }
        let mixText = ["Product", "Shop", "Voucher"].map { "\($0) \(byCategory[$0, default: 0])" }.joined(separator: ", ")
        note("wrote \(suite.problems.count) problems to \(out) (\(mixText))")
    }

    /// Generates more problems than asked, drops every one that shares a leak cluster with `protected`, and keeps the
    /// first of each category up to the configuration's counts.
    static func generateClear(_ configuration: SuiteGeneratorConfiguration, catalog: String, excluding: Set<String>,
                              note: (String) -> Void, protected: [Problem]) throws -> GeneratedSuite {
        var wide = configuration
        wide.count = configuration.count * 3 / 2 + 10
        var suite = try SuiteGenerator(configuration: wide).generate(catalogPath: catalog, excluding: excluding)
        let problems = try suite.problems.map { try Problem(json: $0) }
        let conflicts = LeakGuard().conflicts(problems, protected: protected)
        var wanted = configuration.categoryCounts
        var kept: [JSONValue] = []
        for (i, record) in suite.problems.enumerated() where conflicts[i] == nil {
            let category = problems[i].category
            guard wanted[category, default: 0] > 0 else { continue }
            wanted[category, default: 0] -= 1
            kept.append(record)
        }
        let dropped = conflicts.compactMap { $0 }.count
        if dropped > 0 { note("suite generate: \(dropped) generated problem(s) shared a leak cluster with --exclude-clusters-of and were dropped") }
        if kept.count < configuration.count {
            note("suite generate: only \(kept.count) of \(configuration.count) problems are clear of --exclude-clusters-of")
        }
        suite.problems = kept
        return suite
    }

    /// Draws `count` problems from `from` with `seed`, one per leak cluster, none clustering with `excludeClustersOf`,
    /// and writes them to `out`.
    public static func sample(from: [String], count: Int, seed: UInt64, excludeClustersOf: [String], out: String,
                              note: (String) -> Void) throws {
        let pool = try from.flatMap { try ScoreIO.suite($0).problems }
        let protected = try excludeClustersOf.flatMap { try ScoreIO.suite($0).problems }
        let sample = LeakGuard().sample(pool, count: count, seed: seed, protected: protected)
        let suite = try ProblemSuite(problems: sample)
        try ScoreIO.write(suite.oroJSON, to: out)
        note("suite sample: \(sample.count) of \(pool.count) problems written to \(out)"
            + (sample.count < count ? " (only \(sample.count) were clear of the excluded clusters, one per cluster)" : ""))
    }
}
