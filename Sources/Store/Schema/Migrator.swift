/// Applies `ArenaMigrations` that a database has not seen yet, each in its own transaction, and refuses a
/// database whose schema is newer than this binary.
///
/// On PostgreSQL a transaction-scoped advisory lock makes concurrent replicas migrate one at a time.
public struct Migrator: Sendable {
    /// The migrations this binary knows, oldest first.
    public let migrations: [ArenaMigrations.Migration]

    /// A migrator over `migrations` (tests pass fewer to play an older binary).
    public init(migrations: [ArenaMigrations.Migration] = ArenaMigrations.all) {
        self.migrations = migrations
    }

    /// The versions applied by this call (empty when the database was up to date).
    @discardableResult
    public func migrate(_ database: any SQLDatabase, now: Int64) async throws -> [Int] {
        try await database.transaction { db in
            try await db.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """)
        }
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try await database.transaction { db -> Bool in
                if db.dialect == .postgres {
                    try await db.execute("SELECT pg_advisory_xact_lock(7265726)")
                }
                let seen = try await db.scalarInt(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", [.int(Int64(migration.version))])
                if (seen ?? 0) > 0 { return false }
                if migration.dialects.contains(db.dialect) {
                    for statement in migration.statements { try await db.execute(statement) }
                }
                try await db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.int(Int64(migration.version)), .text(migration.name), .int(now)])
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        let newest = try await database.read { db in
            try await db.scalarInt("SELECT MAX(version) FROM schema_migrations")
        }
        if let newest, newest > Int64(migrations.map(\.version).max() ?? 0) {
            throw StoreError.migration(
                "the database has schema version \(newest) but this shoparena knows only up to "
                    + "\(migrations.map(\.version).max() ?? 0); upgrade shoparena")
        }
        return applied
    }
}
