import ArenaModel
import ArgumentParser
import Catalog
import Foundation

/// `shoparena suite …`: problem suites.
struct SuiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite",
        abstract: "Generate problem suites.",
        subcommands: [SuiteGenerateCommand.self])
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

    func run() async throws {
        let shares = mix.split(separator: ":").compactMap { Double($0) }
        guard shares.count == 3, shares.allSatisfy({ $0 >= 0 }), shares.contains(where: { $0 > 0 }) else {
            throw ValidationError("--mix must be three non-negative numbers product:shop:voucher, e.g. 1:1:1")
        }
        guard count > 0 else { throw ValidationError("--count must be positive") }
        let excluded = try Set((excludeAnchors.map { try ManifestEntry.readAll(path: $0) } ?? []).map(\.productID))
        let generator = SuiteGenerator(configuration: SuiteGeneratorConfiguration(
            count: count, seed: seed, productShare: shares[0], shopShare: shares[1], voucherShare: shares[2]))
        let suite = try generator.generate(catalogPath: catalog, excluding: excluded)
        let text = suite.jsonText
        // Refuse to write what our own loader would reject.
        _ = try ProblemSuite(text: text, fileName: out)
        try text.write(toFile: out, atomically: true, encoding: .utf8)
        var byCategory: [String: Int] = [:]
        for p in suite.problems { byCategory[p["category"]?.stringValue ?? "?", default: 0] += 1 }
        let mixText = ["Product", "Shop", "Voucher"].map { "\($0) \(byCategory[$0, default: 0])" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("wrote \(suite.problems.count) problems to \(out) (\(mixText))\n".utf8))
    }
}
