/// Miners' inference credentials (the Chutes refresh token `oro submit` posts), stored encrypted on the
/// identity row and decrypted only to hand to the validator that evaluates the miner's agent.
public struct InferenceCredentials: Sendable {
    public let database: any SQLDatabase
    public let box: CredentialBox

    public init(database: any SQLDatabase, box: CredentialBox) {
        self.database = database
        self.box = box
    }

    /// Whether a credential is stored and when it was last set.
    public struct Status: Sendable, Equatable {
        public var connected: Bool
        public var updatedAt: Int64?

        public init(connected: Bool, updatedAt: Int64?) {
            self.connected = connected
            self.updatedAt = updatedAt
        }
    }

    /// Seals and stores `token` for `hotkey`; false when the hotkey is not in the registry.
    @discardableResult
    public func store(_ token: String, forMiner hotkey: String, now: Int64) async throws -> Bool {
        let sealed = box.seal(token)
        return try await database.transaction { db in
            guard try await db.first("SELECT hotkey FROM identities WHERE hotkey = ?", [.text(hotkey)]) != nil else {
                return false
            }
            try await db.execute("UPDATE identities SET inference_credential = ?, credential_updated_at = ? WHERE hotkey = ?",
                                 [.text(sealed), .int(now), .text(hotkey)])
            return true
        }
    }

    public func status(forMiner hotkey: String) async throws -> Status {
        try await database.read { db in
            guard let row = try await db.first(
                "SELECT inference_credential, credential_updated_at FROM identities WHERE hotkey = ?", [.text(hotkey)])
            else { return Status(connected: false, updatedAt: nil) }
            let connected = row.optionalString("inference_credential") != nil
            return Status(connected: connected, updatedAt: connected ? row.optionalInt("credential_updated_at") : nil)
        }
    }

    /// The miner's decrypted token, or nil when none is stored or it no longer decrypts (the key changed):
    /// the validator claim then sends no token and the validator fails the run with a clear reason.
    public func inferenceToken(forMiner hotkey: String) async throws -> String? {
        try await database.read { db in try await inferenceToken(forMiner: hotkey, in: db) }
    }

    /// As `inferenceToken(forMiner:)`, inside the caller's transaction (the validator claim).
    public func inferenceToken(forMiner hotkey: String, in db: any SQLExecutor) async throws -> String? {
        guard let sealed = try await db.first("SELECT inference_credential FROM identities WHERE hotkey = ?",
                                              [.text(hotkey)])?.optionalString("inference_credential")
        else { return nil }
        return try? box.open(sealed)
    }
}
