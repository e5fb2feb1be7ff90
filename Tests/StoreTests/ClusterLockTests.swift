import Foundation
import Synchronization
import Store
import ShopArenaTesting
import Testing

/// Singleton work across replicas: while one replica's pass of a job holds the cluster lock, another replica's
/// concurrent pass of the same job does not run; other jobs are not blocked, and the lock is free again after
/// the pass ends (normally or by throwing).
@Suite("Cluster lock", .serialized)
struct ClusterLockTests {
    /// Two "replicas": on PostgreSQL two connection pools over one database (what two `serve` processes have);
    /// on SQLite one database object (a single node).
    static func replicas(_ kind: StoreKind) async throws -> (any SQLDatabase, any SQLDatabase) {
        switch kind {
        case .sqlite:
            let db = try await TestDatabases.make(.sqlite)
            return (db, db)
        case .postgres:
            let url = try await PostgresTestServer.shared.freshDatabaseURL()
            let a = try PostgresDatabase(url: url, maxConnections: 4)
            try await Migrator().migrate(a, now: 1)
            return (a, try PostgresDatabase(url: url, maxConnections: 4))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func twoConcurrentTicksExactlyOneActs(kind: StoreKind) async throws {
        let (a, b) = try await Self.replicas(kind)
        defer { Task { await a.close(); await b.close() } }
        let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let acted = ActCounter()

        // Replica A's tick is inside its pass (it signalled) and stays there until released.
        let first = Task {
            try await ClusterLock(database: a, job: .raceScheduler).runIfFree { () -> String in
                acted.add("A")
                enteredSignal.yield()
                for await _ in release { break }
                return "A"
            }
        }
        for await _ in entered { break }
        // Replica B's tick of the same job at the same time: skipped, its body never runs.
        let second = try await ClusterLock(database: b, job: .raceScheduler).runIfFree { () -> String in
            acted.add("B")
            return "B"
        }
        #expect(second == nil)
        // A different job is not held up by it.
        #expect(try await ClusterLock(database: b, job: .leaseReaper).runIfFree { "reaper" } == "reaper")
        releaseSignal.yield()
        #expect(try await first.value == "A")
        #expect(acted.names == ["A"])
        // Once A's pass is over, B's next tick acts.
        #expect(try await ClusterLock(database: b, job: .raceScheduler).runIfFree { "B" } == "B")
    }

    @Test(arguments: StoreKind.allCases)
    func aPassThatThrowsReleasesTheLock(kind: StoreKind) async throws {
        let (a, b) = try await Self.replicas(kind)
        defer { Task { await a.close(); await b.close() } }
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await ClusterLock(database: a, job: .corpusSweep).runIfFree { () -> Int in throw Boom() }
        }
        #expect(try await ClusterLock(database: b, job: .corpusSweep).runIfFree { 1 } == 1)
    }

    @Test func aReplicaThatDiesMidPassReleasesTheLock() async throws {
        let (a, b) = try await Self.replicas(.postgres)
        defer { Task { await b.close() } }
        let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let stuck = Task {
            try await ClusterLock(database: a, job: .leaseReaper).runIfFree { () -> Int in
                enteredSignal.yield()
                for await _ in release { break }
                return 1
            }
        }
        for await _ in entered { break }
        #expect(try await ClusterLock(database: b, job: .leaseReaper).runIfFree { 2 } == nil)
        // Replica A's connection dies mid-pass (as when its process is killed): PostgreSQL drops the lock with it.
        let terminated = try await b.read { db in
            try await db.query("""
                SELECT pg_terminate_backend(pid, 30000) AS gone FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND objid::bigint = ?
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, [.int(ClusterLock.Job.leaseReaper.rawValue)])
        }
        #expect(terminated.count == 1 && terminated.first?.optionalInt("gone") == 1)
        #expect(try await ClusterLock(database: b, job: .leaseReaper).runIfFree { 2 } == 2)
        // A's pass is left hanging on its dead connection (PostgresNIO does not fail the COMMIT of a transaction
        // whose backend was terminated), so it is not awaited; closing A would wait for it too.
        releaseSignal.yield()
        stuck.cancel()
    }
}

/// Which replicas' bodies ran.
final class ActCounter: Sendable {
    private let state = Mutex<[String]>([])
    func add(_ name: String) { state.withLock { $0.append(name) } }
    var names: [String] { state.withLock { $0 } }
}
