/// Dashboard logins: one-shot challenges and Bearer sessions (stored by the SHA-256 of the token, so a
/// database dump does not leak live sessions).
public struct SessionRepository: Sendable {
    /// The database holding challenges and sessions.
    public let database: any SQLDatabase

    /// Sessions in `database`.
    public init(database: any SQLDatabase) { self.database = database }

    /// Stores a one-shot login challenge for `hotkey` until `expiresAt` (and drops expired ones).
    public func storeChallenge(_ challenge: String, hotkey: String, expiresAt: Int64, now: Int64) async throws {
        try await database.transaction { db in
            try await db.execute("DELETE FROM auth_challenges WHERE expires_at < ?", [.int(now)])
            try await db.execute("INSERT INTO auth_challenges (challenge, hotkey, expires_at) VALUES (?, ?, ?)",
                                 [.text(challenge), .text(hotkey), .int(expiresAt)])
        }
    }

    /// Removes the challenge and says whether it was live and issued to `hotkey` (a challenge works once).
    public func consumeChallenge(_ challenge: String, hotkey: String, now: Int64) async throws -> Bool {
        try await database.transaction { db in
            let row = try await db.first("SELECT hotkey, expires_at FROM auth_challenges WHERE challenge = ?", [.text(challenge)])
            try await db.execute("DELETE FROM auth_challenges WHERE challenge = ?", [.text(challenge)])
            guard let row else { return false }
            return try row.string("hotkey") == hotkey && row.int("expires_at") >= now
        }
    }

    /// Stores a session under the SHA-256 of `token` until `expiresAt` (and drops expired ones).
    public func createSession(token: String, hotkey: String, role: Role, expiresAt: Int64, now: Int64) async throws {
        try await database.transaction { db in
            try await db.execute("DELETE FROM auth_sessions WHERE expires_at < ?", [.int(now)])
            try await db.execute("INSERT INTO auth_sessions (token_hash, hotkey, role, expires_at) VALUES (?, ?, ?, ?)",
                                 [.text(SHA256Hex.digest(Array(token.utf8))), .text(hotkey), .text(role.rawValue), .int(expiresAt)])
        }
    }

    /// The hotkey of a live session, or nil.
    public func sessionHotkey(token: String, now: Int64) async throws -> String? {
        try await database.read { db in
            let row = try await db.first("SELECT hotkey, expires_at FROM auth_sessions WHERE token_hash = ?",
                                         [.text(SHA256Hex.digest(Array(token.utf8)))])
            guard let row, try row.int("expires_at") >= now else { return nil }
            return try row.string("hotkey")
        }
    }

    /// Ends a session; false when there was none.
    public func deleteSession(token: String) async throws -> Bool {
        try await database.transaction { db in
            let hash = SHA256Hex.digest(Array(token.utf8))
            let found = try await db.scalarInt("SELECT COUNT(*) FROM auth_sessions WHERE token_hash = ?", [.text(hash)]) ?? 0
            try await db.execute("DELETE FROM auth_sessions WHERE token_hash = ?", [.text(hash)])
            return found > 0
        }
    }
}
