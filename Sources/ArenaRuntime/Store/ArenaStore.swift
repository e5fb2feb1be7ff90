import Foundation
import Store

/// Why the arena's store could not be opened; each message names what to fix.
public enum ArenaStoreError: Error, Sendable, CustomStringConvertible {
    case dataFolder(path: String, reason: String)
    case database(target: String, reason: String)
    case blobStore(path: String, reason: String)
    /// A read-only command (``ArenaStore/Opening/existing``) was pointed at a SQLite file that does not exist.
    case noDatabase(path: String)

    public var description: String {
        switch self {
        case .dataFolder(let path, let reason): "cannot create the data folder \(path): \(reason)"
        case .database(let target, let reason): "cannot open the database \(target): \(reason)"
        case .blobStore(let path, let reason): "cannot open the blob store in \(path): \(reason)"
        case .noDatabase(let path):
            "no arena database at \(path); pass the --data-dir of a running arena or --database URL"
        }
    }
}

/// The database and blob store of a running arena (`serve`, `admin`, the local arena, `bench backend`): SQLite in
/// the data folder unless a `postgres://` URL is given; migrations are applied on open; blobs are files under
/// `DATA-DIR/blobs` for SQLite and the `blobs` table for PostgreSQL (shared by every replica over one database).
public struct ArenaStore: Sendable {
    public let database: any SQLDatabase
    public let blobs: any BlobStore
    /// "PostgreSQL" or "SQLite PATH", for start-up lines.
    public let description: String

    /// Whether opening may create a missing SQLite database (and its data folder).
    public enum Opening: Sendable {
        /// Create the data folder and the database when missing (`serve`, `admin`, `corpus backfill`).
        case create
        /// Refuse a SQLite database file that does not exist (read-only commands: `corpus stats`, `corpus export`),
        /// so a wrong `--data-dir` is an error instead of an empty, freshly made arena.
        case existing
    }

    /// True for a `postgres://` or `postgresql://` URL.
    public static func isPostgres(_ target: String) -> Bool {
        target.hasPrefix("postgres://") || target.hasPrefix("postgresql://")
    }

    /// Opens (creating) `dataDir`, the database (`database`, else `DATA-DIR/arena.sqlite`) with migrations
    /// applied, and the blob store. `maxConnections` sizes a PostgreSQL pool (nil: the driver's default).
    /// With `opening` ``Opening/existing`` a SQLite database file that does not exist is refused
    /// (``ArenaStoreError/noDatabase(path:)``) and nothing is created.
    public static func open(database: String?, dataDir: String, maxConnections: Int? = nil, opening: Opening = .create)
        async throws(ArenaStoreError) -> ArenaStore
    {
        let folder = URL(fileURLWithPath: dataDir)
        let target = database ?? folder.appendingPathComponent("arena.sqlite").path
        if opening == .existing, !isPostgres(target), !FileManager.default.fileExists(atPath: target) {
            throw .noDatabase(path: target)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .dataFolder(path: dataDir, reason: error.localizedDescription)
        }
        let opened: any SQLDatabase
        do {
            if isPostgres(target) {
                opened = try maxConnections.map { try PostgresDatabase(url: target, maxConnections: $0) }
                    ?? PostgresDatabase(url: target)
            } else {
                opened = try SQLiteDatabase(path: target)
            }
            _ = try await Migrator().migrate(opened, now: SystemClock().nowMillis())
        } catch {
            throw .database(target: target, reason: "\(error)")
        }
        let blobs: any BlobStore
        do {
            blobs = try BlobStores.matching(opened, fileRoot: folder.appendingPathComponent("blobs"))
        } catch {
            await opened.close()
            throw .blobStore(path: dataDir, reason: "\(error)")
        }
        return ArenaStore(database: opened, blobs: blobs,
                          description: isPostgres(target) ? "PostgreSQL" : "SQLite \(target)")
    }
}
