import Foundation

/// Blobs as rows of the `blobs` table (migration 8, PostgreSQL only): the blob store of a deployment with
/// several backend replicas over one PostgreSQL, so agent code stored by one replica is downloadable through
/// any other, and so are the logs a validator uploaded through any of them.
///
/// Bytes are bound and read as `SQLValue.blob` (PostgreSQL's binary `BYTEA` format, no text encoding on the
/// way). Like the file store, a read re-hashes the bytes and refuses a row whose content no longer matches its
/// address.
public struct PostgresBlobStore: BlobStore {
    /// The PostgreSQL database holding the `blobs` table.
    public let database: any SQLDatabase
    let clock: any ArenaClock

    /// Refuses a database that is not PostgreSQL: SQLite has no `blobs` table (use `FileBlobStore`).
    public init(database: any SQLDatabase, clock: any ArenaClock = SystemClock()) throws(StoreError) {
        guard database.dialect == .postgres else {
            throw .blob("the database blob store needs PostgreSQL; on SQLite keep blobs in files (FileBlobStore)")
        }
        self.database = database
        self.clock = clock
    }

    /// Inserts `bytes` under their SHA-256 (a present row is kept) and returns the address.
    @discardableResult
    public func put(_ bytes: [UInt8]) async throws(StoreError) -> String {
        let sha = SHA256Hex.digest(bytes)
        let now = clock.nowMillis()
        do {
            try await database.transaction { db in
                // Two replicas storing the same bytes at once: the second insert is a no-op, not a failure.
                try await db.execute(
                    "INSERT INTO blobs (sha256, content, size, stored_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (sha256) DO NOTHING",
                    [.text(sha), .blob(bytes), .int(Int64(bytes.count)), .int(now)])
            }
        } catch {
            throw .blob("cannot store blob \(sha) in PostgreSQL: \(error)")
        }
        return sha
    }

    /// The bytes under `sha256` after checking their hash; nil when absent (or not a well-formed address).
    public func get(_ sha256: String) async throws(StoreError) -> [UInt8]? {
        guard SHA256Hex.isValid(sha256) else { return nil }
        let stored: [UInt8]?
        do {
            stored = try await database.read { db in
                try await db.first("SELECT content FROM blobs WHERE sha256 = ?", [.text(sha256)])?.bytes("content")
            }
        } catch {
            throw .blob("cannot read blob \(sha256) from PostgreSQL: \(error)")
        }
        guard let bytes = stored else { return nil }
        guard SHA256Hex.digest(bytes) == sha256 else {
            throw .blob("blob \(sha256) is corrupt in the database (its content no longer matches its address)")
        }
        return bytes
    }
}

/// The blob store that goes with a database: rows in PostgreSQL (shared by every replica over it), files under
/// `fileRoot` for SQLite (a single node).
public enum BlobStores {
    /// `PostgresBlobStore` on PostgreSQL, `FileBlobStore` under `fileRoot` on SQLite.
    public static func matching(_ database: any SQLDatabase, fileRoot: URL) throws(StoreError) -> any BlobStore {
        if database.dialect == .postgres { return try PostgresBlobStore(database: database) }
        return try FileBlobStore(root: fileRoot)
    }
}
