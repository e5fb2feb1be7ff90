/// The two SQL dialects the store speaks. Queries are written once with `?` placeholders; the few places where
/// the dialects differ (row locks, advisory locks) ask the dialect for their fragment.
public enum SQLDialect: String, Sendable {
    /// SQLite through GRDB (`SQLiteDatabase`).
    case sqlite
    /// PostgreSQL through PostgresNIO (`PostgresDatabase`).
    case postgres

    /// `FOR UPDATE SKIP LOCKED` on PostgreSQL (concurrent claimers skip each other's rows); nothing on SQLite,
    /// whose write transactions are already serialised (`BEGIN IMMEDIATE`).
    public var skipLocked: String { self == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }

    /// `FOR UPDATE` on PostgreSQL; nothing on SQLite.
    public var forUpdate: String { self == .postgres ? " FOR UPDATE" : "" }

    /// ` COLLATE "C"` on PostgreSQL, nothing on SQLite (whose default is already bytewise): text ordered and compared
    /// by its UTF-8 bytes in both, so an ordered read gives the same sequence on either store.
    public var bytewise: String { self == .postgres ? " COLLATE \"C\"" : "" }
}

/// Runs statements: a connection inside a transaction, or a plain read connection.
///
/// Statements use `?` placeholders in both dialects (the PostgreSQL driver rewrites them to `$n`), so a
/// literal `?` must never appear inside SQL text — pass it as a bind instead.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement and returns its rows (empty for statements without a result).
    func query(_ sql: String, _ binds: [SQLValue]) async throws(StoreError) -> [SQLRow]
}

extension SQLExecutor {
    /// Runs a statement whose rows (if any) are not needed.
    public func execute(_ sql: String, _ binds: [SQLValue] = []) async throws(StoreError) {
        _ = try await query(sql, binds)
    }

    /// The first row, or nil.
    public func first(_ sql: String, _ binds: [SQLValue] = []) async throws(StoreError) -> SQLRow? {
        try await query(sql, binds).first
    }

    /// The integer in the first column of the first row (e.g. `SELECT COUNT(*)`), or nil.
    public func scalarInt(_ sql: String, _ binds: [SQLValue] = []) async throws(StoreError) -> Int64? {
        guard let row = try await query(sql, binds).first, let column = row.columns.first else { return nil }
        return row.optionalInt(column)
    }
}

/// A database the store runs on: SQLite through GRDB (`SQLiteDatabase`) or PostgreSQL through PostgresNIO
/// (`PostgresDatabase`). Repositories take one of these and never know which.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }

    /// Runs `body` in one read-write transaction, committed when `body` returns and rolled back when it throws.
    ///
    /// On SQLite transactions are serialised (one writer); keep `body` to database work — no network calls.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T

    /// Runs read-only statements outside an explicit transaction (each statement sees committed data).
    func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T

    /// Closes connections; the database must not be used afterwards.
    func close() async
}
