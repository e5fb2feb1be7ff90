import Synchronization

/// Singleton work across backend replicas: the lease reaper's pass, the race scheduler's tick and the corpus
/// sweep must not run on two replicas at once (two replicas opening the day's race at the same moment would
/// open two). Each pass runs through `runIfFree`, and a replica that finds the job busy skips its pass.
///
/// On PostgreSQL the pass holds `pg_try_advisory_xact_lock(job)` in a transaction of its own for as long as it
/// runs, so the lock is released on commit, on rollback and when a replica dies with its connection — it can
/// never be left behind. SQLite is a single node: there the guard is in-process (per database object), which
/// keeps two services of one process from overlapping and costs nothing else.
public struct ClusterLock: Sendable {
    /// The jobs that run on one replica at a time; the raw value is the PostgreSQL advisory lock key (next to
    /// the migrator's 7265726).
    public enum Job: Int64, Sendable, CaseIterable {
        /// The lease reaper's pass (`LeaseReaper`).
        case leaseReaper = 7_265_727
        /// The race scheduler's tick (opening, closing and completing races).
        case raceScheduler = 7_265_728
        /// The corpus ingest sweep over completed runs.
        case corpusSweep = 7_265_729
    }

    /// The database whose replicas share the lock.
    public let database: any SQLDatabase
    /// The job this lock guards.
    public let job: Job

    /// A guard for `job` over `database`.
    public init(database: any SQLDatabase, job: Job) {
        self.database = database
        self.job = job
    }

    /// Runs `body` and returns its value when no other replica is running this job; returns nil without
    /// running it when one is. `body` uses the database as usual (its own transactions, other connections).
    public func runIfFree<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T? {
        switch database.dialect {
        case .postgres:
            let key = job.rawValue
            return try await database.transaction { db -> T? in
                let row = try await db.first("SELECT pg_try_advisory_xact_lock(?) AS acquired", [.int(key)])
                guard row?.optionalInt("acquired") == 1 else { return nil }
                return try await body()
            }
        case .sqlite:
            let key = LocalJobs.Key(database: ObjectIdentifier(database as AnyObject), job: job)
            guard LocalJobs.shared.acquire(key) else { return nil }
            do {
                let value = try await body()
                LocalJobs.shared.release(key)
                return value
            } catch {
                LocalJobs.shared.release(key)
                throw error
            }
        }
    }
}

/// The jobs running in this process, per SQLite database object (`ClusterLock` on SQLite).
final class LocalJobs: Sendable {
    struct Key: Hashable, Sendable {
        let database: ObjectIdentifier
        let job: ClusterLock.Job
    }

    static let shared = LocalJobs()
    private let running = Mutex<Set<Key>>([])

    func acquire(_ key: Key) -> Bool { running.withLock { $0.insert(key).inserted } }
    func release(_ key: Key) { _ = running.withLock { $0.remove(key) } }
}
