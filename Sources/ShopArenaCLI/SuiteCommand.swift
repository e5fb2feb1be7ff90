import ArenaRuntime
import ArgumentParser
import Catalog

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

    @Option(name: .long, help: "Catalog to sample from (JSONL).") var catalog: String
    @Option(name: .long, help: "Number of problems.") var count: Int
    @Option(name: .long, help: "Random seed.") var seed: UInt64 = 42
    @Option(name: .long, help: "Relative shares product:shop:voucher, e.g. 1:1:1.") var mix: String = "1:1:1"
    @Option(name: .long, help: "Output suite (ORO suite JSON array).") var out: String
    @Option(name: .customLong("exclude-anchors"), help: "Catalog manifest whose products must not be used.") var excludeAnchors: String?
    @Option(name: .customLong("exclude-clusters-of"), parsing: .upToNextOption,
            help: "Problem files (e.g. the hidden race bank) no generated problem may share a leak cluster with.")
    var excludeClustersOf: [String] = []

    func run() async throws {
        let shares = mix.split(separator: ":").compactMap { Double($0) }
        guard shares.count == 3, shares.allSatisfy({ $0 >= 0 }), shares.contains(where: { $0 > 0 }) else {
            throw ValidationError("--mix must be three non-negative numbers product:shop:voucher, e.g. 1:1:1")
        }
        guard count > 0 else { throw ValidationError("--count must be positive") }
        let configuration = SuiteGeneratorConfiguration(
            count: count, seed: seed, productShare: shares[0], shopShare: shares[1], voucherShare: shares[2])
        try SuiteFiles.generate(configuration, catalog: catalog, excludeAnchors: excludeAnchors,
                                excludeClustersOf: excludeClustersOf, out: out, note: { printError($0) })
    }
}

/// `shoparena suite sample`: a held-out evaluation set that shares no leak cluster with a training corpus.
struct SuiteSampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw a held-out evaluation suite that shares no leak cluster with given problem files.",
        discussion: """
            Samples --count problems from the --from files with --seed, one per leak cluster, leaving out every problem that clusters with a problem \
            of the --exclude-clusters-of files (e.g. the problems a training corpus came from). Writes ORO suite JSON.
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
        try SuiteFiles.sample(from: from, count: count, seed: seed, excludeClustersOf: excludeClustersOf, out: out,
                              note: { printError($0) })
    }
}
