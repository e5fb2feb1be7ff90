import Foundation
import Store

/// The two stores every store and backend test runs against.
public enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }
}

/// Fresh, migrated databases for tests: a SQLite file in a temporary folder (WAL, as in production) or a new
/// database on the test PostgreSQL server.
public enum TestDatabases {
    /// A fresh database of `kind`, migrated by `migrator` (every migration by default; a test of a migration passes
    /// the ones before it).
    public static func make(_ kind: StoreKind, now: Int64 = 1_790_000_000_000,
                            migrator: Migrator = Migrator()) async throws -> any SQLDatabase {
        let database: any SQLDatabase
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-store-\(UUID().uuidString)")
            database = try SQLiteDatabase(path: folder.appendingPathComponent("arena.sqlite").path)
        case .postgres:
            database = try PostgresDatabase(url: try await PostgresTestServer.shared.freshDatabaseURL(), maxConnections: 30)
        }
        try await migrator.migrate(database, now: now)
        return database
    }

    /// A blob store in a fresh temporary folder.
    public static func blobs() throws -> FileBlobStore {
        try FileBlobStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-blobs-\(UUID().uuidString)"))
    }
}
