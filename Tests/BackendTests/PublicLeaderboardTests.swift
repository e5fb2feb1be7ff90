import ArenaModel
import Backend
import Foundation
import HTTPTypes
import ShopArenaTesting
import Store
import Testing

/// `/v1/public/leaderboard`, `/v1/public/top` and `/v1/public/top/history`: ranking, ties, exclusions, top
/// flags and the policy numbers.
@Suite("Public leaderboard and top")
struct PublicLeaderboardTests {
    struct Board {
        var tieLater: String, best: String, tieEarlier: String, discarded: String
        var minerA: String, minerB: String, minerC: String
        var bestTopAt: Int64
    }

    /// Three ranked versions (one tie broken by submission time), plus a discarded, a queued and an
    /// other-suite version that must not be ranked; the best is the current top, another was top before.
    static func board(_ arena: TestArena) async throws -> Board {
        try await Fixtures.suite(arena, id: 1)
        try await Fixtures.suite(arena, id: 2, active: false)
        let a = try await arena.hotkey(.miner).address, b = try await arena.hotkey(.miner).address
        let c = try await arena.hotkey(.miner).address
        let t0 = arena.clock.nowMillis()
        let tieLater = try await PublicFixtures.eligibleVersion(arena, miner: a, score: 0.8, submittedAt: t0 + 10).agentVersionID
        let best = try await PublicFixtures.eligibleVersion(arena, miner: b, score: 0.9, submittedAt: t0 + 20).agentVersionID
        let tieEarlier = try await PublicFixtures.eligibleVersion(arena, miner: c, score: 0.8, submittedAt: t0 + 5).agentVersionID
        let discarded = try await PublicFixtures.eligibleVersion(arena, miner: a, score: 0.99, discarded: true).agentVersionID
        try await Fixtures.queuedVersion(arena, miner: b)
        try await PublicFixtures.eligibleVersion(arena, miner: a, suiteID: 2, score: 0.97)
        try await PublicFixtures.sql(arena, "UPDATE identities SET is_banned = 1 WHERE hotkey = ?", [.text(c)])
        let bestTopAt = t0 - 2 * 86_400_000
        try await PublicFixtures.top(arena, agentVersionID: tieLater, score: 0.8, topAt: t0 - 5 * 86_400_000, endedAt: bestTopAt)
        try await PublicFixtures.top(arena, agentVersionID: best, score: 0.9, topAt: bestTopAt)
        return Board(tieLater: tieLater, best: best, tieEarlier: tieEarlier, discarded: discarded,
                     minerA: a, minerB: b, minerC: c, bestTopAt: bestTopAt)
    }

    @Test(arguments: StoreKind.allCases)
    func ranksEligibleVersionsWithTiesToTheEarlierSubmission(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let board = try await Self.board(arena)
        let expected = TopAgentStatus(topScore: 0.9, topSince: Date(timeIntervalSince1970: Double(board.bestTopAt) / 1000),
                                      now: Date(timeIntervalSince1970: Double(arena.clock.nowMillis()) / 1000))
        try await arena.test { client in
            let response = try await client.getJSON("/v1/public/leaderboard")
            #expect(response.status == .ok)
            let json = response.json
            #expect(json["total"]?.intValue == 3)
            #expect(json["limit"]?.intValue == 100)
            #expect(json["offset"]?.intValue == 0)
            #expect(json["unique_miners"]?.intValue == 3)
            #expect(json["suite"]?["suite_id"]?.intValue == 1)
            #expect(json["challenge_threshold"]?.numberValue == expected.challenge.threshold)
            #expect((json["challenge_threshold"]?.numberValue ?? 0) > 0.9)
            let entries = json["entries"]?.arrayValue ?? []
            #expect(entries.compactMap { $0["agent_version_id"]?.stringValue } == [board.best, board.tieEarlier, board.tieLater])
            #expect(entries.compactMap { $0["rank"]?.intValue } == [1, 2, 3])
            #expect(entries.compactMap { $0["is_current_top"] } == [true, false, false])
            #expect(entries.compactMap { $0["was_top"] } == [false, false, true])
            #expect(entries.compactMap { $0["is_miner_banned"] } == [false, true, false])
            #expect(entries.compactMap { $0["is_discarded"] } == [false, false, false])
            #expect(entries[0]["top_at"]?.stringValue == Wire.timestamp(board.bestTopAt))
            #expect(entries[1]["top_at"] == .null)
            #expect(entries[0]["miner_hotkey"]?.stringValue == board.minerB)
            #expect(entries[0]["final_score"]?.numberValue == 0.9)
            #expect(entries[0]["version_number"]?.intValue == 1)
            #expect(entries[0]["eligible_at"]?.stringValue != nil)
            #expect(entries[0]["agent_name"]?.stringValue?.hasPrefix("agent-") == true)

            let page = try await client.getJSON("/v1/public/leaderboard?limit=1&offset=1&score_type=qualifying")
            #expect(page.json["total"]?.intValue == 3)
            #expect(page.json["entries"]?.arrayValue?.compactMap { $0["agent_version_id"]?.stringValue } == [board.tieEarlier])
            #expect(page.json["entries"]?.arrayValue?.first?["rank"]?.intValue == 2)

            let other = try await client.getJSON("/v1/public/leaderboard?suite_id=2")
            #expect(other.json["total"]?.intValue == 1)
            #expect(other.json["challenge_threshold"] == .null)
            #expect(other.json["suite"]?["is_active"] == .bool(false))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func leaderboardRejectsBadParameters(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena, id: 1)
        try await arena.test { client in
            for (query, field) in [("limit=0", "limit"), ("limit=abc", "limit"), ("limit=1001", "limit"), ("offset=-1", "offset"),
                                   ("score_type=best", "score_type"), ("suite_id=x", "suite_id")] {
                let response = try await client.getJSON("/v1/public/leaderboard?" + query)
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(response.json["detail"]?.arrayValue?.first?["loc"] == .array(["query", .string(field)]), "\(query)")
            }
            let missing = try await client.getJSON("/v1/public/leaderboard?suite_id=42")
            #expect(missing.status == .notFound)
            #expect(missing.json["error_code"]?.stringValue == "SUITE_NOT_FOUND")
            let empty = try await client.getJSON("/v1/public/leaderboard")
            #expect(empty.json["entries"] == .array([]))
            #expect(empty.json["unique_miners"]?.intValue == 0)
            #expect(empty.json["challenge_threshold"] == .null)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func topReportsThePolicyNumbersOfTheCurrentHolder(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena, id: 1)
        try await arena.test { client in
            let none = try await client.getJSON("/v1/public/top")
            #expect(none.status == .ok)
            #expect(none.json["suite_id"]?.intValue == 1)
            #expect(none.json["top_agent_version_id"] == .null)
            #expect(none.json["challenge_threshold"] == .null)
            #expect(none.json["computed_at"]?.stringValue == Wire.timestamp(arena.clock.nowMillis()))
            let payout = try await client.getJSON("/v1/public/top-miner-payout")
            #expect(payout.status == .ok)
            #expect(payout.json["as_of"]?.stringValue == Wire.timestamp(arena.clock.nowMillis()))
            #expect(payout.json["miner_hotkey"] == .null)
        }
        let arena2 = try await TestArena.make(kind)
        let board = try await Self.board(arena2)
        let now = arena2.clock.nowMillis()
        let expected = TopAgentStatus(topScore: 0.9, topSince: Date(timeIntervalSince1970: Double(board.bestTopAt) / 1000),
                                      now: Date(timeIntervalSince1970: Double(now) / 1000))
        try await arena2.test { client in
            let top = try await client.getJSON("/v1/public/top")
            #expect(top.json["top_agent_version_id"]?.stringValue == board.best)
            #expect(top.json["top_miner_hotkey"]?.stringValue == board.minerB)
            #expect(top.json["top_score"]?.numberValue == 0.9)
            #expect(top.json["challenge_threshold"]?.numberValue == expected.challenge.threshold)
            #expect(top.json["margin"]?.numberValue == expected.challenge.margin)
            #expect(top.json["emission_weight"]?.numberValue == expected.emissionWeight)
            #expect(top.json["policy"] == ArenaPolicy.default.jsonValue)
            let payout = try await client.getJSON("/v1/public/top-miner-payout")
            #expect(payout.json["miner_hotkey"]?.stringValue == board.minerB)
            #expect(payout.json["agent_name"]?.stringValue?.hasPrefix("agent-") == true)
            #expect(payout.json["tao_per_day"] == .null)

            let history = try await client.getJSON("/v1/public/top/history?suite_id=1")
            #expect(history.json["suite_id"]?.intValue == 1)
            let entries = history.json["entries"]?.arrayValue ?? []
            #expect(entries.compactMap { $0["agent_version_id"]?.stringValue } == [board.best, board.tieLater])
            #expect(entries.compactMap { $0["is_current_top"] } == [true, false])
            #expect(entries.compactMap { $0["was_top"] } == [true, true])
            #expect(entries.first?["final_score"]?.numberValue == 0.9)
            let all = try await client.getJSON("/v1/public/top/history")
            #expect(all.json["entries"]?.arrayValue?.count == 2)
            #expect(try await client.getJSON("/v1/public/top/history?suite_id=2").json["entries"] == .array([]))
            #expect(try await client.getJSON("/v1/public/top/history?suite_id=9").status == .notFound)
            #expect(try await client.getJSON("/v1/public/top/history?suite_id=z").status == .unprocessableContent)
        }
    }
}
