import Foundation
import Store
import ShopArenaTesting
import Testing

/// The blob store of a multi-replica deployment: blobs as rows of PostgreSQL's `blobs` table (migration 8),
/// shared by every replica over the database; SQLite records migration 8 and keeps blobs in files.
@Suite("PostgreSQL blob store", .serialized)
struct PostgresBlobStoreTests {
    @Test func roundTripsEveryByteValueAndIsIdempotentAcrossReplicas() async throws {
        let url = try await PostgresTestServer.shared.freshDatabaseURL()
        let first = try PostgresDatabase(url: url, maxConnections: 4)
        let second = try PostgresDatabase(url: url, maxConnections: 4)
        defer { Task { await first.close(); await second.close() } }
        try await Migrator().migrate(first, now: 1)
        let a = try PostgresBlobStore(database: first)
        let b = try PostgresBlobStore(database: second)

        // Every byte value (most of them not valid UTF-8) in a 300 kB blob, and an empty blob.
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let sha = try await a.put(bytes)
        #expect(sha == SHA256Hex.digest(bytes))
        #expect(try await b.get(sha) == bytes)
        #expect(try await b.put(bytes) == sha)
        let empty = try await b.put([])
        #expect(try await a.get(empty) == [])
        let rows = try await first.read { db in try await db.scalarInt("SELECT COUNT(*) FROM blobs") }
        #expect(rows == 2)
        let size = try await first.read { db in
            try await db.scalarInt("SELECT size FROM blobs WHERE sha256 = ?", [.text(sha)])
        }
        #expect(size == Int64(bytes.count))

        #expect(try await a.get(String(repeating: "0", count: 64)) == nil)
        #expect(try await a.get("../etc/passwd") == nil)
    }

    @Test func concurrentPutsOfTheSameBytesStoreOneRow() async throws {
        let db = try await TestDatabases.make(.postgres)
        defer { Task { await db.close() } }
        let blobs = try PostgresBlobStore(database: db)
        let code = Array("def agent_main(problem):\n    return []\n".utf8)
        let shas = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await blobs.put(code) } }
            var out: [String] = []
            for try await sha in group { out.append(sha) }
            return out
        }
        #expect(Set(shas) == [SHA256Hex.digest(code)])
        #expect(try await db.read { db in try await db.scalarInt("SELECT COUNT(*) FROM blobs") } == 1)
    }

    @Test func refusesARowWhoseContentNoLongerMatchesItsAddress() async throws {
        let db = try await TestDatabases.make(.postgres)
        defer { Task { await db.close() } }
        let blobs = try PostgresBlobStore(database: db)
        let sha = try await blobs.put(Array("original".utf8))
        try await db.transaction { db in
            try await db.execute("UPDATE blobs SET content = decode('74616d7065726564', 'hex') WHERE sha256 = ?", [.text(sha)])
        }
        await #expect(throws: StoreError.self) { try await blobs.get(sha) }
    }

    @Test func theBlobStoreFollowsTheDatabase() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-blobs-\(UUID().uuidString)")
        let postgres = try await TestDatabases.make(.postgres)
        let sqlite = try await TestDatabases.make(.sqlite)
        defer { Task { await postgres.close(); await sqlite.close() } }
        #expect(try BlobStores.matching(postgres, fileRoot: folder) is PostgresBlobStore)
        #expect(try BlobStores.matching(sqlite, fileRoot: folder) is FileBlobStore)
        #expect(throws: StoreError.self) { try PostgresBlobStore(database: sqlite) }
        // SQLite records migration 8 without creating the PostgreSQL-only table.
        let version = try await sqlite.read { db in try await db.scalarInt("SELECT MAX(version) FROM schema_migrations") }
        #expect(version == Int64(ArenaMigrations.all.map(\.version).max() ?? 0))
        let tables = try await sqlite.read { db in
            try await db.scalarInt("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'blobs'")
        }
        #expect(tables == 0)
    }
}
