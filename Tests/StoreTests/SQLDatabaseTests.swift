import Foundation
import Store
import ShopArenaTesting
import Testing

/// The driver contract, run against both SQLite and PostgreSQL: types round-trip, transactions commit and
/// roll back, unique violations are recognised, placeholders are rewritten, migrations are idempotent.
@Suite("SQL drivers")
struct SQLDatabaseTests {
    @Test(arguments: StoreKind.allCases)
    func valuesRoundTrip(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        try await db.transaction { tx in
            try await tx.execute("CREATE TABLE t (i BIGINT, d DOUBLE PRECISION, s TEXT)")
            try await tx.execute("INSERT INTO t (i, d, s) VALUES (?, ?, ?)", [.int(-9_000_000_000_123), .double(0.615), .text("héllo ? 'x'")])
            try await tx.execute("INSERT INTO t (i, d, s) VALUES (?, ?, ?)", [.null, .null, .null])
        }
        let rows = try await db.read { try await $0.query("SELECT i, d, s FROM t ORDER BY i", []) }
        #expect(rows.count == 2)
        let full = rows.first { !$0["i"].isNull }!
        #expect(try full.int("i") == -9_000_000_000_123)
        #expect(try full.double("d") == 0.615)
        #expect(try full.string("s") == "héllo ? 'x'")
        let empty = rows.first { $0["i"].isNull }!
        #expect(empty.optionalInt("i") == nil && empty.optionalDouble("d") == nil && empty.optionalString("s") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func bytesRoundTripExactlyAndTextStaysText(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        // Not valid UTF-8 (a lone continuation byte, a truncated sequence, 0xFF), then every byte value.
        let bytes: [UInt8] = [0x00, 0x80, 0xC3, 0x28, 0xFF, 0xFE] + (0...255).map { UInt8($0) }
        try await db.transaction { tx in
            let blobType = tx.dialect == .postgres ? "BYTEA" : "BLOB"
            try await tx.execute("CREATE TABLE b (k TEXT PRIMARY KEY, v \(blobType), s TEXT)")
            try await tx.execute("INSERT INTO b (k, v, s) VALUES (?, ?, ?)", ["full", .blob(bytes), "héllo"])
            try await tx.execute("INSERT INTO b (k, v, s) VALUES (?, ?, ?)", ["empty", .blob([]), nil])
            try await tx.execute("INSERT INTO b (k, v, s) VALUES (?, ?, ?)", ["null", nil, nil])
        }
        let rows = try await db.read { try await $0.query("SELECT k, v, s FROM b", []) }
        let byKey = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.string("k"), $0) })
        let full = try #require(byKey["full"])
        #expect(full["v"] == .blob(bytes))
        #expect(try full.bytes("v") == bytes)
        #expect(full["s"] == .text("héllo"))
        // Bytes are not taken for text, nor text for bytes.
        #expect(full.optionalString("v") == nil)
        #expect(full.optionalBytes("s") == nil)
        #expect(throws: StoreError.self) { try full.string("v") }
        #expect(throws: StoreError.self) { try full.bytes("s") }
        #expect(try #require(byKey["empty"]).bytes("v") == [])
        #expect(try #require(byKey["null"]).optionalBytes("v") == nil)
        // Bytes also work as a bind in a WHERE clause.
        let found = try await db.read { try await $0.scalarInt("SELECT COUNT(*) FROM b WHERE v = ?", [.blob(bytes)]) }
        #expect(found == 1)
    }

    /// A transaction in a cancelled task either runs whole or not at all — never half, never leaving the connection
    /// inside an open transaction (the next transaction begins normally). SQLite runs it (its statements are not
    /// interrupted by cancellation); PostgreSQL's pool refuses to lease a connection to a cancelled task.
    @Test(arguments: StoreKind.allCases)
    func cancelledTaskNeitherHalvesNorWedgesATransaction(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        try await db.transaction { try await $0.execute("CREATE TABLE x (k TEXT PRIMARY KEY)") }
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            #expect(Task.isCancelled)
            try await db.transaction { tx in
                try await tx.execute("INSERT INTO x (k) VALUES (?)", ["first"])
                try await tx.execute("INSERT INTO x (k) VALUES (?)", ["second"])
            }
        }
        let committed = (try? await cancelled.value) != nil
        if kind == .sqlite { #expect(committed, "SQLite statements are not cut short by cancellation") }
        try await db.transaction { try await $0.execute("INSERT INTO x (k) VALUES (?)", ["after"]) }
        #expect(try await db.read { try await $0.scalarInt("SELECT COUNT(*) FROM x") } == (committed ? 3 : 1))
    }

    /// A task cancelled in the middle of its transaction (once the connection is its own) still runs the rest and
    /// commits on both drivers; on SQLite a cancelled `COMMIT` or `ROLLBACK` would leave the writer connection inside
    /// the transaction and refuse every later `BEGIN`.
    @Test(arguments: StoreKind.allCases)
    func taskCancelledMidTransactionStillCommits(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        try await db.transaction { try await $0.execute("CREATE TABLE m (k TEXT PRIMARY KEY)") }
        let cancelled = Task {
            try await db.transaction { tx in
                try await tx.execute("INSERT INTO m (k) VALUES (?)", ["first"])
                withUnsafeCurrentTask { $0?.cancel() }
                try await tx.execute("INSERT INTO m (k) VALUES (?)", ["second"])
            }
        }
        try await cancelled.value
        try await db.transaction { try await $0.execute("INSERT INTO m (k) VALUES (?)", ["after"]) }
        #expect(try await db.read { try await $0.scalarInt("SELECT COUNT(*) FROM m") } == 3)
    }

    @Test(arguments: StoreKind.allCases)
    func failedTransactionRollsBack(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        try await db.transaction { try await $0.execute("CREATE TABLE r (k TEXT PRIMARY KEY)") }
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await db.transaction { tx in
                try await tx.execute("INSERT INTO r (k) VALUES (?)", ["a"])
                throw Boom()
            }
        }
        #expect(try await db.read { try await $0.scalarInt("SELECT COUNT(*) FROM r") } == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func uniqueViolationIsRecognised(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        try await db.transaction { try await $0.execute("CREATE TABLE u (k TEXT PRIMARY KEY)") }
        try await db.transaction { try await $0.execute("INSERT INTO u (k) VALUES (?)", ["x"]) }
        do {
            try await db.transaction { try await $0.execute("INSERT INTO u (k) VALUES (?)", ["x"]) }
            Issue.record("a duplicate key was accepted")
        } catch let error as StoreError {
            guard case .uniqueViolation = error else { Issue.record("wrong error: \(error)"); return }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentTransactionsDoNotLoseUpdates(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        try await db.transaction { tx in
            try await tx.execute("CREATE TABLE c (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)")
            try await tx.execute("INSERT INTO c (id, n) VALUES (1, 0)")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await db.transaction { tx in
                        let n = try await tx.scalarInt("SELECT n FROM c WHERE id = 1" + tx.dialect.forUpdate) ?? 0
                        try await tx.execute("UPDATE c SET n = ? WHERE id = 1", [.int(n + 1)])
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await db.read { try await $0.scalarInt("SELECT n FROM c WHERE id = 1") } == 40)
    }

    @Test(arguments: StoreKind.allCases)
    func migrationsAreIdempotent(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let again = try await Migrator().migrate(db, now: 1)
        #expect(again.isEmpty)
        let newer = Migrator(migrations: [])
        // A binary that knows fewer migrations than the database refuses to run on it.
        await #expect(throws: StoreError.self) { try await newer.migrate(db, now: 1) }
    }

    @Test func placeholdersSkipQuotedText() {
        #expect(PostgresPlaceholderProbe.rewrite("SELECT '?', \"a?\" FROM t WHERE a = ? AND b = ?")
            == "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = $2")
    }
}
