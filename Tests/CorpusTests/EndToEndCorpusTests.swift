import ArenaModel
import Backend
@testable import Corpus
import Foundation
import ArenaRuntime
import Store
import ShopArenaTesting
import TestSupport
import Testing

/// The issue's end-to-end test: backend + 2 validators + the stub LLM evaluate the three example agents on each store;
/// every problem of every completed run has exactly one trajectory record with its provenance; the ReAct agent comes
/// out agentic, the baseline no-llm, the classifier scripted; the miner's progress carries the verdict; and ingesting
/// again from durable state after losing the records (a restart mid-ingest, a backfill) restores exactly the same set.
@Suite("Corpus end to end", .serialized)
struct EndToEndCorpusTests {
    static let problems = 6

    @Test(arguments: StoreKind.allCases)
    func threeExampleAgentsGiveOneRecordPerProblemWithTheirVerdicts(kind: StoreKind) async throws {
        let root = SharedData.repositoryRoot()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let agents = ["baseline_agent.py", "react_agent.py", "scripted_classifier_agent.py"]
            .map { root.appendingPathComponent("examples/agents/\($0)") }
        var configuration = LocalArena.Configuration(directory: directory, agents: agents, python: try SandboxPython.url(),
                                                     runtime: root.appendingPathComponent("python"))
        configuration.products = 800
        configuration.problems = Self.problems
        configuration.validators = 2
        configuration.requiredSuccesses = 2
        configuration.workersPerValidator = 2
        configuration.deadlineSeconds = 600
        if kind == .postgres { configuration.databaseURL = try await PostgresTestServer.shared.freshDatabaseURL() }
        let outcome = try await LocalArena(configuration: configuration, log: { _ in }).run()
        for agent in outcome.agents { #expect(agent.state == "ELIGIBLE", "\(agent.file) ended \(agent.state)") }

        let database: any SQLDatabase
        if let url = configuration.databaseURL {
            database = try PostgresDatabase(url: url)
        } else {
            database = try SQLiteDatabase(path: directory.appendingPathComponent("arena/arena.sqlite").path)
        }
        defer { Task { await database.close() } }
        let runs = try await database.read { db in
            try await db.query("SELECT eval_run_id, agent_version_id, validator_hotkey, status, is_included FROM evaluation_runs", [])
        }
        let succeeded = try runs.filter { try $0.string("status") == "SUCCESS" }
        #expect(try succeeded.filter { try $0.bool("is_included") }.count == 3 * 2)
        let suiteProblems = try await database.read { db in
            try await db.query("SELECT problem_id FROM problems WHERE is_hidden = 0", []).map { try $0.string("problem_id") }
        }
        #expect(suiteProblems.count == Self.problems)

        let repository = TrajectoryRepository(database: database)
        let all = try await repository.list(TrajectoryQuery(), limit: 1000, offset: 0)
        #expect(all.total == succeeded.count * Self.problems)
        #expect(Set(all.records.map(\.trajectoryID)).count == all.records.count)
        let names = ["baseline-agent": AgenticVerdict.noLLM, "react-agent": .agentic, "scripted-classifier-agent": .scripted]
        for run in succeeded {
            let runID = try run.string("eval_run_id")
            let records = all.records.filter { $0.provenance.evalRunID == runID }
            #expect(Set(records.map(\.provenance.problemID)) == Set(suiteProblems), "run \(runID)")
            #expect(records.count == Self.problems)
            for record in records {
                let p = record.provenance
                #expect(p.agentVersionID == (try run.string("agent_version_id")))
                #expect(p.validatorHotkey == (try run.string("validator_hotkey")))
                #expect(p.isIncluded == (try run.bool("is_included")))
                #expect(p.phase == "QUALIFYING" && p.suiteID == 1 && !p.minerHotkey.isEmpty && record.dialogueSHA256?.count == 64)
                #expect(record.envelopeStatus == "SUCCESS" && record.judge.kind == "rule")
                let expected = names[p.agentName]
                #expect(expected != nil, "unexpected agent \(p.agentName)")
                #expect(record.agentic.verdict == expected, "\(p.agentName) problem \(p.problemID): \(record.agentic)")
                if p.agentName == "react-agent" {
                    #expect(record.agentic.richness == 1 && record.filter.accepted, "\(record.filter.reasons)")
                }
                if p.agentName == "scripted-classifier-agent" { #expect(record.agentic.richness == 0 && record.log.inferenceCalls >= 1) }
                if p.agentName == "baseline-agent" { #expect(record.log.inferenceCalls == 0 && record.log.searchCalls >= 1) }
            }
        }
        // Runs that did not complete SUCCESS have no records.
        let others = try Set(runs.filter { try $0.string("status") != "SUCCESS" }.map { try $0.string("eval_run_id") })
        #expect(all.records.allSatisfy { !others.contains($0.provenance.evalRunID) })
        #expect(outcome.corpus?.total == all.total && outcome.corpus?.byVerdict.count == 3)

        // The miner sees the verdict and richness in each problem's progress.
        let summaries = try await database.read { db in
            try await db.query("SELECT score_components_summary FROM run_problems", []).compactMap { $0.optionalString("score_components_summary") }
        }
        #expect(summaries.count >= all.total)
        #expect(summaries.allSatisfy { (try? JSONParser.parse($0))?["corpus"]?["verdict"]?.stringValue != nil })

        // Lose every record (a restart mid-ingest, or runs completed before the corpus existed) and ingest again.
        try await database.transaction { db in
            try await db.execute("DELETE FROM trajectories", [])
            try await db.execute("DELETE FROM corpus_runs", [])
        }
        // The arena keeps blobs where ArenaStore put them: files with SQLite, the blobs table with PostgreSQL.
        let blobs = try BlobStores.matching(database, fileRoot: directory.appendingPathComponent("arena/blobs"))
        let ingest = CorpusIngest(database: database, blobs: blobs)
        #expect(try await ingest.ingestPending() == succeeded.count)
        #expect(try await ingest.ingestPending() == 0)
        let again = try await repository.list(TrajectoryQuery(), limit: 1000, offset: 0).records
        func key(_ r: TrajectoryRecord) -> String { "\(r.trajectoryID) \(r.agentic.verdict) \(r.filter.reasons) \(r.dialogueSHA256 ?? "")" }
        #expect(Set(again.map(key)) == Set(all.records.map(key)))
    }
}
