import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Store
import ShopArenaTesting
import Testing

/// `/v1/public/evaluations/running`, `/v1/public/evaluations/pending` and `/v1/public/validators`.
@Suite("Public evaluations and validators")
struct PublicEvaluationTests {
    @Test(arguments: StoreKind.allCases)
    func runningPendingAndValidators(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let suite = try await Fixtures.suite(arena, problems: 4, hiddenProblems: 1)
        try await Fixtures.suite(arena, id: 2, active: false)
        let miner = try await arena.hotkey(.miner).address
        let busy = try await arena.hotkey(.validator).address
        arena.clock.advance(seconds: 1)
        let idle = try await arena.hotkey(.validator).address
        arena.clock.advance(seconds: 1)
        let banned = try await arena.hotkey(.validator).address
        try await PublicFixtures.sql(arena, "UPDATE identities SET is_banned = 1 WHERE hotkey = ?", [.text(banned)])
        try await PublicFixtures.sql(arena, "UPDATE identities SET name = 'idle one', service_versions = ? WHERE hotkey = ?",
                                     [.text(#"{"validator":"sha256:ab"}"#), .text(idle)])
        let first = try await Fixtures.queuedVersion(arena, miner: miner, required: 2)
        arena.clock.advance(seconds: 1)
        let second = try await Fixtures.queuedVersion(arena, miner: miner, required: 3)
        try await Fixtures.queuedVersion(arena, miner: miner, suiteID: 2, required: 1)
        let closed = try await PublicFixtures.eligibleVersion(arena, miner: miner, score: 0.5)
        let run = try await PublicFixtures.run(arena, workItemID: first.workItemID, agentVersionID: first.agentVersionID,
                                               validator: busy, status: "RUNNING")
        try await PublicFixtures.run(arena, workItemID: first.workItemID, agentVersionID: first.agentVersionID,
                                     validator: idle, status: "SUCCESS", score: 0.4, included: true)
        try await PublicFixtures.sql(arena, "UPDATE work_items SET included_success_count = 1 WHERE work_item_id = ?",
                                     [.text(first.workItemID)])
        try await PublicFixtures.runProblem(arena, runID: run, problemID: suite.problemIDs[0])
        try await PublicFixtures.runProblem(arena, runID: run, problemID: suite.problemIDs[1], status: "SKIPPED")
        try await PublicFixtures.runProblem(arena, runID: run, problemID: suite.problemIDs[2], status: "RUNNING")
        try await arena.test { client in
            let running = try await client.getJSON("/v1/public/evaluations/running").json.arrayValue ?? []
            #expect(running.count == 1)
            #expect(running.first?["eval_run_id"]?.stringValue == run)
            #expect(running.first?["progress_percent"]?.numberValue == 50)
            #expect(running.first?["miner_hotkey"]?.stringValue == miner)
            #expect(running.first?["status"]?.stringValue == "RUNNING")

            let pending = try await client.getJSON("/v1/public/evaluations/pending?suite_id=1").json
            #expect(pending["summary"] == .object([("total_pending", .int(2)), ("total_runs_needed", .int(4)),
                                                   ("total_runs_active", .int(1))]))
            let items = pending["items"]?.arrayValue ?? []
            #expect(items.compactMap { $0["work_item_id"]?.stringValue } == [first.workItemID, second.workItemID])
            #expect(items.first?["completed_successes"]?.intValue == 1)
            #expect(items.first?["active_runs"]?.intValue == 1)
            #expect(items.first?["remaining"]?.intValue == 1)
            #expect(!items.contains { $0["agent_version_id"]?.stringValue == closed.agentVersionID })
            let everything = try await client.getJSON("/v1/public/evaluations/pending?limit=1&offset=1").json
            #expect(everything["summary"]?["total_pending"]?.intValue == 3)
            #expect(everything["items"]?.arrayValue?.compactMap { $0["work_item_id"]?.stringValue } == [second.workItemID])
            #expect(try await client.getJSON("/v1/public/evaluations/pending?limit=0").status == .unprocessableContent)
            #expect(try await client.getJSON("/v1/public/evaluations/pending?offset=no").status == .unprocessableContent)

            let validators = try await client.getJSON("/v1/public/validators").json.arrayValue ?? []
            #expect(validators.compactMap { $0["hotkey"]?.stringValue } == [busy, idle])
            #expect(validators.compactMap { $0["status"]?.stringValue } == ["evaluating", "available"])
            #expect(validators.first?["current_agent"]?["version_id"]?.stringValue == first.agentVersionID)
            #expect(validators.last?["current_agent"] == .null)
            #expect(validators.last?["name"]?.stringValue == "idle one")
            #expect(validators.last?["service_versions"] == .object([("validator", .string("sha256:ab"))]))
        }
    }
}
