import ArenaModel
import Backend
import Foundation
import Logging
import Store
import ShopArenaTesting
import TestSupport
import Synchronization
import Testing

/// The lease reaper and the race scheduler are singleton work: with several replicas over one database, a
/// replica's pass is skipped while another replica's pass of the same job holds the cluster lock, and
/// concurrent ticks advance the races exactly once.
@Suite("Singleton services", .serialized)
struct SingletonServicesTests {
    @Test(arguments: StoreKind.allCases)
    func theReaperSkipsItsPassWhileAnotherReplicaReaps(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.leaseSeconds = 60 }
        defer { Task { await arena.services.database.close() } }
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        try await Fixtures.suite(arena)
        try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
        let run = try #require(try await arena.services.workQueue.claim(
            validator: validator.address, serviceVersions: nil, now: arena.clock.nowMillis()))
        arena.clock.advance(seconds: 61)
        let reaper = LeaseReaper(services: arena.services)
        let now = arena.clock.nowMillis()

        // Another replica is in the middle of its reaper pass: this replica's tick does nothing.
        let skipped = try await ClusterLock(database: arena.services.database, job: .leaseReaper).runIfFree {
            try await reaper.reapIfFree(now: now)
        }
        #expect(skipped == .some(nil))
        #expect(reaper.skippedPasses == 1)
        #expect(try await Self.status(arena, run.evalRunID) == "CLAIMED")
        // Its pass over, this replica's next tick reaps the lapsed run.
        #expect(try await reaper.reapIfFree(now: now) == 1)
        #expect(try await Self.status(arena, run.evalRunID) == "STALE")
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentRaceTicksOnTwoReplicasOpenOneRace(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        defer { Task { await arena.services.database.close() } }
        try await Fixtures.suite(arena)
        let engine = RaceEngine(database: arena.services.database, settings: .init(backend: arena.services.settings))
        let replicas = (0..<2).map { _ in RaceScheduler(engine: engine, clock: arena.clock, logger: Logger(label: "test")) }
        let now = arena.clock.nowMillis()

        // While a tick holds the lock, another replica's tick is skipped and opens nothing.
        let held = try await ClusterLock(database: arena.services.database, job: .raceScheduler).runIfFree {
            try await replicas[1].tickIfFree(now: now)
        }
        #expect(held == .some(nil))
        #expect(try await Self.raceCount(arena) == 0)

        // Eight ticks at once across the two replicas: exactly one opens the day's race.
        let results = try await withThrowingTaskGroup(of: [String]?.self) { group in
            for index in 0..<8 { group.addTask { try await replicas[index % 2].tickIfFree(now: now) } }
            var out: [[String]?] = []
            for try await result in group { out.append(result) }
            return out
        }
        #expect(results.compactMap { $0 }.filter { !$0.isEmpty }.count == 1)
        #expect(try await Self.raceCount(arena) == 1)
    }

    static func status(_ arena: TestArena, _ runID: String) async throws -> String? {
        try await arena.services.database.read { db in
            try await db.first("SELECT status FROM evaluation_runs WHERE eval_run_id = ?", [.text(runID)])?.string("status")
        }
    }

    static func raceCount(_ arena: TestArena) async throws -> Int64? {
        try await arena.services.database.read { db in try await db.scalarInt("SELECT COUNT(*) FROM races") }
    }
}
