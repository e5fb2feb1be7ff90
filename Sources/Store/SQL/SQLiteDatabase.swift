import Foundation
import GRDB

/// The embedded default: a SQLite file in WAL mode through GRDB (or an in-memory database for tests).
///
/// Write transactions are serialised by an async lock and run as `BEGIN IMMEDIATE … COMMIT` on GRDB's writer
/// connection; reads on a file database use GRDB's reader pool and never wait for writers.
///
/// Every statement goes through GRDB's async accesses, so a statement waiting for SQLite (another process's
/// write lock, up to the 10 s busy timeout) waits on GRDB's own dispatch queue and never holds a thread of
/// Swift's cooperative pool. A statement is not cut short by the cancellation of the calling task (as with the
/// synchronous accesses before, and like a PostgresNIO query once its connection is leased; see
/// `Executor.uncancelled`), so `COMMIT` and `ROLLBACK` always run and a cancelled task never leaves the writer
/// connection inside a transaction.
public final class SQLiteDatabase: SQLDatabase {
    /// Always `.sqlite`.
    public let dialect = SQLDialect.sqlite
    private let writer: any DatabaseWriter
    private let writeLock = AsyncLock()
    private let readsShareWriter: Bool

    /// Opens (creating if needed) the SQLite file at `path` in WAL mode.
    public init(path: String) throws(StoreError) {
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            writer = try DatabasePool(path: path, configuration: Self.configuration())
        } catch {
            throw .connection("\(path): \(error)")
        }
        readsShareWriter = false
    }

    /// A private in-memory database (one connection; reads wait for writers).
    public init() throws(StoreError) {
        do {
            writer = try DatabaseQueue(configuration: Self.configuration())
        } catch {
            throw .connection("in-memory: \(error)")
        }
        readsShareWriter = true
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        // Transactions span several GRDB accesses (one per statement) under our own lock.
        config.allowsUnsafeTransactions = true
        // Another process (e.g. `shoparena admin` beside a running server) may hold the write lock briefly.
        config.busyMode = .timeout(10)
        // WAL with synchronous=NORMAL: a commit is durable once in the WAL (a crash of the process, or of this
        // server, loses nothing); only a power loss can drop the last commits. FULL would fsync every commit and
        // cap the single writer at the disk's fsync rate (measured: ~880 req/s on `bench backend`).
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return config
    }

    /// Runs `body` as `BEGIN IMMEDIATE … COMMIT` on the writer connection under the write lock (rolled back when it throws).
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        let executor = Executor(writer: writer, useWriter: true)
        return try await writeLock.withLock {
            try await executor.execute("BEGIN IMMEDIATE")
            do {
                let value = try await body(executor)
                try await executor.execute("COMMIT")
                return value
            } catch {
                try? await executor.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` on a reader connection of the pool (the writer, under the lock, for an in-memory database).
    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        if readsShareWriter {
            let executor = Executor(writer: writer, useWriter: true)
            return try await writeLock.withLock { try await body(executor) }
        }
        return try await body(Executor(writer: writer, useWriter: false))
    }

    /// Closes the pool or queue.
    public func close() async {
        if let pool = writer as? DatabasePool { try? pool.close() }
        if let queue = writer as? DatabaseQueue { try? queue.close() }
    }

    /// Runs each statement through GRDB's async access on the writer connection (inside a transaction) or a
    /// reader connection.
    private struct Executor: SQLExecutor {
        let writer: any DatabaseWriter
        let useWriter: Bool
        var dialect: SQLDialect { .sqlite }

        func query(_ sql: String, _ binds: [SQLValue]) async throws(StoreError) -> [SQLRow] {
            do {
                let run = { @Sendable (db: Database) throws -> [SQLRow] in
                    let statement = try db.cachedStatement(sql: sql)
                    let arguments = StatementArguments(binds.map(\.databaseValue))
                    return try Row.fetchAll(statement, arguments: arguments).map(SQLRow.init(grdb:))
                }
                let writer = writer
                if useWriter {
                    return try await Self.uncancelled { try await writer.writeWithoutTransaction(run) }
                }
                return try await Self.uncancelled { try await writer.read(run) }
            } catch let error as DatabaseError {
                if error.resultCode == .SQLITE_CONSTRAINT,
                    error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                        || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
                {
                    throw .uniqueViolation(constraint: error.message ?? "unique")
                }
                throw .database(message: error.message ?? "\(error)", sql: StoreError.summary(of: sql))
            } catch {
                throw .database(message: "\(error)", sql: StoreError.summary(of: sql))
            }
        }

        /// Runs `access` in a task of its own, which does not inherit the caller's cancellation. GRDB's async
        /// accesses throw `CancellationError` (and interrupt SQLite) in a cancelled task; here that would turn a
        /// cancelled task's `COMMIT` or `ROLLBACK` into an error and leave the writer connection inside an open
        /// transaction, wedging every later `BEGIN IMMEDIATE`. The caller still waits without holding a thread.
        private static func uncancelled<T: Sendable>(
            _ access: @escaping @Sendable () async throws -> T
        ) async throws -> T {
            try await Task { try await access() }.value
        }
    }
}

extension SQLValue {
    fileprivate var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .int(let v): return v.databaseValue
        case .double(let v): return v.databaseValue
        case .text(let v): return v.databaseValue
        case .blob(let v): return Data(v).databaseValue
        }
    }
}

extension SQLRow {
    fileprivate init(grdb row: Row) {
        var values: [SQLValue] = []
        values.reserveCapacity(row.count)
        for value in row.databaseValues {
            switch value.storage {
            case .null: values.append(.null)
            case .int64(let v): values.append(.int(v))
            case .double(let v): values.append(.double(v))
            case .string(let v): values.append(.text(v))
            case .blob(let data): values.append(.blob([UInt8](data)))
            }
        }
        self.init(columns: row.columnNames.map { $0.lowercased() }, values: values)
    }
}
