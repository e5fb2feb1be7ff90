import ArenaRuntime
import ArgumentParser
import Backend
import Corpus
import Scoring

extension ExportFormat: ExpressibleByArgument {}
extension ExportFilter: ExpressibleByArgument {}
extension SplitSelection: ExpressibleByArgument {}

/// `shoparena corpus export`: the corpus as training data (parsing and printing only; the work is `CorpusExport`).
struct CorpusExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the corpus as sft, sft-steps, preference or rl JSON lines, with stats.json and a dataset card.",
        discussion: """
            Problems are split into train / eval / never pools by whole leak clusters (hidden race problems and everything clustering with them are \
            never exported); the split audit is printed with every export. The same corpus and options give the same bytes. Files: \
            <stem>-<split>.jsonl[.gz] (stems: sft, sft-steps, dpo + kto, rl), stats.json, README.md.
            """)

    @OptionGroup var store: AdminStoreOptions
    @Option(help: "Row format: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: ExportFormat
    @Option(help: "Output directory (created when missing; the export's files in it are replaced).") var out: String
    @Option(help: "Which pools to write: train, eval or all (the never pool is never written).") var split: SplitSelection = .all
    @Option(help: "Seed of the cluster split.") var seed: UInt64 = 17
    @Option(name: .customLong("eval-fraction"), help: "Share of clusters that go to eval (0…1).") var evalFraction: Double = 0.1
    @Option(help: "Which trajectories: accepted-agentic (default), accepted, agentic or all.") var filter: ExportFilter = .acceptedAgentic
    @Option(name: .customLong("min-judge"), help: "Keep only trajectories whose judge score is at least this (0…1).") var minJudge: Double?
    @Option(help: "Keep only one category: product, shop or voucher.") var category: String?
    @Flag(help: "Write .jsonl.gz files.") var gzip = false
    @Option(help: "The license field of the dataset card.") var license = "cc-by-4.0"
    @Option(help: "The arena named as the source in the dataset card.") var source = "ShopArena"
    @Option(help: "A JSONL catalog: rl rows take product documents from it (default: the objects the tools returned).") var catalog: String?
    @Option(help: "Concurrent row-building tasks.") var workers = 2

    func validate() throws {
        if !(0...1).contains(evalFraction) { throw ValidationError("--eval-fraction must be between 0 and 1") }
        if let minJudge, !(0...1).contains(minJudge) { throw ValidationError("--min-judge must be between 0 and 1") }
        if let category, !["product", "shop", "voucher"].contains(category.lowercased()) {
            throw ValidationError("--category must be product, shop or voucher")
        }
        if workers < 1 { throw ValidationError("--workers must be at least 1") }
    }

    func run() async throws {
        let export = CorpusExportRun(
            format: format, out: out, split: split, splits: CorpusSplits.Configuration(seed: seed, evalFraction: evalFraction), filter: filter,
            minJudge: minJudge, category: category, gzip: gzip, license: license, source: source, workers: workers, catalog: catalog)
        let lookup: (any ProductLookup)?
        do { lookup = try export.productLookup() } catch { throw ValidationError("\(error)") }
        let stats = try await store.with(CorpusExportRun.opening) { try await export.run(store: $0, lookup: lookup) }
        for line in export.summary(stats) { print(line) }
        if let audit = stats.audit, !audit.isClean { throw ExitCode(3) }
    }
}
