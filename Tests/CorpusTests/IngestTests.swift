import ArenaModel
import Backend
@testable import Corpus
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing

/// Backend ingest over the real validator routes, on both stores: a validator killed mid-upload leaves no record,
/// the run that completes gets exactly one record per problem with its provenance and verdicts, and a re-sent
/// complete, a crash between complete and ingest, a backfill and a repeated ingest neither duplicate nor lose one.
@Suite("Corpus ingest", .serialized)
struct IngestTests {
    static let search = Fixture.proposal("find_product", [("q", "red running shoes"), ("page", 1)])
    static let view = Fixture.proposal("view_product_information", [("product_ids", "101")])

    /// Three envelopes: the model chose every call (agentic), the program chose them while the model only talked
    /// (scripted), no model at all and an id the catalog lacks (no-llm, rejected).
    static func envelopes(_ problems: [String]) -> [(problem: String, envelope: Envelope, unknown: [String])] {
        let t: Int64 = 1_790_000_000_000
        let agentic = [Fixture.reply(at: t, duration: 40, proposing: [search]), Fixture.dispatch(at: t + 50, query: "q=red+running+shoes&page=1"),
                       Fixture.reply(at: t + 60, duration: 40, proposing: [view]),
                       Fixture.dispatch(at: t + 110, "/search/view_product_information", query: "product_ids=101")]
        let scripted = [Fixture.reply(at: t, duration: 40, proposing: []), Fixture.dispatch(at: t + 50, query: "q=red+running+shoes&page=1"),
                        Fixture.dispatch(at: t + 110, "/search/view_product_information", query: "product_ids=101")]
        var unknownSteps = Fixture.goodSteps
        unknownSteps[2] = Fixture.step(3, think: "Pick.", [Fixture.call("recommend_product", [("product_ids", "999")])])
        let noLLM = [Fixture.dispatch(at: t + 50, query: "q=red+running+shoes&page=1")]
        func envelope(_ id: String, _ steps: [JSONValue], _ calls: [ProxyCallRecord]) -> Envelope {
            var e = Fixture.envelope(steps, calls: calls)
            e.problemID = id
            return e
        }
        return [(problems[0], envelope(problems[0], Fixture.goodSteps, agentic), []),
                (problems[1], envelope(problems[1], Fixture.goodSteps, scripted), []),
                (problems[2], envelope(problems[2], unknownSteps, noLLM), ["999"])]
    }

    /// A progress entry as the validator sends it, with the corpus summary holding its catalog check.
    static func progress(_ problem: String, key: String, unknown: [String]) -> JSONValue {
        .object([
            ("problem_id", .string(problem)), ("status", "SUCCESS"), ("score", .double(unknown.isEmpty ? 1 : 0)),
            ("reasoning_score", 0.8),
            ("score_components_summary", .object([
                ("outcome", .object([("rule", .double(unknown.isEmpty ? 1 : 0)), ("gt", 0.0)])),
                ("reasoning_explanation", "fine"), ("reasoning_model", .null),
                ("corpus", .object([("catalog_checked", true), ("unknown_product_ids", .array(unknown.map(JSONValue.string))),
                                    ("scoring_profile", "oro")])),
            ])),
            ("logs_s3_key", .string(key)), ("execution_time", 1.25),
        ])
    }

    @Test(arguments: StoreKind.allCases)
    func killedMidUploadResentCompleteRestartAndBackfillGiveExactlyOneRecordPerProblem(kind: StoreKind) async throws {
        let arena = try await IngestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let (problems, _) = try await arena.suite(problems: 3)
        let versionID = try await arena.version(miner: miner.address, name: "react-agent")
        let killed = try await arena.hotkey(.validator)
        let survivor = try await arena.hotkey(.validator)
        let admin = try await arena.hotkey(.admin)
        let repository = TrajectoryRepository(database: arena.services.database)
        let ingest = CorpusIngest(services: arena.services)
        let cases = Self.envelopes(problems)
        try await arena.test { client in
            // Validator A uploads one log, reports it, and is killed in the middle of the next upload.
            let a = HandValidator(key: killed, clock: arena.clock, client: client)
            let runA = try await a.claim()
            let keyA = try await a.upload(run: runA, problem: cases[0].problem, envelope: cases[0].envelope)
            try await a.progress(run: runA, [Self.progress(cases[0].problem, key: keyA, unknown: [])])
            try await a.presignOnly(run: runA, problem: cases[1].problem)  // killed before the PUT arrives
            arena.clock.advance(seconds: 121)
            #expect(try await arena.services.workQueue.reapLapsed(now: arena.clock.nowMillis()) == 1)
            #expect(try await ingest.ingestPending() == 0)
            #expect(try await repository.count(runID: runA) == 0)

            // Validator B runs the same work item to the end.
            let b = HandValidator(key: survivor, clock: arena.clock, client: client)
            let runB = try await b.claim()
            var entries: [JSONValue] = []
            for c in cases {
                let key = try await b.upload(run: runB, problem: c.problem, envelope: c.envelope)
                entries.append(Self.progress(c.problem, key: key, unknown: c.unknown))
            }
            try await b.progress(run: runB, entries)
            let (status, _) = try await b.complete(run: runB)
            #expect(status == .ok)

            // Ingested by the completion itself: one record per problem, with its provenance and verdicts.
            let first = try await repository.list(TrajectoryQuery(evalRunID: runB), limit: 50, offset: 0)
            #expect(first.total == 3)
            let byProblem = Dictionary(uniqueKeysWithValues: first.records.map { ($0.provenance.problemID, $0) })
            #expect(Set(byProblem.keys) == Set(problems))
            for record in first.records {
                let p = record.provenance
                #expect(record.trajectoryID == TrajectoryRecord.id(runID: runB, problemID: p.problemID))
                #expect(p.evalRunID == runB && p.agentVersionID == versionID && p.agentName == "react-agent")
                #expect(p.minerHotkey == miner.address && p.validatorHotkey == survivor.address)
                #expect(p.suiteID == 1 && p.suiteVersion == 3 && p.category == "product" && p.phase == "QUALIFYING")
                #expect(p.raceID == nil && !p.isHidden && p.isIncluded && !record.neverExport)
                #expect(record.envelopeStatus == "SUCCESS" && record.judge.kind == "rule" && record.judge.reasoningScore == 0.8)
                #expect(record.judge.reasoningCoefficient == 1.0 && record.judge.explanation == "fine")
                #expect(record.executionTime == 1.25 && record.dialect == .oroMessage)
                #expect(record.dialogueKey?.hasPrefix("evaluation-runs/\(runB)/\(p.problemID)/") == true)
                #expect(record.dialogueSHA256?.count == 64)
                #expect(record.versions["corpus"] == .string(CorpusPipeline.version) && record.versions["scoring_profile"] == "oro")
                #expect(record.versions["service"]?["validator"] == "hand/1")
            }
            let agentic = try #require(byProblem[problems[0]])
            #expect(agentic.agentic.verdict == .agentic && agentic.agentic.richness == 1 && agentic.filter.accepted && agentic.success)
            #expect(agentic.log.inferenceCalls == 2 && agentic.log.searchCalls == 2 && agentic.log.promptTokens == 200)
            #expect(agentic.features.verifiedBeforeRecommend)
            let scripted = try #require(byProblem[problems[1]])
            #expect(scripted.agentic.verdict == .scripted && scripted.agentic.richness == 0 && scripted.filter.accepted)
            let noLLM = try #require(byProblem[problems[2]])
            #expect(noLLM.agentic.verdict == .noLLM && noLLM.filter.reasons == [.unknownProduct] && !noLLM.success)
            #expect(noLLM.filter.unknownProductIDs == ["999"] && noLLM.filter.catalogChecked)

            // A re-sent complete is refused and changes nothing.
            let (again, body) = try await b.complete(run: runB)
            #expect(again == .conflict && body?["error_code"] == "RUN_ALREADY_COMPLETE")
            #expect(try await repository.count(runID: runB) == 3)

            // The backend died between the completion and the ingest: the sweep restores the same records.
            try await arena.services.database.transaction { db in
                try await db.execute("DELETE FROM trajectories WHERE eval_run_id = ?", [.text(runB)])
                try await db.execute("DELETE FROM corpus_runs WHERE eval_run_id = ?", [.text(runB)])
            }
            #expect(try await repository.pendingRuns() == [runB])
            arena.clock.advance(seconds: 5)
            #expect(try await ingest.ingestPending() == 1)
            let restored = try await repository.list(TrajectoryQuery(evalRunID: runB), limit: 50, offset: 0).records
            #expect(restored.count == 3)
            func withoutTime(_ r: TrajectoryRecord) -> TrajectoryRecord { var c = r; c.ingestedAt = 0; return c }
            #expect(Set(restored.map(withoutTime)) == Set(first.records.map(withoutTime)))

            // Backfill and a repeated ingest: nothing pending, nothing new, the first ingest time kept.
            arena.clock.advance(seconds: 5)
            #expect(try await ingest.ingestPending() == 0)
            #expect(try await ingest.ingest(runID: runB) == 3)
            #expect(try await ingest.ingest(runID: runA) == nil)
            let after = try await repository.list(TrajectoryQuery(), limit: 50, offset: 0)
            #expect(after.total == 3 && Set(after.records) == Set(restored))
            // Paging: newest ingest first, then by id; pages do not overlap.
            let page1 = try await repository.list(TrajectoryQuery(), limit: 2, offset: 0)
            let page2 = try await repository.list(TrajectoryQuery(), limit: 2, offset: 2)
            #expect(page1.total == 3 && page1.records.count == 2 && page2.records.count == 1)
            #expect(Set(page1.records.map(\.trajectoryID) + page2.records.map(\.trajectoryID)).count == 3)
            #expect(try await repository.list(TrajectoryQuery(accepted: false), limit: 10, offset: 0).records.map(\.provenance.problemID)
                    == [problems[2]])

            // The routes: public figures, the admin listing with filters.
            let stats = try await client.execute(uri: "/v1/public/corpus/stats", method: .get) { try JSONParser.parse(String(buffer: $0.body)) }
            #expect(stats["total"] == 3 && stats["accepted"] == 2 && stats["withheld_hidden"] == 0)
            #expect(stats["by_verdict"] == .object([("agentic", 1), ("no-llm", 1), ("scripted", 1)]))
            #expect(stats["by_reject_reason"] == .object([("unknown_product", 1)]))
            #expect(stats["by_agent"] == .object([("react-agent", 3)]) && stats["by_phase"] == .object([("QUALIFYING", 3)]))
            let listed = try await client.execute(uri: "/v1/admin/trajectories?eval_run_id=\(runB)&verdict=scripted", method: .get,
                                                  headers: admin.headers(arena.clock)) { response in
                (response.status, try JSONParser.parse(String(buffer: response.body)))
            }
            #expect(listed.0 == .ok && listed.1["total"] == 1)
            #expect(listed.1["trajectories"]?.arrayValue?.first?["provenance"]?["problem_id"] == .string(problems[1]))
            let rejected = try await client.execute(uri: "/v1/admin/trajectories?reject_reason=unknown_product", method: .get,
                                                    headers: admin.headers(arena.clock)) { try JSONParser.parse(String(buffer: $0.body)) }
            #expect(rejected["total"] == 1)
            let unsigned = try await client.execute(uri: "/v1/admin/trajectories", method: .get) { $0.status }
            #expect(unsigned == .unauthorized || unsigned == .forbidden)
            let bad = try await client.execute(uri: "/v1/admin/trajectories?verdict=maybe", method: .get,
                                               headers: admin.headers(arena.clock)) { $0.status }
            #expect(bad == .unprocessableContent)
            let badPhase = try await client.execute(uri: "/v1/admin/trajectories?phase=AAA", method: .get,
                                                    headers: admin.headers(arena.clock)) { $0.status }
            #expect(badPhase == .unprocessableContent)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func hiddenRaceTrajectoriesAreKeptFlaggedAndNeverPublic(kind: StoreKind) async throws {
        let arena = try await IngestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let (_, hidden) = try await arena.suite(problems: 1, hidden: 3)
        let raceID = UUID().uuidString.lowercased()
        _ = try await arena.version(miner: miner.address, name: "racer", raceID: raceID, raceProblems: hidden)
        let validator = try await arena.hotkey(.validator)
        let admin = try await arena.hotkey(.admin)
        let cases = Self.envelopes(hidden)
        try await arena.test { client in
            let v = HandValidator(key: validator, clock: arena.clock, client: client)
            let run = try await v.claim()
            var entries: [JSONValue] = []
            for c in cases {
                let key = try await v.upload(run: run, problem: c.problem, envelope: c.envelope)
                entries.append(Self.progress(c.problem, key: key, unknown: c.unknown))
            }
            try await v.progress(run: run, entries)
            #expect(try await v.complete(run: run).0 == .ok)

            let records = try await TrajectoryRepository(database: arena.services.database)
                .list(TrajectoryQuery(evalRunID: run), limit: 10, offset: 0).records
            #expect(records.count == 3)
            #expect(records.allSatisfy { $0.neverExport && $0.provenance.isHidden && $0.provenance.phase == "RACE" && $0.provenance.raceID == raceID })

            let body = try await client.execute(uri: "/v1/public/corpus/stats", method: .get) { String(buffer: $0.body) }
            let stats = try JSONParser.parse(body)
            #expect(stats["total"] == 0 && stats["withheld_hidden"] == 3 && stats["by_phase"] == .object([]))
            for problem in hidden { #expect(!body.contains(problem)) }
            #expect(!body.contains(run) && !body.contains("racer"))

            let all = try await client.execute(uri: "/v1/admin/trajectories", method: .get, headers: admin.headers(arena.clock)) {
                try JSONParser.parse(String(buffer: $0.body))
            }
            #expect(all["total"] == 3)
            let visibleOnly = try await client.execute(uri: "/v1/admin/trajectories?include_hidden=false", method: .get,
                                                       headers: admin.headers(arena.clock)) { try JSONParser.parse(String(buffer: $0.body)) }
            #expect(visibleOnly["total"] == 0)
        }
    }
}
