import ArenaModel
import Backend
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Store
import ShopArenaTesting
import Testing

/// Hidden (race) problems must never leave through any public route, whatever state the arena is in.
@Suite("Public routes never reveal hidden problems")
struct PublicHiddenProblemTests {
    @Test(arguments: StoreKind.allCases)
    func noPublicRouteMentionsAHiddenProblem(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let suite = try await Fixtures.suite(arena, problems: 2, hiddenProblems: 2)
        let hidden = try await PublicQueriesProbe.hiddenIDs(arena)
        #expect(hidden.count == 2)
        let miner = try await arena.hotkey(.miner).address
        let validator = try await arena.hotkey(.validator).address
        let version = try await PublicFixtures.eligibleVersion(arena, miner: miner, score: 0.9,
                                                               codeAvailableAt: arena.clock.nowMillis())
        let raceID = UUID().uuidString.lowercased()
        let raceRun = try await PublicFixtures.run(arena, workItemID: version.workItemID, agentVersionID: version.agentVersionID,
                                                   validator: validator, status: "RUNNING", phase: "RACE", raceID: raceID)
        let run = try await PublicFixtures.run(arena, workItemID: version.workItemID, agentVersionID: version.agentVersionID,
                                               validator: validator, status: "SUCCESS", score: 0.9, included: true)
        for problem in hidden { try await PublicFixtures.runProblem(arena, runID: raceRun, problemID: problem) }
        try await PublicFixtures.runProblem(arena, runID: run, problemID: suite.problemIDs[0])
        try await PublicFixtures.top(arena, agentVersionID: version.agentVersionID, score: 0.9, topAt: arena.clock.nowMillis())
        // The hidden problems' queries (see `Fixtures.suite`) must not leak either.
        let secrets = hidden + ["red running shoes 2", "red running shoes 3"]
        let v = version.agentVersionID
        let routes = [
            "/v1/public/suites", "/v1/public/suites/current", "/v1/public/suites/1/problems",
            "/v1/public/suites/1/problems?include_embeddings=true", "/v1/public/leaderboard", "/v1/public/top",
            "/v1/public/top/history", "/v1/public/top-miner-payout", "/v1/public/agent-versions/\(v)", "/v1/public/agent-versions/\(v)/status",
            "/v1/public/agent-versions/\(v)/runs", "/v1/public/agent-versions/\(v)/problems",
            "/v1/public/agent-versions/\(v)/problems?phase=RACE", "/v1/public/agent-versions/\(v)/problems?race_id=\(raceID)",
            "/v1/public/evaluation-runs/\(raceRun)", "/v1/public/evaluation-runs/\(run)", "/v1/public/evaluations/running",
            "/v1/public/evaluations/pending", "/v1/public/validators", "/v1/public/inference/models",
        ]
        try await arena.test { client in
            var servedVisible = false
            for route in routes {
                let response = try await client.execute(uri: route, method: .get)
                #expect(response.status == .ok, "\(route)")
                let body = String(buffer: response.body)
                for secret in secrets { #expect(!body.contains(secret), "\(route) reveals \(secret)") }
                servedVisible = servedVisible || body.contains(suite.problemIDs[0])
            }
            // The sweep is meaningful: visible problems do come through the same routes.
            #expect(servedVisible)
            for problem in hidden {
                let logs = try await client.postJSON("/v1/public/artifacts/download-url", .object([
                    ("artifact_type", "EVAL_PROBLEM_LOGS"), ("agent_version_id", .string(v)),
                    ("eval_run_id", .string(raceRun)), ("problem_id", .string(problem)),
                ]))
                #expect(logs.status == .notFound)
            }
        }
    }
}
