import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Store
import ShopArenaTesting
import Testing

/// `/v1/public/agent-versions/{id}` (+ status, runs, problems) and `/v1/public/evaluation-runs/{id}`.
@Suite("Public agent versions")
struct PublicAgentVersionTests {
    @Test(arguments: StoreKind.allCases)
    func versionIsServedOnlyOnceReleased(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner).address
        let releaseAt = arena.clock.nowMillis() + 3_600_000
        let version = try await PublicFixtures.eligibleVersion(arena, miner: miner, score: 0.7, codeAvailableAt: releaseAt)
        let queued = try await Fixtures.queuedVersion(arena, miner: miner)
        try await arena.test { client in
            let early = try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)")
            #expect(early.status == .notFound)
            #expect(early.json["error_code"]?.stringValue == "ARTIFACT_NOT_RELEASED")
            #expect(try await client.getJSON("/v1/public/agent-versions/\(queued.agentVersionID)").json["error_code"]?.stringValue
                    == "ARTIFACT_NOT_RELEASED")
            arena.clock.set(millis: releaseAt)
            let released = try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)")
            #expect(released.status == .ok)
            #expect(released.json["agent_version_id"]?.stringValue == version.agentVersionID)
            #expect(released.json["miner_hotkey"]?.stringValue == miner)
            #expect(released.json["latest_final_score"]?.numberValue == 0.7)
            #expect(released.json["suite_id"]?.intValue == 1)
            #expect(released.json["agent_id"]?.stringValue.flatMap(UUID.init(uuidString:)) != nil)
            let missing = try await client.getJSON("/v1/public/agent-versions/\(UUID().uuidString.lowercased())")
            #expect(missing.json["error_code"]?.stringValue == "AGENT_VERSION_NOT_FOUND")
            let malformed = try await client.getJSON("/v1/public/agent-versions/not-a-uuid")
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.json["detail"]?.arrayValue?.first?["type"]?.stringValue == "uuid_parsing")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func statusCountsTheQualifyingWorkItemAndItsRuns(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner).address
        let v1 = try await arena.hotkey(.validator).address, v2 = try await arena.hotkey(.validator).address
        let v3 = try await arena.hotkey(.validator).address
        let version = try await Fixtures.queuedVersion(arena, miner: miner, required: 3)
        try await PublicFixtures.run(arena, workItemID: version.workItemID, agentVersionID: version.agentVersionID,
                                     validator: v1, status: "SUCCESS", score: 0.75, included: true)
        try await PublicFixtures.run(arena, workItemID: version.workItemID, agentVersionID: version.agentVersionID,
                                     validator: v2, status: "RUNNING")
        try await PublicFixtures.run(arena, workItemID: version.workItemID, agentVersionID: version.agentVersionID,
                                     validator: v3, status: "FAILED", score: 0.1)
        try await PublicFixtures.sql(arena, "UPDATE work_items SET included_success_count = 1 WHERE work_item_id = ?",
                                     [.text(version.workItemID)])
        try await arena.test { client in
            let status = try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)/status")
            #expect(status.status == .ok)
            let json = status.json
            #expect(json["state"]?.stringValue == "QUEUED")
            #expect(json["required_successes"]?.intValue == 3)
            #expect(json["success_count"]?.intValue == 1)
            #expect(json["active_count"]?.intValue == 1)
            #expect(json["is_closed"] == .bool(false))
            #expect(json["release_state"]?.stringValue == "HIDDEN")
            #expect(json["code_available_at"] == .null)
            #expect(json["final_score"] == .null)
            #expect(json["per_validator_success_scores"] == .object([(v1, .double(0.75))]))
            #expect(json["submitted_at"]?.stringValue == Wire.timestamp(arena.clock.nowMillis()))
            let missing = try await client.getJSON("/v1/public/agent-versions/\(UUID().uuidString)/status")
            #expect(missing.status == .notFound)
            #expect(missing.json["error_code"]?.stringValue == "AGENT_VERSION_NOT_FOUND")

            let runs = try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)/runs")
            let list = runs.json.arrayValue ?? []
            #expect(list.count == 3)
            #expect(Set(list.compactMap { $0["status"]?.stringValue }) == ["SUCCESS", "RUNNING", "FAILED"])
            #expect(list.allSatisfy { $0["phase"]?.stringValue == "QUALIFYING" && $0["suite_id"]?.intValue == 1 })
            #expect(list.first { $0["validator_hotkey"]?.stringValue == v1 }?["validator_score"]?.numberValue == 0.75)
            #expect(try await client.getJSON("/v1/public/agent-versions/\(UUID().uuidString)/runs").status == .notFound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func statusOfAReleasedEligibleVersion(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner).address
        let released = arena.clock.nowMillis() - 1
        let version = try await PublicFixtures.eligibleVersion(arena, miner: miner, score: 0.66, codeAvailableAt: released)
        try await arena.test { client in
            let json = try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)/status").json
            #expect(json["state"]?.stringValue == "ELIGIBLE")
            #expect(json["is_closed"] == .bool(true))
            #expect(json["success_count"]?.intValue == 2)
            #expect(json["final_score"]?.numberValue == 0.66)
            #expect(json["release_state"]?.stringValue == "RELEASED")
            #expect(json["code_available_at"]?.stringValue == Wire.timestamp(released))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func problemsAndRunDetail(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let suite = try await Fixtures.suite(arena, problems: 2, hiddenProblems: 1)
        let hiddenID = try #require(try await PublicQueriesProbe.hiddenIDs(arena).first)
        let miner = try await arena.hotkey(.miner).address
        let validator = try await arena.hotkey(.validator).address
        let version = try await Fixtures.queuedVersion(arena, miner: miner)
        let run = try await PublicFixtures.run(arena, workItemID: version.workItemID, agentVersionID: version.agentVersionID,
                                               validator: validator, status: "SUCCESS", score: 0.5, included: true)
        let raceRun = try await PublicFixtures.run(arena, workItemID: version.workItemID, agentVersionID: version.agentVersionID,
                                                   validator: validator, status: "RUNNING", phase: "RACE",
                                                   raceID: UUID().uuidString.lowercased())
        try await PublicFixtures.runProblem(arena, runID: run, problemID: suite.problemIDs[1], score: 0.25)
        try await PublicFixtures.runProblem(arena, runID: run, problemID: suite.problemIDs[0], status: "FAILED", score: 0)
        try await PublicFixtures.runProblem(arena, runID: raceRun, problemID: suite.problemIDs[0], status: "RUNNING", score: nil)
        try await PublicFixtures.runProblem(arena, runID: raceRun, problemID: hiddenID, status: "RUNNING", score: nil)
        try await arena.test { client in
            let all = try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)/problems")
            #expect(all.status == .ok)
            #expect(all.json["suite_id"]?.intValue == 1)
            let problems = all.json["problems"]?.arrayValue ?? []
            // Suite order; the hidden problem never appears.
            #expect(problems.compactMap { $0["problem_id"]?.stringValue } == [suite.problemIDs[0], suite.problemIDs[0], suite.problemIDs[1]])
            #expect(problems.compactMap { $0["phase"]?.stringValue }.sorted() == ["QUALIFYING", "QUALIFYING", "RACE"])
            #expect(!JSONWriter().string(all.json).contains(hiddenID))

            let qualifying = try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)/problems?phase=QUALIFYING")
            let entries = qualifying.json["problems"]?.arrayValue ?? []
            #expect(entries.count == 2)
            let result = entries.last?["validator_results"]?.arrayValue?.first
            #expect(result?["eval_run_id"]?.stringValue == run)
            #expect(result?["validator_hotkey"]?.stringValue == validator)
            #expect(result?["status"]?.stringValue == "SUCCESS")
            #expect(result?["score"]?.numberValue == 0.25)
            #expect(entries.first?["category"]?.stringValue == "product")
            let bad = try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)/problems?phase=FINAL")
            #expect(bad.status == .unprocessableContent)
            #expect(try await client.getJSON("/v1/public/agent-versions/\(version.agentVersionID)/problems?race_id=x").status
                    == .unprocessableContent)
            #expect(try await client.getJSON("/v1/public/agent-versions/\(UUID().uuidString)/problems").json["error_code"]?.stringValue
                    == "AGENT_VERSION_NOT_FOUND")

            let detail = try await client.getJSON("/v1/public/evaluation-runs/\(run)")
            #expect(detail.status == .ok)
            #expect(detail.json["agent_version_id"]?.stringValue == version.agentVersionID)
            #expect(detail.json["score"]?.numberValue == 0.5)
            #expect(detail.json["status"]?.stringValue == "SUCCESS")
            #expect(detail.json["is_included"] == .bool(true))
            #expect(detail.json["version_number"]?.intValue == 1)
            let missing = try await client.getJSON("/v1/public/evaluation-runs/\(UUID().uuidString)")
            #expect(missing.status == .notFound)
            #expect(missing.json["error_code"]?.stringValue == "EVAL_RUN_NOT_FOUND")
            #expect(try await client.getJSON("/v1/public/evaluation-runs/123").status == .unprocessableContent)
        }
    }
}

/// Reads fixture rows the routes must never reveal.
enum PublicQueriesProbe {
    static func hiddenIDs(_ arena: TestArena) async throws -> [String] {
        try await arena.services.database.read { db in
            try await db.query("SELECT problem_id FROM problems WHERE is_hidden = 1 ORDER BY position", [])
                .compactMap { $0.optionalString("problem_id") }
        }
    }
}
