import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing

/// `oro pin` / `oro unpin` and the one-racer-per-miner standing behind them: what the leaderboard, the version
/// status and the miner's agent list show before the close, and who races after it, on both stores.
@Suite("Race selection")
struct RaceSelectionTests {
    /// Miner M has A (0.80) and B (0.78), miner N has C (0.79) and a low D (0.50); E of M is only QUEUED.
    struct Board {
        let m: TestHotkey, n: TestHotkey
        let a: String, b: String, c: String, d: String, e: String
    }

    static func board(_ arena: TestArena) async throws -> Board {
        try await Fixtures.suite(arena, hiddenProblems: 2)
        let m = try await arena.hotkey(.miner)
        let n = try await arena.hotkey(.miner)
        let a = try await PublicFixtures.eligibleVersion(arena, miner: m.address, score: 0.80, name: "alpha").agentVersionID
        arena.clock.advance(seconds: 1)
        let b = try await PublicFixtures.eligibleVersion(arena, miner: m.address, score: 0.78, name: "beta").agentVersionID
        let c = try await PublicFixtures.eligibleVersion(arena, miner: n.address, score: 0.79, name: "gamma").agentVersionID
        let d = try await PublicFixtures.eligibleVersion(arena, miner: n.address, score: 0.50, name: "delta").agentVersionID
        let e = try await Fixtures.queuedVersion(arena, miner: m.address, name: "epsilon").agentVersionID
        return Board(m: m, n: n, a: a, b: b, c: c, d: d, e: e)
    }

    static func entries(_ client: any TestClientProtocol) async throws -> [String: JSONValue] {
        var byID: [String: JSONValue] = [:]
        for entry in try await client.getJSON("/v1/public/leaderboard").json["entries"]?.arrayValue ?? [] {
            byID[entry["agent_version_id"]?.stringValue ?? ""] = entry
        }
        return byID
    }

    @Test(arguments: StoreKind.allCases)
    func pinningChangesWhoRacesForTheMiner(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let board = try await Self.board(arena)
        let clock = arena.clock
        let engine = RaceEngine(database: arena.services.database)
        try await engine.tick(now: clock.nowMillis())  // opens race 1 for qualifying
        try await arena.test { client in
            // Auto-pick: M races A (its best), N races C; B qualifies by score but A outranks it; D is too low.
            var entries = try await Self.entries(client)
            #expect(entries[board.a]?["is_active_qualifier"] == true && entries[board.c]?["is_active_qualifier"] == true)
            #expect(entries[board.b]?["is_active_qualifier"] == false)
            #expect(entries[board.b]?["outranked_by_agent_version_id"]?.stringValue == board.a)
            #expect(entries[board.d]?["is_active_qualifier"] == false && entries[board.d]?["outranked_by_agent_version_id"] == .null)
            let status = try await client.getJSON("/v1/public/agent-versions/\(board.b)/status").json
            #expect(status["outranked_by_agent_version_id"]?.stringValue == board.a && status["is_active_qualifier"] == false)

            // Refusals: someone else's version, an unknown one, one that is not eligible, one under the threshold.
            let foreign = try await client.signed(.put, "/v1/miner/race-selection", by: board.m, clock,
                                                  json: #"{"agent_version_id":"\#(board.c)"}"#)
            #expect(foreign.status == .forbidden && foreign.field("error_code") == "NOT_VERSION_OWNER")
            let unknown = try await client.signed(.put, "/v1/miner/race-selection", by: board.m, clock,
                                                  json: #"{"agent_version_id":"\#(UUID().uuidString.lowercased())"}"#)
            #expect(unknown.status == .notFound && unknown.field("error_code") == "AGENT_VERSION_NOT_FOUND")
            let queued = try await client.signed(.put, "/v1/miner/race-selection", by: board.m, clock,
                                                 json: #"{"agent_version_id":"\#(board.e)"}"#)
            #expect(queued.status == .badRequest && queued.field("error_code") == "VERSION_NOT_PINNABLE")
            #expect(queued.field("reason") == "not_eligible")
            let low = try await client.signed(.put, "/v1/miner/race-selection", by: board.n, clock,
                                              json: #"{"agent_version_id":"\#(board.d)"}"#)
            #expect(low.status == .badRequest && low.field("reason") == "below_threshold")
            let nothing = try await client.signed(.delete, "/v1/miner/race-selection", by: board.m, clock)
            #expect(nothing.status == .notFound && nothing.field("error_code") == "NO_SELECTION")

            // M pins B: B becomes M's racer and A is the outranked sibling.
            let pinned = try await client.signed(.put, "/v1/miner/race-selection", by: board.m, clock,
                                                 json: #"{"agent_version_id":"\#(board.b)"}"#)
            #expect(pinned.status == .noContent && pinned.body.readableBytes == 0)
            entries = try await Self.entries(client)
            #expect(entries[board.b]?["is_active_qualifier"] == true && entries[board.a]?["is_active_qualifier"] == false)
            #expect(entries[board.a]?["outranked_by_agent_version_id"]?.stringValue == board.b)

            // What oro-sdk 7.x reads (X-Oro-Client-Version), and what 1.0.x keeps reading.
            let newer = try await client.signed(.get, "/v1/miner/agents", by: board.m, clock, headers: newerClientHeaders)
            let json = try newer.json
            #expect(json["racing_agent_version_id"]?.stringValue == board.b)
            #expect(json["selected_agent_version_id"]?.stringValue == board.b)
            let agentOfB = try await arena.services.agents.version(board.b)?.agentID
            #expect(json["selected_agent_id"]?.stringValue == agentOfB && json["racing_agent_id"]?.stringValue == agentOfB)
            var latest: [String: JSONValue] = [:]
            for agent in json["agents"]?.arrayValue ?? [] {
                if let version = agent["latest_version"], let id = version["agent_version_id"]?.stringValue { latest[id] = version }
            }
            #expect(latest[board.b]?["is_selected_for_race"] == true && latest[board.b]?["is_pinnable"] == true)
            #expect(latest[board.a]?["is_selected_for_race"] == false && latest[board.a]?["pin_disabled_reason"] == .null)
            #expect(latest[board.e]?["is_pinnable"] == false && latest[board.e]?["pin_disabled_reason"] == "not_eligible")
            let legacy = try await client.signed(.get, "/v1/miner/agents", by: board.m, clock)
            #expect(try legacy.json["selected_agent_version_id"] == nil)
            #expect(try legacy.json["agents"]?.arrayValue?.first?["latest_version"]?["is_pinnable"] == nil)

            // Qualifying closes: B and C race, A does not; pins are locked while the race runs.
            let closed = try await engine.closeQualifyingNow(now: clock.nowMillis())
            let race = try #require(closed?.race)
            #expect(race.status == .raceRunning)
            let qualifiers = try await arena.services.database.read { db in try await RaceRepository.qualifiers(of: race.raceID, in: db) }
            #expect(Set(qualifiers.map(\.agentVersionID)) == [board.b, board.c])
            let locked = try await client.signed(.put, "/v1/miner/race-selection", by: board.m, clock,
                                                 json: #"{"agent_version_id":"\#(board.a)"}"#)
            #expect(locked.status == .conflict && locked.field("error_code") == "RACE_LOCKED")
            let lockedClear = try await client.signed(.delete, "/v1/miner/race-selection", by: board.m, clock)
            #expect(lockedClear.status == .conflict && lockedClear.field("error_code") == "RACE_LOCKED")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aPinThatCanNoLongerRaceFallsBackToAutoPick(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let board = try await Self.board(arena)
        let clock = arena.clock
        try await arena.test { client in
            _ = try await client.signed(.put, "/v1/miner/race-selection", by: board.m, clock, json: #"{"agent_version_id":"\#(board.b)"}"#)
            try await PublicFixtures.sql(arena, "UPDATE agent_versions SET is_discarded = 1 WHERE agent_version_id = ?", [.text(board.b)])
            let json = try await client.signed(.get, "/v1/miner/agents/\(try #require(try await arena.services.agents.version(board.b)?.agentID))/versions",
                                               by: board.m, clock, headers: newerClientHeaders).json
            let b = try #require(json.arrayValue?.first)
            #expect(b["is_selected_for_race"] == true && b["selection_fallback_reason"] == "discarded" && b["is_pinnable"] == false)
            let agents = try await client.signed(.get, "/v1/miner/agents", by: board.m, clock, headers: newerClientHeaders).json
            #expect(agents["selected_agent_version_id"]?.stringValue == board.b)
            #expect(agents["racing_agent_version_id"]?.stringValue == board.a)
            let engine = RaceEngine(database: arena.services.database)
            try await engine.tick(now: clock.nowMillis())
            let race = try #require(try await engine.closeQualifyingNow(now: clock.nowMillis())?.race)
            let qualifiers = try await arena.services.database.read { db in try await RaceRepository.qualifiers(of: race.raceID, in: db) }
            #expect(Set(qualifiers.map(\.agentVersionID)) == [board.a, board.c])
        }
    }
}
