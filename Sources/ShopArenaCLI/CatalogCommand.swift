import ArenaRuntime
import ArgumentParser

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

    @Option(name: .long, help: "Number of products.") var products: Int
    @Option(name: .long, help: "Random seed.") var seed: UInt64 = 42
    @Option(name: .long, parsing: .singleValue, help: "Problem file to cover (ORO suite JSON or ShoppingBench JSONL); repeatable.") var cover: [String] = []
    @Option(name: .long, help: "Output catalog (JSONL).") var out: String
    @Option(name: .long, help: "Write the manifest of non-filler products here (JSONL).") var manifest: String?
    @Option(name: .long, help: "Concurrent encoding tasks (the output does not depend on it).") var jobs: Int = 2

    func run() async throws {
        try await CatalogFiles.generate(products: products, seed: seed, cover: cover, out: out, manifest: manifest, jobs: jobs,
                                        note: { printError($0) })
    }
}
