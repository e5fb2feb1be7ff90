import ArenaModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing
@testable import Web

/// `/agents/{version}`, `/runs/{id}` and their live fragments: progress, runs, the per-problem matrix, the
/// code embargo, hidden race problems and the corpus verdict seam.
@Suite("Agent and run pages")
struct AgentAndRunPageTests {
    /// A verdict for every trajectory asked about: accepted for the first problem, rejected otherwise.
    struct FixedCorpus: CorpusFigures {
        let acceptedProblem: String
        func summary() async throws -> CorpusSummary? { nil }
        func verdicts(for trajectories: [TrajectoryKey]) async throws -> [TrajectoryKey: CorpusVerdict] {
            Dictionary(uniqueKeysWithValues: trajectories.map { key in
                (key, key.problemID == acceptedProblem ? CorpusVerdict(accepted: true, label: "kept")
                    : CorpusVerdict(accepted: false, label: "rejected", reason: "no recommendation"))
            })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func agentPageShowsLiveProgressRunsAndMatrix(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        let suite = try await WebFixtures.suite(arena, visible: 4, hidden: 2)
        let miner = try await WebFixtures.miner(arena)
        let earlier = try await WebFixtures.version(arena, miner: miner, name: "scout", score: 0.4, submittedAt: arena.now - 9000)
        let version = try await WebFixtures.version(arena, miner: miner, name: "scout", number: 2, state: "RUNNING")
        let v1 = try await WebFixtures.validator(arena, name: "val-one"), v2 = try await WebFixtures.validator(arena, name: "val-two")
        let running = try await WebFixtures.run(arena, version, validator: v1, status: "RUNNING")
        let done = try await WebFixtures.run(arena, version, validator: v2, status: "SUCCESS", score: 0.75, included: true)
        try await WebFixtures.runProblem(arena, runID: running, problemID: suite.visible[0], score: 1, reasoning: 0.7)
        try await WebFixtures.runProblem(arena, runID: running, problemID: suite.visible[1], status: "RUNNING", score: nil)
        // A hidden problem's row must not count, show or link.
        try await WebFixtures.runProblem(arena, runID: running, problemID: suite.hidden[0], score: 1)
        for problem in suite.visible { try await WebFixtures.runProblem(arena, runID: done, problemID: problem, score: 1, reasoning: 0.9) }
        let corpusArena = WebArena(services: arena.services, clock: arena.clock, kind: kind,
                                   corpus: FixedCorpus(acceptedProblem: suite.visible[0]))
        try await corpusArena.test { client in
            let page = try await client.page("/agents/\(version.versionID)")
            #expect(page.status == .ok)
            #expect(page.contentType == "text/html; charset=utf-8")
            #expect(page.html.contains("<h1>scout <span class=\"muted\">v2</span></h1>"))
            #expect(page.html.contains("data-live-src=\"/agents/\(version.versionID)/live\""))
            #expect(!page.html.contains("data-live-final"), "a running version keeps polling")
            #expect(page.html.contains("0 of 2 successful runs from distinct validators, 1 running"))
            // Progress counts visible problems only: 1 finished of 4.
            #expect(page.html.contains("1 / 4 problems (25.0 %)"))
            #expect(page.links.contains("/runs/\(running)"))
            #expect(page.links.contains("/runs/\(done)/problems/\(suite.visible[3])"))
            #expect(!page.html.contains(suite.hidden[0]))
            #expect(!page.html.contains("SECRET-HIDDEN-QUERY"))
            // Matrix: 4 rows × 2 columns; corpus verdicts from the seam.
            #expect(page.html.components(separatedBy: "<th scope=\"row\">").count - 1 == 4)
            #expect(page.html.contains("corpus kept"))
            #expect(page.html.contains("corpus rejected"))
            // Score history: an SVG with both versions, the unscored one as a gap.
            #expect(page.html.contains("<svg class=\"chart\""))
            #expect(page.html.contains("scout v1: 0.4000"))
            #expect(page.html.contains("Code</dt><dd><span class=\"muted\">published the weekday after"))

            let live = try await client.page("/agents/\(version.versionID)/live")
            #expect(live.status == .ok)
            #expect(!live.html.contains("<html"), "the live fragment is a fragment")
            #expect(live.html.contains("1 / 4 problems"))
            _ = earlier
        }
    }

    @Test(arguments: StoreKind.allCases)
    func liveFragmentFollowsProgressAndSaysWhenItIsFinal(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        let suite = try await WebFixtures.suite(arena, visible: 2)
        let miner = try await WebFixtures.miner(arena)
        let version = try await WebFixtures.version(arena, miner: miner, name: "live", state: "RUNNING")
        let validator = try await WebFixtures.validator(arena, name: "v")
        let run = try await WebFixtures.run(arena, version, validator: validator, status: "RUNNING")
        try await arena.test { client in
            #expect(try await client.page("/agents/\(version.versionID)/live").html.contains("0 / 2 problems"))
            #expect(try await client.page("/runs/\(run)/live").html.contains("0 of 2 problems finished"))
            try await WebFixtures.runProblem(arena, runID: run, problemID: suite.visible[0])
            #expect(try await client.page("/agents/\(version.versionID)/live").html.contains("1 / 2 problems"))
            let runLive = try await client.page("/runs/\(run)/live")
            #expect(runLive.html.contains("1 of 2 problems finished"))
            #expect(!runLive.html.contains("data-live-final"))
            try await WebFixtures.runProblem(arena, runID: run, problemID: suite.visible[1])
            try await arena.sql("UPDATE evaluation_runs SET status = 'SUCCESS', validator_score = 1.0 WHERE eval_run_id = ?", [.text(run)])
            try await arena.sql("UPDATE agent_versions SET state = 'ELIGIBLE', final_score = 1.0 WHERE agent_version_id = ?",
                                [.text(version.versionID)])
            #expect(try await client.page("/agents/\(version.versionID)/live").html.contains("data-live-final=\"true\""))
            #expect(try await client.page("/runs/\(run)/live").html.contains("data-live-final=\"true\""))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func releasedCodeIsLinkedAndOnlyThen(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await WebFixtures.suite(arena)
        let miner = try await WebFixtures.miner(arena)
        let released = try await WebFixtures.version(arena, miner: miner, name: "open", score: 0.5, codeAvailableAt: arena.now - 1)
        let embargoed = try await WebFixtures.version(arena, miner: miner, name: "shut", score: 0.5, codeAvailableAt: arena.now + 3_600_000)
        try await arena.test { client in
            let open = try await client.page("/agents/\(released.versionID)")
            let sha = open.links.first { $0.hasPrefix("/v1/public/blobs/") }
            #expect(sha != nil)
            if let sha {
                let download = try await client.execute(uri: sha, method: .get, headers: [:], body: nil)
                #expect(download.status == .ok, "the linked code downloads from the public API")
            }
            let shut = try await client.page("/agents/\(embargoed.versionID)")
            #expect(!shut.links.contains { $0.hasPrefix("/v1/public/blobs/") })
            #expect(shut.html.contains("published in 1 h"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func runPageShowsFactsAndVisibleProblemsOnly(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        let suite = try await WebFixtures.suite(arena, visible: 2, hidden: 2)
        let miner = try await WebFixtures.miner(arena)
        let version = try await WebFixtures.version(arena, miner: miner, name: "runner", score: 0.5)
        let validator = try await WebFixtures.validator(arena, name: "v")
        let run = try await WebFixtures.run(arena, version, validator: validator, status: "FAILED",
                                            failureReason: "judge <b>unavailable</b>")
        try await arena.sql("UPDATE evaluation_runs SET score_components = ? WHERE eval_run_id = ?",
                            [.text(#"{"success_rate": 0.5, "reasoning_quality": null, "problems": 2}"#), .text(run)])
        try await WebFixtures.runProblem(arena, runID: run, problemID: suite.visible[1], status: "TIMED_OUT", score: 0,
                                         inferenceTotal: 3)
        try await WebFixtures.runProblem(arena, runID: run, problemID: suite.hidden[1], score: 1)
        let raceRun = try await WebFixtures.run(arena, version, validator: validator, status: "SUCCESS", phase: "RACE",
                                                raceID: WebFixtures.uuid())
        try await WebFixtures.runProblem(arena, runID: raceRun, problemID: suite.hidden[0], score: 1)
        try await arena.test { client in
            let page = try await client.page("/runs/\(run)")
            #expect(page.status == .ok)
            #expect(page.html.contains("judge &lt;b&gt;unavailable&lt;/b&gt;"))
            #expect(page.html.contains("<dt>success_rate</dt><dd>0.5000</dd>"))
            #expect(page.html.contains("data-live-final=\"true\""))
            #expect(page.html.contains("Timed out"))
            #expect(page.html.contains("3 calls"))
            #expect(page.links.contains("/runs/\(run)/problems/\(suite.visible[1])"))
            #expect(!page.html.contains(suite.hidden[1]))
            #expect(!page.html.contains("SECRET-HIDDEN-QUERY"))
            let race = try await client.page("/runs/\(raceRun)")
            #expect(race.status == .ok)
            #expect(race.html.contains("race problems are hidden"))
            #expect(!race.html.contains(suite.hidden[0]))
            #expect(!race.html.contains("SECRET-HIDDEN-QUERY"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unknownIdsGiveHelpful404Pages(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await arena.test { client in
            let cases: [(String, String)] = [
                ("/agents/\(WebFixtures.uuid())", "No such agent version"),
                ("/agents/not-a-uuid", "No such agent version"),
                ("/agents/\(WebFixtures.uuid())/live", "No such agent version"),
                ("/runs/\(WebFixtures.uuid())", "No such evaluation run"),
                ("/runs/\(WebFixtures.uuid())/live", "No such evaluation run"),
                ("/runs/\(WebFixtures.uuid())/problems/p1", "No such evaluation run"),
                ("/races/\(WebFixtures.uuid())", "No such race"),
                ("/miners/5Nobody", "No such miner"),
                ("/no/such/page", "Page not found"),
            ]
            for (uri, heading) in cases {
                let page = try await client.page(uri)
                #expect(page.status == .notFound, "\(uri)")
                #expect(page.contentType == "text/html; charset=utf-8", "\(uri)")
                #expect(page.html.contains("<h1>\(heading)</h1>"), "\(uri)")
                #expect(page.links.contains("/"), "\(uri) links back to the leaderboard")
                #expect(page.html.contains("HTTP 404 · \(uri)"), "\(uri) names what was asked for")
            }
            // The API keeps its own (JSON) answers.
            let api = try await client.execute(uri: "/v1/public/agent-versions/\(WebFixtures.uuid())", method: .get, headers: [:], body: nil)
            #expect(api.status == .notFound)
            #expect(api.headers[.contentType] == "application/json")
            let unknownAPI = try await client.execute(uri: "/v1/public/nothing-here", method: .get, headers: [:], body: nil)
            #expect(unknownAPI.status == .notFound)
            #expect(unknownAPI.headers[.contentType] != "text/html; charset=utf-8")
        }
    }
}
