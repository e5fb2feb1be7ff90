import ArenaModel
import Backend
import Foundation
import HTTPTypes
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing

/// An admin race action and its audit event commit together (issue 19): when the audit write fails, the
/// action is rolled back; when it succeeds, both are there. Both stores.
@Suite("Audit atomicity")
struct AuditAtomicityTests {
    struct AuditWriteFailed: Error {}

    static func auditCount(_ arena: TestArena) async throws -> Int64 {
        try await arena.services.database.read { db in try await db.scalarInt("SELECT COUNT(*) FROM audit_events") } ?? 0
    }

    @Test(arguments: StoreKind.allCases)
    func closingQualifyingRollsBackWhenItsAuditEventFails(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena, problems: 3, hiddenProblems: 8)
        let engine = RaceEngine(database: arena.services.database)
        let raceID = try #require(try await engine.tick(now: arena.clock.nowMillis()).first)
        let before = try await RaceEngineTests.race(arena, raceID)
        let challenger = try await RaceEngineTests.eligible(arena, score: 0.8)

        // The audit write fails after the closing's statements ran: nothing of the closing may remain.
        await #expect(throws: AuditWriteFailed.self) {
            _ = try await engine.closeQualifyingNow(now: arena.clock.nowMillis()) { db, race in
                #expect(race.status == .raceRunning)
                throw AuditWriteFailed()
            }
        }
        let unchanged = try await RaceEngineTests.race(arena, raceID)
        #expect(unchanged.status == .qualifyingOpen)
        #expect(unchanged.qualifyingClosesAt == before.qualifyingClosesAt)
        let leftovers = try await arena.services.database.read { db in
            (try await db.scalarInt("SELECT COUNT(*) FROM race_qualifiers WHERE race_id = ?", [.text(raceID)]) ?? -1,
             try await db.scalarInt("SELECT COUNT(*) FROM work_items WHERE race_id = ?", [.text(raceID)]) ?? -1,
             try await db.scalarInt("SELECT COUNT(*) FROM race_problems WHERE race_id = ?", [.text(raceID)]) ?? -1)
        }
        #expect(leftovers == (0, 0, 0))
        #expect(try await Self.auditCount(arena) == 0)

        // With a working audit writer the closing and its event both commit.
        let now = arena.clock.nowMillis()
        let closed = try #require(try await engine.closeQualifyingNow(now: now) { db, race in
            try await AuditLog.record(in: db, eventID: UUID().uuidString.lowercased(), action: "race.close_qualifying", targetType: "race",
                                      targetID: race.raceID, actorHotkey: "admin", reason: nil, details: nil, now: now)
        })
        #expect(closed.race.status == .raceRunning && closed.previousClosesAt == before.qualifyingClosesAt)
        let qualifiers = try await arena.services.database.read { db in try await RaceRepository.qualifiers(of: raceID, in: db) }
        #expect(qualifiers.map(\.agentVersionID) == [challenger])
        #expect(try await Self.auditCount(arena) == 1)
        await arena.services.database.close()
    }

    @Test(arguments: StoreKind.allCases)
    func theCloseQualifyingRouteWritesItsAuditEvent(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena, problems: 3, hiddenProblems: 8)
        let engine = RaceEngine(database: arena.services.database)
        let raceID = try #require(try await engine.tick(now: arena.clock.nowMillis()).first)
        let admin = try await arena.hotkey(.admin)
        let clock = arena.clock
        let database = arena.services.database
        try await arena.test { client in
            let response = try await client.signed(.post, "/v1/admin/races/close-qualifying", by: admin, clock)
            #expect(response.status == .ok)
            // Nobody qualified: the race is cancelled, and the event records that outcome with the admin as actor.
            #expect(response.field("status") == "CANCELLED")
            let page = try await AuditLog.list(database, filter: AuditEventFilter(action: "race.close_qualifying"), limit: 10, offset: 0)
            #expect(page.total == 1)
            #expect(page.events.first?.targetID == raceID && page.events.first?.actorHotkey == admin.address)
            #expect(page.events.first?.details == "{\"status\":\"CANCELLED\"}")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func activatingASuiteRollsBackWhenItsAuditEventFails(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena, id: 1, active: true)
        try await Fixtures.suite(arena, id: 2, active: false)
        let suites = SuiteRepository(database: arena.services.database)
        let now = arena.clock.nowMillis()
        await #expect(throws: AuditWriteFailed.self) {
            _ = try await suites.activate(2, requeueTopN: 5, requiredSuccesses: 1, now: now, makeID: { UUID().uuidString },
                                          audit: { _, activation in
                                              #expect(activation.suite.isActive && activation.previousSuiteID == 1)
                                              throw AuditWriteFailed()
                                          })
        }
        #expect(try await suites.active()?.suiteID == 1)
        let actor = AdminActor(hotkey: "admin", reason: "new problems", now: now)
        let activation = try await suites.activate(2, requeueTopN: 5, requiredSuccesses: 1, now: now, makeID: { UUID().uuidString },
                                                   audit: { db, activation in
                                                       try await AuditLog.record(in: db, eventID: UUID().uuidString, actor: actor,
                                                                                 action: "suite.activate", targetType: "suite",
                                                                                 targetID: String(activation.suite.suiteID), details: nil)
                                                   })
        #expect(activation?.suite.suiteID == 2)
        #expect(try await suites.active()?.suiteID == 2)
        let page = try await AuditLog.list(arena.services.database, filter: AuditEventFilter(action: "suite.activate"), limit: 5, offset: 0)
        #expect(page.total == 1 && page.events.first?.reason == "new problems")
        await arena.services.database.close()
    }
}
