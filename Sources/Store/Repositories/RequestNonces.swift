/// The replay record of signed requests, shared by every backend replica over the database.
///
/// `record` inserts `(hotkey, nonce)` unless a live row exists; the primary key makes the check-and-insert
/// atomic across connections and processes (two replicas racing on one nonce: exactly one insert succeeds).
/// Expired rows are replaced in place and purged in bulk now and then, so the table holds roughly the pairs
/// of the last two skew windows.
public struct RequestNonces: Sendable {
    /// The database holding `request_nonces`.
    public let database: any SQLDatabase
    /// One call in `purgeEvery` also deletes every expired row (amortised clean-up, no background task).
    public let purgeEvery: Int

    /// Nonces in `database`, purging expired rows about once every `purgeEvery` calls.
    public init(database: any SQLDatabase, purgeEvery: Int = 256) {
        self.database = database
        self.purgeEvery = max(1, purgeEvery)
    }

    /// Records the pair until `expiresAt` (epoch ms); false when the pair is already live at `now` (a replay).
    public func record(hotkey: String, nonce: String, expiresAt: Int64, now: Int64) async throws -> Bool {
        let purgeAll = Int.random(in: 0..<purgeEvery) == 0
        return try await database.transaction { db in
            if purgeAll {
                try await db.execute("DELETE FROM request_nonces WHERE expires_at <= ?", [.int(now)])
            } else {
                try await db.execute("DELETE FROM request_nonces WHERE hotkey = ? AND nonce = ? AND expires_at <= ?",
                                     [.text(hotkey), .text(nonce), .int(now)])
            }
            let inserted = try await db.query(
                "INSERT INTO request_nonces (hotkey, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT (hotkey, nonce) DO NOTHING RETURNING hotkey",
                [.text(hotkey), .text(nonce), .int(expiresAt)])
            return !inserted.isEmpty
        }
    }

    /// Rows held (live or not yet purged).
    public func count() async throws -> Int {
        Int(try await database.read { db in try await db.scalarInt("SELECT COUNT(*) FROM request_nonces") } ?? 0)
    }
}
