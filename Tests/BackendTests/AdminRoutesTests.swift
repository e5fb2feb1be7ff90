import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing
import TestSupport

/// The admin API over HTTP on both stores: suites, agent versions, runs, miners, validators, audit events.
@Suite("Admin routes")
struct AdminRoutesTests {
    /// Sends a signed admin request with an optional JSON body and hands the response to `check`.
    static func call(_ client: any TestClientProtocol, _ arena: TestArena, _ key: TestHotkey, _ method: HTTPRequest.Method,
                     _ uri: String, _ body: String? = nil, _ check: @escaping (TestResponse) throws -> Void) async throws {
        try await client.execute(uri: uri, method: method, headers: key.headers(arena.clock, extra: [.contentType: "application/json"]),
                                 body: body.map { ByteBuffer(string: $0) }) { response in try check(response) }
    }

    /// A run row of `version` on its work item, by `validator`, with `status` and an optional score.
    static func run(_ arena: TestArena, version: String, item: String, validator: String, status: String,
                    score: Double? = nil, included: Bool = false) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let now = arena.clock.nowMillis()
        try await arena.services.database.transaction { db in
            try await db.execute(
                """
                INSERT INTO evaluation_runs (eval_run_id, work_item_id, agent_version_id, suite_id, validator_hotkey, status, phase,
                    claimed_at, lease_expires_at, is_included, validator_score) VALUES (?, ?, ?, 1, ?, ?, 'QUALIFYING', ?, ?, ?, ?)
                """,
                [.text(id), .text(item), .text(version), .text(validator), .text(status), .int(now), .int(now + 120_000),
                 .bool(included), .optional(score)])
        }
        return id
    }

    static func setEligible(_ arena: TestArena, _ version: String, score: Double) async throws {
        try await arena.services.database.transaction { db in
            try await db.execute("UPDATE agent_versions SET state = 'ELIGIBLE', final_score = ?, eligible_at = ? WHERE agent_version_id = ?",
                                 [.double(score), .int(arena.clock.nowMillis()), .text(version)])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func suitesAreCreatedFromFilesAndActivated(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let admin = try await arena.hotkey(.admin)
        let miner = try await arena.hotkey(.miner)
        let file = try SharedData.url("oro_problem_suite_v3.json")
        try await arena.test { client in
            try await Self.call(client, arena, miner, .post, "/v1/admin/suites", #"{"problem_suite_uri":"\#(file.path)"}"#) { response in
                #expect(response.status == .forbidden)
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/suites", #"{"problem_suite_uri":"\#(file.absoluteString)"}"#) { response in
                #expect(response.status == .created)
                let json = try response.json
                #expect(json["suite_id"] == .int(1) && json["suite_version"] == .int(1) && json["is_active"] == .bool(false))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/suites/1/activate?requeue_top_n=0") { response in
                #expect(response.status == .ok)
                #expect((try? response.json)?["is_active"] == .bool(true))
                #expect((try? response.json)?["requeued_versions"] == .array([]))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/suites/77/activate") { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "SUITE_NOT_FOUND")
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/suites", #"{"problem_suite_uri":"/no/such/suite.json"}"#) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "SUITE_FILE_NOT_FOUND")
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/suites", #"{"problem_suite_uri":"https://example.com/suite.json"}"#) { response in
                #expect(response.status == .unprocessableContent)
                #expect((try? response.json)?["detail"]?.at(0)?["loc"] == .array(["body", "problem_suite_uri"]))
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/evaluation-runs?status=AAA") { response in
                #expect(response.status == .unprocessableContent)
                #expect((try? response.json)?["detail"]?.at(0)?["loc"] == .array(["query", "status"]))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/suites", "{}") { response in
                #expect(response.status == .unprocessableContent)
                #expect((try? response.json)?["detail"]?.at(0)?["type"] == .string("missing"))
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/audit-events?target_type=suite") { response in
                #expect(response.status == .ok)
                let json = try response.json
                #expect(json["total"] == .int(2))
                let actions = json["events"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
                #expect(Set(actions) == ["suite.activate", "suite.create"])
                #expect(json["events"]?.at(0)?["actor_hotkey"]?.stringValue == admin.address)
            }
            let problems = try await arena.services.database.read { try await $0.scalarInt("SELECT COUNT(*) FROM problems WHERE suite_id = 1") }
            #expect(problems == 30)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func agentVersionsAreListedCancelledDiscardedAndRequeued(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let admin = try await arena.hotkey(.admin)
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        try await Fixtures.suite(arena)
        let a = try await Fixtures.queuedVersion(arena, miner: miner.address, name: "alpha")
        _ = try await Fixtures.queuedVersion(arena, miner: miner.address, name: "beta")
        let active = try await Self.run(arena, version: a.agentVersionID, item: a.workItemID, validator: validator.address, status: "RUNNING")
        try await arena.test { client in
            try await Self.call(client, arena, admin, .get, "/v1/admin/agent-versions?miner_hotkey=\(miner.address)&limit=1") { response in
                #expect(response.status == .ok)
                let json = try response.json
                #expect(json["total"] == .int(2) && json["limit"] == .int(1) && json["offset"] == .int(0))
                #expect(json["agent_versions"]?.arrayValue?.count == 1)
                #expect(json["agent_versions"]?.at(0)?["state"] == .string("QUEUED"))
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/agent-versions?is_eligible=maybe") { response in
                #expect(response.status == .unprocessableContent)
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/agent-versions/\(a.agentVersionID)/code") { response in
                #expect(response.status == .ok)
                #expect(response.field("download_url")?.hasPrefix(arena.services.settings.publicBaseURL) == true)
                #expect(response.field("agent_name")?.hasPrefix("alpha") == true)
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/agent-versions/\(a.agentVersionID)/cancel", #"{"reason":"spam"}"#) { response in
                #expect(response.status == .ok)
                #expect((try? response.json)?["cancelled_runs"] == .int(1))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/agent-versions/\(a.agentVersionID)/discard", #"{"reason":"copy"}"#) { response in
                #expect(response.status == .ok)
                #expect((try? response.json)?["is_discarded"] == .bool(true))
                #expect((try? response.json)?["suite_id"] == .int(1))
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/agent-versions?is_discarded=true") { response in
                #expect((try? response.json)?["total"] == .int(1))
                #expect((try? response.json)?["agent_versions"]?.at(0)?["discard_reason"] == .string("copy"))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/agent-versions/\(a.agentVersionID)/reinstate", "") { response in
                #expect((try? response.json)?["is_discarded"] == .bool(false))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/agent-versions/\(a.agentVersionID)/reevaluate",
                                #"{"reason":"retry","required_successes":3}"#) { response in
                #expect(response.status == .ok)
                #expect(response.field("agent_version_id") == a.agentVersionID)
            }
            let unknown = UUID().uuidString.lowercased()
            try await Self.call(client, arena, admin, .post, "/v1/admin/agent-versions/\(unknown)/cancel", #"{"reason":"x"}"#) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "AGENT_VERSION_NOT_FOUND")
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/agent-versions/not-a-uuid/discard", "{}") { response in
                #expect(response.status == .unprocessableContent)
                #expect((try? response.json)?["detail"]?.at(0)?["type"] == .string("uuid_parsing"))
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/audit-events?target_id=\(a.agentVersionID)") { response in
                let actions = try response.json["events"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
                #expect(Set(actions) == ["agent_version.code_download", "agent_version.cancel", "agent_version.discard",
                                         "agent_version.reinstate", "agent_version.reevaluate"])
            }
            let db = arena.services.database
            let runStatus = try await db.read { try await $0.first("SELECT status FROM evaluation_runs WHERE eval_run_id = ?", [.text(active)]) }
            #expect(try runStatus?.string("status") == "CANCELLED")
            let items = try await db.read {
                try await $0.query("SELECT is_cancelled, required_successes FROM work_items WHERE agent_version_id = ? ORDER BY seq", [.text(a.agentVersionID)])
            }
            #expect(try items.map { try $0.int("is_cancelled") } == [1, 0])
            #expect(try items.last?.int("required_successes") == 3)
            let state = try await db.read { try await $0.first("SELECT state FROM agent_versions WHERE agent_version_id = ?", [.text(a.agentVersionID)]) }
            #expect(try state?.string("state") == "QUEUED")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func setTopRespectsTheChallengeThresholdUnlessForced(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let admin = try await arena.hotkey(.admin)
        let miner = try await arena.hotkey(.miner)
        try await Fixtures.suite(arena)
        let first = try await Fixtures.queuedVersion(arena, miner: miner.address, name: "first")
        let second = try await Fixtures.queuedVersion(arena, miner: miner.address, name: "second")
        try await Self.setEligible(arena, first.agentVersionID, score: 0.5)
        try await Self.setEligible(arena, second.agentVersionID, score: 0.52)
        try await arena.test { client in
            try await Self.call(client, arena, admin, .post, "/v1/admin/agent-versions/\(first.agentVersionID)/set-top", "{}") { response in
                #expect(response.status == .ok)
                #expect((try? response.json)?["previous_top_agent_version_id"] == .null)
                #expect((try? response.json)?["suite_id"] == .int(1))
            }
            arena.clock.advance(seconds: 60)
            try await Self.call(client, arena, admin, .post, "/v1/admin/agent-versions/\(second.agentVersionID)/set-top", "{}") { response in
                #expect(response.status == .badRequest)
                let json = try response.json
                #expect(json["error_code"] == .string("SCORE_BELOW_THRESHOLD"))
                #expect(json["candidate_score"]?.numberValue == 0.52)
                #expect(json["current_top_score"]?.numberValue == 0.5)
                let required = json["required_score"]?.numberValue ?? 0
                let margin = json["margin"]?.numberValue ?? 0
                #expect(abs(required - 0.6) < 0.001 && abs(required - 0.5 - margin) < 1e-9)
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/agent-versions/\(second.agentVersionID)/set-top", #"{"force":true}"#) { response in
                #expect(response.status == .ok)
                #expect(response.field("previous_top_agent_version_id") == first.agentVersionID)
            }
            let rows = try await arena.services.database.read {
                try await $0.query("SELECT agent_version_id, ended_at FROM top_history WHERE suite_id = 1 ORDER BY top_at", [])
            }
            #expect(try rows.map { try $0.string("agent_version_id") } == [first.agentVersionID, second.agentVersionID])
            #expect(rows.first?.optionalInt("ended_at") != nil && rows.last?.optionalInt("ended_at") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func invalidatingARunRecomputesItsWorkItem(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let admin = try await arena.hotkey(.admin)
        let miner = try await arena.hotkey(.miner)
        try await Fixtures.suite(arena)
        let version = try await Fixtures.queuedVersion(arena, miner: miner.address, required: 2)
        let r1 = try await Self.run(arena, version: version.agentVersionID, item: version.workItemID, validator: "v1", status: "SUCCESS", score: 0.4, included: true)
        let r2 = try await Self.run(arena, version: version.agentVersionID, item: version.workItemID, validator: "v2", status: "SUCCESS", score: 0.6, included: true)
        try await arena.services.database.transaction { db in
            try await db.execute("UPDATE work_items SET included_success_count = 2, is_closed = 1, closed_at = 1 WHERE work_item_id = ?", [.text(version.workItemID)])
        }
        try await Self.setEligible(arena, version.agentVersionID, score: 0.5)
        try await arena.test { client in
            try await Self.call(client, arena, admin, .get, "/v1/admin/evaluation-runs?agent_version_id=\(version.agentVersionID)&status=SUCCESS") { response in
                #expect(response.status == .ok)
                #expect((try? response.json)?["total"] == .int(2))
                #expect((try? response.json)?["evaluation_runs"]?.at(0)?["is_included"] == .bool(true))
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/evaluation-runs?phase=WARMUP") { response in
                #expect(response.status == .unprocessableContent)
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/evaluation-runs/\(r1)/invalidate", #"{"reason":"bad sandbox"}"#) { response in
                #expect(response.status == .ok)
                let json = try response.json
                #expect(json["eval_run_id"] == .string(r1) && json["is_included"] == .bool(false))
                #expect(json["invalidated_by"] == .string(admin.address) && json["invalidation_reason"] == .string("bad sandbox"))
                #expect(json["invalidated_at"]?.stringValue != nil)
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/evaluation-runs/\(r1)/invalidate", #"{"reason":"again"}"#) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "ALREADY_INVALIDATED")
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/evaluation-runs/\(UUID().uuidString)/invalidate", #"{"reason":"x"}"#) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "EVAL_RUN_NOT_FOUND")
            }
            let db = arena.services.database
            let item = try await db.read { try await $0.first("SELECT included_success_count, is_closed FROM work_items WHERE work_item_id = ?", [.text(version.workItemID)]) }
            #expect(try item?.int("included_success_count") == 1 && item?.int("is_closed") == 0)
            let state = try await db.read { try await $0.first("SELECT state, final_score FROM agent_versions WHERE agent_version_id = ?", [.text(version.agentVersionID)]) }
            #expect(try state?.string("state") == "QUEUED" && state?.optionalDouble("final_score") == nil)
            let untouched = try await db.read { try await $0.first("SELECT is_included FROM evaluation_runs WHERE eval_run_id = ?", [.text(r2)]) }
            #expect(try untouched?.int("is_included") == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func minersAndValidatorsAreListedBannedAndUnbanned(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let admin = try await arena.hotkey(.admin)
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        try await Fixtures.suite(arena)
        try await Fixtures.queuedVersion(arena, miner: miner.address)
        try await arena.services.database.transaction { db in
            try await db.execute("UPDATE identities SET last_submit_at = ? WHERE hotkey = ?", [.int(arena.clock.nowMillis()), .text(miner.address)])
        }
        try await arena.test { client in
            try await Self.call(client, arena, admin, .get, "/v1/admin/miners") { response in
                let json = try response.json
                #expect(json["total"] == .int(1))
                #expect(json["miners"]?.at(0)?["miner_hotkey"] == .string(miner.address))
                #expect(json["miners"]?.at(0)?["agent_count"] == .int(1))
                #expect(json["miners"]?.at(0)?["is_banned"] == .bool(false))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/miners/\(miner.address)/ban", #"{"reason":"sybil"}"#) { response in
                #expect(response.status == .ok)
                #expect((try? response.json)?["is_banned"] == .bool(true) && response.field("hotkey") == miner.address)
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/miners?is_banned=true") { response in
                #expect((try? response.json)?["total"] == .int(1))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/miners/\(miner.address)/unban") { response in
                #expect((try? response.json)?["is_banned"] == .bool(false))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/miners/\(validator.address)/ban", #"{"reason":"x"}"#) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "MINER_NOT_FOUND")
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/miners/5Unknown/unban") { response in
                #expect(response.field("error_code") == "MINER_NOT_FOUND")
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/miners/\(miner.address)/clear-cooldown") { response in
                #expect(response.status == .ok)
                let json = try response.json
                #expect(json["cleared"] == .bool(true))
                #expect(json["seconds_remaining_was"]?.intValue == Int64(arena.services.settings.submissionCooldownSeconds))
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/validators") { response in
                let json = try response.json
                #expect(json["total"] == .int(1))
                #expect(json["validators"]?.at(0)?["hotkey"] == .string(validator.address))
                #expect(json["validators"]?.at(0)?["status"] == .string("available"))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/validators/\(validator.address)/ban", #"{"reason":"copying"}"#) { response in
                #expect((try? response.json)?["is_banned"] == .bool(true))
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/validators?is_banned=true") { response in
                #expect((try? response.json)?["validators"]?.at(0)?["ban_reason"] == .string("copying"))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/validators/\(validator.address)/unban") { response in
                #expect((try? response.json)?["is_banned"] == .bool(false))
            }
            try await Self.call(client, arena, admin, .post, "/v1/admin/validators/\(miner.address)/unban") { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "VALIDATOR_NOT_FOUND")
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/reaper/stats") { response in
                let json = try response.json
                #expect(json["runs_reaped_total"] == .int(0))
                #expect(json["interval_seconds"]?.numberValue == arena.services.settings.reaperIntervalSeconds)
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/audit-events?actor_hotkey=\(admin.address)&limit=2&offset=1") { response in
                let json = try response.json
                #expect(json["total"] == .int(5))
                #expect(json["events"]?.arrayValue?.count == 2)
                #expect(json["events"]?.at(0)?["created_at"]?.stringValue?.hasSuffix("Z") == true)
            }
            try await Self.call(client, arena, admin, .get, "/v1/admin/audit-events?action=miner.ban") { response in
                let json = try response.json
                #expect(json["events"]?.at(0)?["reason"] == .string("sybil"))
                #expect(json["events"]?.at(0)?["details"]?["was_banned"] == .bool(false))
            }
            let identity = try await arena.services.identities.find(miner.address)
            #expect(identity?.lastSubmitAt == nil && identity?.isBanned == false)
        }
    }
}

extension JSONValue {
    /// The element at `index` of an array (nil otherwise): reads well in chained test lookups.
    func at(_ index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
