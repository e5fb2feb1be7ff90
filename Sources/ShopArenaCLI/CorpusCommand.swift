import ArenaModel
import ArenaRuntime
import ArgumentParser
import Corpus

/// `shoparena corpus …`: the trajectory corpus in the arena database (the same store options as `shoparena admin`).
struct CorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Inspect and fill the trajectory corpus of an arena database.",
        discussion: """
            Every problem of every run that completed SUCCESS becomes one trajectory record: provenance, outcome, judge, counts from the trusted \
            proxy log, the structural filter's verdict (reason codes: \(RejectReason.allCases.map(\.rawValue).joined(separator: ", "))), structural \
            features and agentic richness (agentic at ≥ \(AgenticRichness.threshold), scripted below, no-llm without a model reply).
            """,
        subcommands: [CorpusStatsCommand.self, CorpusBackfillCommand.self, CorpusExportCommand.self])
}

struct CorpusStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Counts by category, verdict, reject reason, agent, phase and dialect.")

    @OptionGroup var store: AdminStoreOptions
    @Flag(help: "Leave hidden race trajectories out, as GET /v1/public/corpus/stats does.") var `public` = false
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        let stats = try await store.with(CorpusMaintenance.statsOpening) { try await CorpusMaintenance.stats($0, publicOnly: `public`) }
        print(json ? JSONWriter(style: .python).string(stats.json) : stats.text)
    }
}

struct CorpusBackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Ingest every completed run that has no corpus records yet (runs from before the corpus, or a lost ingest).",
        discussion: "Idempotent: records are keyed by run and problem, so running it again adds nothing.")

    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let (runs, stats) = try await store.with(CorpusMaintenance.backfillOpening) { try await CorpusMaintenance.backfill($0) }
        print("backfill: \(runs) run(s) ingested")
        print(stats.text)
    }
}
