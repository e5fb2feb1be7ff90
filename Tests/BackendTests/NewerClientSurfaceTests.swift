import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing

/// The rest of issue 13's surface on both stores: JSON 404s for unknown and unsupported routes, role refusals that
/// name the route's role, `/health/deep`, the fields 1.0.50 and 7.x read on public answers, and the estimates.
@Suite("Newer client surface")
struct NewerClientSurfaceTests {
    @Test(arguments: StoreKind.allCases)
    func everyUnknownRouteAnswersJSON(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let validator = try await arena.hotkey(.validator)
        try await arena.test { client in
            // (DELETE /v1/public/leaderboard, a served path, answers 405 since issue 19: MethodNotAllowedTests.)
            for (method, path) in [(HTTPRequest.Method.get, "/nope"), (.get, "/v1/public/no-such-thing"), (.post, "/v1/admin/unknown")] {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.field("error_code") == "NOT_FOUND", "\(method) \(path)")
                #expect(response.field("detail")?.contains(path) == true)
            }
            // ORO's newer evaluation model is named as unsupported, signed or not.
            // Where oro-sdk 7.x parses the 404 into a model with a constant error_code, that constant is kept.
            let unsupported: [(HTTPRequest.Method, String, String)] = [
                (.get, "/v1/validator/pack/\(String(repeating: "ab", count: 32))", "UNSUPPORTED_ENDPOINT"),
                (.post, "/v1/validator/race/\(UUID().uuidString)/pack", "UNSUPPORTED_ENDPOINT"),
                (.post, "/v1/validator/episode-results", "UNSUPPORTED_ENDPOINT"),
                (.post, "/v1/validator/episode-artifacts/presign", "UNSUPPORTED_ENDPOINT"),
                (.get, "/v1/validator/weight-salt", "UNSUPPORTED_ENDPOINT"),
                (.get, "/v1/public/episode-results/\(UUID().uuidString)/feedback", "ARTIFACT_NOT_FOUND"),
                (.get, "/v1/public/races/\(UUID().uuidString)/seed-commitment", "RACE_NOT_FOUND"),
                (.get, "/v1/public/races/\(UUID().uuidString)/validator-variance", "RACE_NOT_FOUND"),
                (.get, "/v1/public/trajectories/history", "UNSUPPORTED_ENDPOINT"),
                (.post, "/v1/miner/chutes/exchange-code", "UNSUPPORTED_ENDPOINT"),
                (.get, "/v1/demo/run", "UNSUPPORTED_ENDPOINT"),
            ]
            for (method, path, code) in unsupported {
                let response = try await client.execute(uri: path, method: method, headers: validator.headers(arena.clock))
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(response.field("error_code") == code, "\(method) \(path)")
                #expect(try response.json["unsupported"] == true)
                #expect(response.field("detail")?.contains("does not implement") == true)
            }
            // A served route is untouched by the middleware.
            #expect(try await client.getJSON("/v1/public/races/current").status == .ok)
            let deep = try await client.getJSON("/health/deep")
            #expect(deep.status == .ok && deep.json["database"] == "ok" && deep.json["schema_version"]?.intValue == Int64(ArenaMigrations.all.map(\.version).max() ?? 0))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func roleRefusalsNameTheRoutesRole(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let admin = try await arena.hotkey(.admin)
        let clock = arena.clock
        try await arena.test { client in
            let onAdmin = try await client.signed(.get, "/v1/admin/miners", by: miner, clock)
            #expect(onAdmin.status == .forbidden && onAdmin.field("error_code") == "NOT_REGISTERED_AS_ADMIN")
            #expect(onAdmin.field("detail") == "hotkey \(miner.address) is registered as a miner, not an admin: "
                + "/v1/admin/* routes need an admin hotkey")
            let onMiner = try await client.signed(.get, "/v1/miner/agents", by: admin, clock)
            #expect(onMiner.status == .forbidden && onMiner.field("error_code") == "NOT_REGISTERED")
            #expect(onMiner.field("detail")?.contains("is registered as an admin, not a miner") == true)
            let onValidator = try await client.signed(.post, "/v1/validator/work/claim", by: admin, clock)
            #expect(onValidator.field("error_code") == "NOT_REGISTERED_AS_VALIDATOR")
            #expect(onValidator.field("detail")?.contains("an admin, not a validator") == true)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func publicFieldsOfNewerClients(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let released = arena.clock.nowMillis() - 1000
        let version = try await PublicFixtures.eligibleVersion(arena, miner: miner.address, score: 0.6, codeAvailableAt: released,
                                                               name: "Shopper")
        try await PublicFixtures.eligibleVersion(arena, miner: miner.address, score: 0.5, name: "other")
        try await arena.test { client in
            // AgentVersionPublic: released_at and code_available_at are set (required by oro-sdk 1.0.129+).
            let public_ = try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)").json
            #expect(public_["released_at"]?.stringValue == Wire.timestamp(released))
            #expect(public_["code_available_at"]?.stringValue == Wire.timestamp(released))

            // execution_kind only for clients that announce themselves (1.0.x keeps its SuitePublic).
            let plain = try await client.getJSON("/v1/public/suites/current").json
            #expect(plain["execution_kind"] == nil)
            let newer = try await client.execute(uri: "/v1/public/suites/current", method: .get, headers: newerClientHeaders)
            #expect(try newer.json["execution_kind"] == "legacy_shoppingbench")

            // 7.x's leaderboard search (agent name or hotkey prefix, any case).
            let byName = try await client.getJSON("/v1/public/leaderboard?q=shop").json
            #expect(byName["entries"]?.arrayValue?.map { $0["agent_version_id"]?.stringValue } == [version.agentVersionID])
            #expect(byName["total"] == 1)
            let byKey = try await client.getJSON("/v1/public/leaderboard?q=\(miner.address.prefix(6))").json
            #expect(byKey["total"] == 2)
            let wildcard = try await client.getJSON("/v1/public/leaderboard?q=%25").json
            #expect(wildcard["total"] == 0)

            // The model allowlist takes 7.x's provider and ranked parameters.
            #expect(try await client.getJSON("/v1/public/inference/models?provider=openrouter&ranked=false").status == .ok)
            let badProvider = try await client.getJSON("/v1/public/inference/models?provider=azure")
            #expect(badProvider.status == .unprocessableContent)
            #expect(badProvider.json["detail"]?.arrayValue?.first?["loc"] == .array(["query", "provider"]))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func projectedCompletionFollowsTheRecentPace(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator).address
        let done = try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
        try await Fixtures.queuedVersion(arena, miner: miner.address, required: 3)
        try await arena.test { client in
            // No run finished yet: there is no pace, so no estimate.
            #expect(try await client.getJSON("/v1/public/evaluations/pending").json["summary"]?["projected_completion_at"] == nil)
            // One run took 10 minutes; one validator was seen lately; 1 + 3 runs are needed → 4 × 10 min from now.
            try await AdminAnalyticsTests.finished(arena, workItem: done.workItemID, version: done.agentVersionID, validator: validator,
                                                   status: "FAILED", score: nil, seconds: 600)
            try await PublicFixtures.sql(arena, "UPDATE identities SET last_seen_at = ? WHERE hotkey = ?",
                                         [.int(arena.clock.nowMillis()), .text(validator)])
            let summary = try await client.getJSON("/v1/public/evaluations/pending").json["summary"]
            #expect(summary?["total_runs_needed"] == 4)
            #expect(summary?["projected_completion_at"]?.stringValue == Wire.timestamp(arena.clock.nowMillis() + 4 * 600_000))

            // A running race: its RACE work items still need 2 runs → 2 × 10 min; a finished race has no estimate.
            let running = UUID().uuidString.lowercased(), finished = UUID().uuidString.lowercased()
            let now = arena.clock.nowMillis()
            try await arena.services.database.transaction { db in
                try await db.execute(
                    "INSERT INTO races (race_id, suite_id, race_number, status, qualifying_closes_at, created_at) VALUES (?, 1, 1, 'RACE_RUNNING', ?, ?)",
                    [.text(running), .int(now), .int(now)])
                try await db.execute(
                    "INSERT INTO races (race_id, suite_id, race_number, status, qualifying_closes_at, created_at) VALUES (?, 2, 1, 'RACE_COMPLETE', ?, ?)",
                    [.text(finished), .int(now), .int(now)])
                try await WorkItems.enqueue(in: db, workItemID: UUID().uuidString.lowercased(), agentVersionID: done.agentVersionID,
                                            suiteID: 1, phase: .race, raceID: running, raceNumber: 1, requiredSuccesses: 2, now: now)
            }
            let race = try await client.getJSON("/v1/public/races/\(running)").json["race"]
            #expect(race?["projected_completion_at"]?.stringValue == Wire.timestamp(now + 2 * 600_000))
            let current = try await client.getJSON("/v1/public/races/current").json["race"]
            #expect(current?["race_id"]?.stringValue == running && current?["projected_completion_at"]?.stringValue != nil)
            #expect(try await client.getJSON("/v1/public/races/\(finished)").json["race"]?["projected_completion_at"] == .null)
        }
    }
}
