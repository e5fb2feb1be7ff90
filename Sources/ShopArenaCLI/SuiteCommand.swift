import ArenaModel
import ArgumentParser
import Catalog
import Corpus
import Foundation

/// `shoparena suite …`: problem suites.
struct SuiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite",
        abstract: "Generate and sample problem suites.",
        subcommands: [SuiteGenerateCommand.self, SuiteSampleCommand.self])
}

/// `shoparena suite generate`: product/shop/voucher problems sampled from a catalog.
struct SuiteGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate an ORO-format problem suite from catalog products (ShoppingBench sampler).",
        discussion: """
        Problems are product, shop and voucher tasks in equal thirds by default; every problem is solved by \
        its own ground truth under the rule scorer and queries are unique. With --exclude-anchors, products \
        listed in a catalog manifest (anchors, negatives, alternates, decoys) are never used.
        """)

    @Option(name: .long, help: "Catalog to sample from (JSONL).")
    var catalog: String

    @Option(name: .long, help: "Number of problems.")
    var count: Int

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "Relative shares product:shop:voucher, e.g. 1:1:1.")
    var mix: String = "1:1:1"

    @Option(name: .long, help: "Output suite (ORO suite JSON array).")
    var out: String

    @Option(name: .customLong("exclude-anchors"), help: "Catalog manifest whose products must not be used.")
    var excludeAnchors: String?

    @Option(name: .customLong("exclude-clusters-of"), parsing: .upToNextOption,
            help: "Problem files (e.g. the hidden race bank) no generated problem may share a leak cluster with.")
    var excludeClustersOf: [String] = []

    func run() async throws {
        let shares = mix.split(separator: ":").compactMap { Double($0) }
        guard shares.count == 3, shares.allSatisfy({ $0 >= 0 }), shares.contains(where: { $0 > 0 }) else {
            throw ValidationError("--mix must be three non-negative numbers product:shop:voucher, e.g. 1:1:1")
        }
        guard count > 0 else { throw ValidationError("--count must be positive") }
        let excluded = try Set((excludeAnchors.map { try ManifestEntry.readAll(path: $0) } ?? []).map(\.productID))
        let configuration = SuiteGeneratorConfiguration(
            count: count, seed: seed, productShare: shares[0], shopShare: shares[1], voucherShare: shares[2])
        var suite: GeneratedSuite
        if excludeClustersOf.isEmpty {
            suite = try SuiteGenerator(configuration: configuration).generate(catalogPath: catalog, excluding: excluded)
        } else {
            suite = try Self.generateClear(configuration, catalog: catalog, excluding: excluded,
                                           protected: try excludeClustersOf.flatMap { try ScoreIO.suite($0).problems })
        }
        let text = suite.jsonText
        // Refuse to write what our own loader would reject.
        _ = try ProblemSuite(text: text, fileName: out)
        try text.write(toFile: out, atomically: true, encoding: .utf8)
        var byCategory: [String: Int] = [:]
        for p in suite.problems { byCategory[p["category"]?.stringValue ?? "?", default: 0] += 1 }
        let mixText = ["Product", "Shop", "Voucher"].map { "\($0) \(byCategory[$0, default: 0])" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("wrote \(suite.problems.count) problems to \(out) (\(mixText))\n".utf8))
    }

    /// Generates more problems than asked, drops every one that shares a leak cluster with `protected`, and keeps the
    /// first of each category up to the configuration's counts.
    static func generateClear(_ configuration: SuiteGeneratorConfiguration, catalog: String, excluding: Set<String>,
                              protected: [Problem]) throws -> GeneratedSuite {
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
        if dropped > 0 { ScoreIO.warn("suite generate: \(dropped) generated problem(s) shared a leak cluster with --exclude-clusters-of and were dropped") }
        if kept.count < configuration.count {
            ScoreIO.warn("suite generate: only \(kept.count) of \(configuration.count) problems are clear of --exclude-clusters-of")
        }
        suite.problems = kept
        return suite
    }
}

/// `shoparena suite sample`: a held-out evaluation set that shares no leak cluster with a training corpus.
struct SuiteSampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw a held-out evaluation suite that shares no leak cluster with given problem files.",
        discussion: """
            Samples --count problems from the --from files with --seed, one per leak cluster, leaving out every \
            problem that clusters with a problem of the --exclude-clusters-of files (e.g. the problems a training \
            corpus came from). Writes ORO suite JSON.
            """)

    @Option(parsing: .upToNextOption, help: "Problem files to draw from (ORO suite JSON, ShoppingBench JSONL).") var from: [String]
    @Option(help: "How many problems.") var count: Int = 75
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(name: .customLong("exclude-clusters-of"), parsing: .upToNextOption, help: "Problem files the sample must not share a cluster with.")
    var excludeClustersOf: [String] = []
    @Option(help: "Output suite (ORO suite JSON array).") var out: String

    func run() async throws {
        guard !from.isEmpty else { throw ValidationError("give the problems to draw from with --from FILE") }
        guard count > 0 else { throw ValidationError("--count must be positive") }
        let pool = try from.flatMap { try ScoreIO.suite($0).problems }
        let protected = try excludeClustersOf.flatMap { try ScoreIO.suite($0).problems }
        let sample = LeakGuard().sample(pool, count: count, seed: seed, protected: protected)
        let suite = try ProblemSuite(problems: sample)
        try ScoreIO.write(suite.oroJSON, to: out)
        ScoreIO.warn("suite sample: \(sample.count) of \(pool.count) problems written to \(out)"
            + (sample.count < count ? " (only \(sample.count) were clear of the excluded clusters, one per cluster)" : ""))
    }
}
