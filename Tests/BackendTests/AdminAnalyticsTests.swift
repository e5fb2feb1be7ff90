import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing

/// oro-sdk 1.0.50's admin additions on both stores: validator score analytics, per-work-item variance and the
/// reinstatement of an eliminated version.
@Suite("Admin analytics")
struct AdminAnalyticsTests {
    /// A finished run with `completed_at` = claim + `seconds`.
    @discardableResult
    static func finished(_ arena: TestArena, workItem: String, version: String, validator: String, status: String,
                         score: Double?, seconds: Int64, reason: String? = nil, phase: String = "QUALIFYING") async throws -> String {
        let id = try await PublicFixtures.run(arena, workItemID: workItem, agentVersionID: version, validator: validator,
                                              status: status, score: score, included: status == "SUCCESS", phase: phase)
        try await PublicFixtures.sql(arena, "UPDATE evaluation_runs SET completed_at = claimed_at + ?, failure_reason = ? WHERE eval_run_id = ?",
                                     [.int(seconds * 1000), .optional(reason), .text(id)])
        return id
    }

    @Test(arguments: StoreKind.allCases)
    func validatorScoresAndVersionVariance(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let admin = try await arena.hotkey(.admin)
        let miner = try await arena.hotkey(.miner)
        let v1 = try await arena.hotkey(.validator).address
        let v2 = try await arena.hotkey(.validator).address
        let first = try await Fixtures.queuedVersion(arena, miner: miner.address, name: "first")
        let second = try await Fixtures.queuedVersion(arena, miner: miner.address, name: "second")
        // v1: 0.6 and 0.8 on the first version's item, one FAILED run on the second; v2: 0.9 on the first, 0.7 on the second.
        let r1 = try await Self.finished(arena, workItem: first.workItemID, version: first.agentVersionID, validator: v1,
                                         status: "SUCCESS", score: 0.6, seconds: 100)
        let r2 = try await Self.finished(arena, workItem: first.workItemID, version: first.agentVersionID, validator: v1,
                                         status: "SUCCESS", score: 0.8, seconds: 200)
        arena.clock.advance(seconds: 10)
        try await Self.finished(arena, workItem: second.workItemID, version: second.agentVersionID, validator: v1,
                                status: "FAILED", score: nil, seconds: 300, reason: "sandbox crashed")
        let r4 = try await Self.finished(arena, workItem: first.workItemID, version: first.agentVersionID, validator: v2,
                                         status: "SUCCESS", score: 0.9, seconds: 400)
        try await Self.finished(arena, workItem: second.workItemID, version: second.agentVersionID, validator: v2,
                                status: "SUCCESS", score: 0.7, seconds: 100)
        let clock = arena.clock
        try await arena.test { client in
            let scores = try await client.signed(.get, "/v1/admin/analytics/validator-scores", by: admin, clock)
            #expect(scores.status == .ok)
            let json = try scores.json
            #expect(json["global_avg_score"]?.numberValue.map { abs($0 - 0.75) < 1e-9 } == true)  // (0.6+0.8+0.9+0.7)/4
            #expect(json["global_avg_execution_seconds"]?.numberValue == 220)
            let rows = json["validators"]?.arrayValue ?? []
            let one = try #require(rows.first { $0["validator_hotkey"]?.stringValue == v1 })
            #expect(one["total_runs"] == 3 && one["success_count"] == 2 && one["failed_count"] == 1 && one["timed_out_count"] == 0)
            #expect(one["avg_score"]?.numberValue.map { abs($0 - 0.7) < 1e-9 } == true)
            #expect(one["median_score"]?.numberValue.map { abs($0 - 0.7) < 1e-9 } == true)
            #expect(one["stddev_score"]?.numberValue.map { abs($0 - 0.1) < 1e-9 } == true)
            #expect(one["min_score"] == .double(0.6) && one["max_score"] == .double(0.8))
            #expect(one["deviation_from_global"]?.numberValue.map { abs($0 + 0.05) < 1e-9 } == true)
            #expect(one["avg_execution_seconds"] == .double(200) && one["is_slow_outlier"] == false)
            #expect(one["success_rate"]?.numberValue.map { abs($0 - 2.0 / 3) < 1e-9 } == true)
            #expect(one["last_failure_reason"] == "sandbox crashed" && one["last_failure_at"] != .null)
            let two = try #require(rows.first { $0["validator_hotkey"]?.stringValue == v2 })
            #expect(two["total_runs"] == 2 && two["avg_score"]?.numberValue.map { abs($0 - 0.8) < 1e-9 } == true)
            #expect(two["is_outlier"] == false && two["last_failure_reason"] == .null)

            // Variance per work item: the first version's item spreads 0.6 … 0.9, the second's has one score.
            let variance = try await client.signed(.get, "/v1/admin/analytics/agent-version-variance?variance_threshold=0.25",
                                                   by: admin, clock)
            #expect(variance.status == .ok)
            let items = try variance.json["agent_versions"]?.arrayValue ?? []
            #expect(try variance.json["variance_threshold"] == .double(0.25))
            #expect(items.map { $0["agent_version_id"]?.stringValue } == [first.agentVersionID, second.agentVersionID])
            let top = try #require(items.first)
            #expect(top["spread"]?.numberValue.map { abs($0 - 0.3) < 1e-9 } == true && top["is_high_variance"] == true)
            #expect(top["validator_count"] == 2 && top["eval_work_item_id"]?.stringValue == first.workItemID)
            #expect(top["phase"] == "QUALIFYING" && top["min_score"] == .double(0.6) && top["max_score"] == .double(0.9))
            #expect(Set(top["per_validator"]?.arrayValue?.compactMap { $0["run_id"]?.stringValue } ?? []) == [r1, r2, r4])
            #expect(items.last?["spread"] == .double(0) && items.last?["is_high_variance"] == false)
            let limited = try await client.signed(.get, "/v1/admin/analytics/agent-version-variance?limit=1", by: admin, clock)
            #expect(try limited.json["agent_versions"]?.arrayValue?.count == 1)
            #expect(try limited.json["variance_threshold"] == .double(0.1))

            // Filters: RACE has nothing; a bad phase or threshold is a 422.
            let race = try await client.signed(.get, "/v1/admin/analytics/validator-scores?phase=RACE", by: admin, clock)
            #expect(try race.json["validators"] == .array([]) && race.json["global_avg_score"] == .double(0))
            let badPhase = try await client.signed(.get, "/v1/admin/analytics/validator-scores?phase=FINAL", by: admin, clock)
            #expect(badPhase.status == .unprocessableContent)
            let badThreshold = try await client.signed(.get, "/v1/admin/analytics/agent-version-variance?variance_threshold=x",
                                                       by: admin, clock)
            #expect(badThreshold.status == .unprocessableContent)
            // Only admins.
            let refused = try await client.signed(.get, "/v1/admin/analytics/validator-scores", by: miner, clock)
            #expect(refused.status == .forbidden && refused.field("error_code") == "NOT_REGISTERED_AS_ADMIN")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func reinstateEliminationClearsItAndIsAudited(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let admin = try await arena.hotkey(.admin)
        let miner = try await arena.hotkey(.miner)
        let version = try await PublicFixtures.eligibleVersion(arena, miner: miner.address, score: 0.7).agentVersionID
        let raceID = UUID().uuidString.lowercased()
        try await PublicFixtures.sql(arena, "UPDATE agent_versions SET eliminated_at = 5, eliminated_in_race_number = 2 WHERE agent_version_id = ?",
                                     [.text(version)])
        try await PublicFixtures.sql(arena, """
            INSERT INTO races (race_id, suite_id, race_number, status, qualifying_closes_at, created_at) VALUES (?, 1, 2, 'RACE_COMPLETE', 1, 1)
            """, [.text(raceID)])
        try await PublicFixtures.sql(arena, """
            INSERT INTO race_qualifiers (race_id, agent_version_id, qualification_type, eliminated_at) VALUES (?, ?, 'SCORED', 5)
            """, [.text(raceID), .text(version)])
        let clock = arena.clock
        try await arena.test { client in
            let done = try await client.signed(.post, "/v1/admin/agent-versions/\(version)/reinstate-elimination", by: admin, clock,
                                               json: #"{"reason":"judge bug"}"#)
            #expect(done.status == .ok)
            #expect(try done.json == .object([("agent_version_id", .string(version)), ("suite_id", 1)]))
            let status = try await client.getJSON("/v1/public/agent-versions/\(version)/status").json
            #expect(status["eliminated_at"] == .null && status["eliminated_in_race_number"] == .null)
            let qualifier = try await arena.services.database.read { db in try await RaceRepository.qualifiers(of: raceID, in: db).first }
            #expect(qualifier?.eliminatedAt == nil)
            let events = try await client.signed(.get, "/v1/admin/audit-events?action=agent_version.reinstate_elimination", by: admin, clock)
            let event = try #require(try events.json["events"]?.arrayValue?.first)
            #expect(event["reason"] == "judge bug" && event["target_id"]?.stringValue == version)
            #expect(event["details"]?["was_eliminated_in_race_number"] == 2)

            let unknown = try await client.signed(.post, "/v1/admin/agent-versions/\(UUID().uuidString.lowercased())/reinstate-elimination",
                                                  by: admin, clock)
            #expect(unknown.status == .notFound && unknown.field("error_code") == "AGENT_VERSION_NOT_FOUND")
            let wrongSuite = try await client.signed(.post, "/v1/admin/agent-versions/\(version)/reinstate-elimination", by: admin, clock,
                                                     json: #"{"suite_id":99}"#)
            #expect(wrongSuite.status == .notFound && wrongSuite.field("error_code") == "SUITE_NOT_FOUND")
        }
    }
}
