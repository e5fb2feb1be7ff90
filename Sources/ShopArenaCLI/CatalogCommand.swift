import ArenaModel
import ArenaRuntime
import ArgumentParser
import Catalog
import Foundation

/// `shoparena catalog …`: product catalogs.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Generate product catalogs.",
        subcommands: [CatalogGenerateCommand.self])
}

/// `shoparena catalog generate`: the deterministic synthetic catalog.
struct CatalogGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a deterministic, nested synthetic catalog (documents.jsonl form).",
        discussion: """
        Same arguments give byte-identical output, and the first N products of a larger run with the same \
        seed and cover files are the same. With --cover, every reward product of the problems is present \
        and satisfies its constraints, surrounded by hard negatives, valid alternates and decoy shops.
        """)

    @Option(name: .long, help: "Number of products.")
    var products: Int

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 42

    @Option(name: .long, parsing: .singleValue, help: "Problem file to cover (ORO suite JSON or ShoppingBench JSONL); repeatable.")
    var cover: [String] = []

    @Option(name: .long, help: "Output catalog (JSONL).")
    var out: String

    @Option(name: .long, help: "Write the manifest of non-filler products here (JSONL).")
    var manifest: String?

    @Option(name: .long, help: "Concurrent encoding tasks (the output does not depend on it).")
    var jobs: Int = 2

    func run() async throws {
        let problems = try ScoreIO.problems(cover)
        let started = Date()
        let generator = try CatalogGenerator(
            configuration: CatalogGeneratorConfiguration(productCount: products, seed: seed), cover: problems)
        for w in generator.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        if generator.count > products {
            FileHandle.standardError.write(Data("warning: the cover set needs \(generator.coreCount) products; generating \(generator.count)\n".utf8))
        }
        let writer = try CatalogWriter(path: out)
        let manifestWriter = try manifest.map { try CatalogWriter(path: $0) }
        let report = try await generator.generate(into: writer, manifest: manifestWriter, parallelism: max(1, jobs)) { done, total in
            guard total >= 200_000 else { return }
            let rate = Double(done) / max(Date().timeIntervalSince(started), 0.001)
            FileHandle.standardError.write(Data("  \(done)/\(total) products (\(Int(rate))/s)\n".utf8))
        }
        let seconds = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data("""
            generated \(out) in \(String(format: "%.1f", seconds)) s from \(problems.count) cover problems
            \(report.summary)\n
            """.utf8))
    }
}
