import ArenaModel
import Backend
import Foundation
import HTTPTypes
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing

/// The race lifecycle over simulated days with an injected clock, on both stores: qualifying closes on
/// schedule, the 95 % rule, cancelled races, the incumbent's automatic place, a challenger who beats the
/// incumbent's score but not the decaying threshold, and one who wins later.
@Suite("Race engine")
struct RaceEngineTests {
    static let day: Int64 = 86_400_000

    /// An ELIGIBLE version with `score` on suite 1.
    static func eligible(_ arena: TestArena, score: Double, submittedOffset: Int64 = 0) async throws -> String {
        let miner = try await arena.hotkey(.miner)
        let (version, workItem) = try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
        try await arena.services.database.transaction { db in
            try await db.execute("UPDATE agent_versions SET state = 'ELIGIBLE', final_score = ?, eligible_at = ?, submitted_at = submitted_at + ? WHERE agent_version_id = ?",
                                 [.double(score), .int(arena.clock.nowMillis()), .int(submittedOffset), .text(version)])
            try await db.execute("UPDATE work_items SET is_closed = 1, included_success_count = 1 WHERE work_item_id = ?", [.text(workItem)])
        }
        return version
    }

    /// Finishes every open RACE work item of `race` with one included SUCCESS run scoring `scores[version]`
    /// (versions missing from `scores` get no run: DNF).
    static func finishRace(_ arena: TestArena, race: String, scores: [String: Double]) async throws {
        let now = arena.clock.nowMillis()
        try await arena.services.database.transaction { db in
            let items = try await db.query("SELECT work_item_id, agent_version_id FROM work_items WHERE race_id = ? AND is_closed = 0", [.text(race)])
            for item in items {
                let version = try item.string("agent_version_id")
                if let score = scores[version] {
                    try await db.execute(
                        """
                        INSERT INTO evaluation_runs (eval_run_id, work_item_id, agent_version_id, suite_id, validator_hotkey, status, phase,
                            race_id, claimed_at, lease_expires_at, completed_at, is_included, validator_score)
                        VALUES (?, ?, ?, 1, 'v', 'SUCCESS', 'RACE', ?, ?, ?, ?, 1, ?)
                        """, [.text(UUID().uuidString.lowercased()), .text(try item.string("work_item_id")), .text(version), .text(race),
                              .int(now), .int(now), .int(now), .double(score)])
                }
                try await db.execute("UPDATE work_items SET is_closed = 1 WHERE work_item_id = ?", [.text(try item.string("work_item_id"))])
            }
        }
    }

    static func race(_ arena: TestArena, _ id: String) async throws -> RaceRecord {
        try await arena.services.database.read { db in try await RaceRepository.race(id, in: db)! }
    }

    static func top(_ arena: TestArena) async throws -> String? {
        try await arena.services.database.read { db in
            try await db.first("SELECT agent_version_id FROM top_history WHERE ended_at IS NULL")?.string("agent_version_id")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func racesOverSeveralDays(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        // 2026-11-02 20:00 UTC (12:00 in Los Angeles, PST) minus 2 h: qualifying closes at 20:00 UTC.
        arena.clock.set(millis: 1_793_649_600_000 - 2 * 3_600_000)
        try await Fixtures.suite(arena, problems: 3, hiddenProblems: 8)
        let engine = RaceEngine(database: arena.services.database)

        // Day 0: the first race opens; nobody is eligible → at the close it is CANCELLED and race 2 opens.
        let first = try #require(try await engine.tick(now: arena.clock.nowMillis()).first)
        var race = try await Self.race(arena, first)
        #expect(race.status == .qualifyingOpen && race.raceNumber == 1)
        #expect(race.qualifyingClosesAt == 1_793_649_600_000)
        arena.clock.advance(seconds: 3 * 3600)
        try await engine.tick(now: arena.clock.nowMillis())
        race = try await Self.race(arena, first)
        #expect(race.status == .cancelled)

        // Race 2: A (0.80) and B (0.70, below 95 % of 0.80 = 0.76) are eligible; only A qualifies (no incumbent).
        let a = try await Self.eligible(arena, score: 0.80)
        let b = try await Self.eligible(arena, score: 0.70)
        arena.clock.advance(seconds: 86_400)
        let second = try await arena.services.database.read { db in
            try await RaceRepository.races(statuses: [.qualifyingOpen], in: db).first!.raceID
        }
        try await engine.tick(now: arena.clock.nowMillis())
        race = try await Self.race(arena, second)
        #expect(race.status == .raceRunning)
        #expect(race.qualifyingThreshold.map { abs($0 - 0.76) < 1e-9 } == true)
        #expect(race.problemCount == 8 && race.problemSeed != nil)
        let qualifiers = try await arena.services.database.read { db in try await RaceRepository.qualifiers(of: second, in: db) }
        #expect(qualifiers.map(\.agentVersionID) == [a])
        let drawn = try await arena.services.database.read { db in try await RaceRepository.problemIDs(of: second, in: db) }
        let hidden = try await arena.services.database.read { db in
            try await db.query("SELECT problem_id FROM problems WHERE is_hidden = 1", []).map { try $0.string("problem_id") }
        }
        #expect(Set(drawn) == Set(hidden))
        try await Self.finishRace(arena, race: second, scores: [a: 0.72])
        try await engine.tick(now: arena.clock.nowMillis())
        race = try await Self.race(arena, second)
        #expect(race.status == .raceComplete && race.winnerAgentVersionID == a && race.winnerScore == 0.72)
        #expect(try await Self.top(arena) == a)

        // Race 3, one day later: challenger C scores 0.75 in the race against A's 0.72 — above A's score but
        // below the threshold 0.72 + 0.2·0.28·0.5^(1/3.5) ≈ 0.7657: A defends, C is eliminated.
        let c = try await Self.eligible(arena, score: 0.79)
        let third = try await arena.services.database.read { db in
            try await RaceRepository.races(statuses: [.qualifyingOpen], in: db).first!.raceID
        }
        arena.clock.advance(seconds: 86_400)
        try await engine.tick(now: arena.clock.nowMillis())
        let thirdQualifiers = try await arena.services.database.read { db in try await RaceRepository.qualifiers(of: third, in: db) }
        // The reference is now the incumbent's score 0.72: B (0.70 ≥ 0.684) qualifies this time; it never
        // finishes (DNF) and is eliminated with C.
        #expect(Set(thirdQualifiers.map(\.agentVersionID)) == [a, b, c])
        #expect(thirdQualifiers.first { $0.agentVersionID == a }?.qualificationType == "INCUMBENT")
        try await Self.finishRace(arena, race: third, scores: [a: 0.72, c: 0.75])
        try await engine.tick(now: arena.clock.nowMillis())
        race = try await Self.race(arena, third)
        #expect(race.status == .raceComplete && race.winnerAgentVersionID == a)
        #expect(try await Self.top(arena) == a)
        let eliminated = try await arena.services.database.read { db in
            try await db.first("SELECT eliminated_at FROM agent_versions WHERE agent_version_id = ?", [.text(c)])?.optionalInt("eliminated_at")
        }
        #expect(eliminated != nil)
        let ranks = try await arena.services.database.read { db in try await RaceRepository.qualifiers(of: third, in: db) }
        #expect(ranks.map(\.raceRank) == [1, 2, nil])
        #expect(ranks.last?.agentVersionID == b && ranks.last?.eliminatedAt != nil)

        // The race leaderboard ranks the finishers of the last race by race score; the DNF is not on it.
        try await arena.test { client in
            try await client.execute(uri: "/v1/public/leaderboard?score_type=race", method: .get) { response in
                let entries = (try? response.json)?["entries"]?.arrayValue ?? []
                #expect(entries.compactMap { $0["agent_version_id"]?.stringValue } == [c, a])
                #expect(entries.first?["race_score"] == .double(0.75))
            }
            try await client.execute(uri: "/v1/public/races/\(third)", method: .get) { response in
                let json = try? response.json
                #expect(json?["race"]?["winner_agent_version_id"]?.stringValue == a)
                #expect(json?["qualifiers"]?.arrayValue?.count == 3)
            }
        }
    }

    @Test func theQualifyingCloseTimeAndZoneAreSettings() async throws {
        let arena = try await TestArena.make(.sqlite)
        arena.clock.set(millis: 1_793_649_600_000)  // 2026-11-02 20:00 UTC
        try await Fixtures.suite(arena, problems: 2)
        var backend = BackendSettings()
        backend.qualifyingCloseTime = "18:30"
        backend.qualifyingTimeZone = "UTC"
        backend.raceProblemCount = 5
        let settings = RaceEngine.Settings(backend: backend)
        #expect(settings.problemsPerRace == 5)
        let engine = RaceEngine(database: arena.services.database, settings: settings)
        let id = try #require(try await engine.tick(now: arena.clock.nowMillis()).first)
        // 20:00 is past today's 18:30, so the window closes tomorrow at 18:30 UTC.
        #expect(try await Self.race(arena, id).qualifyingClosesAt == 1_793_649_600_000 + 22 * 3_600_000 + 30 * 60_000)
        await arena.services.database.close()
    }
}
