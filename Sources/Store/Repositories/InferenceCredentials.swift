/// The single-token view of miners' inference credentials that oro-sdk 1.0.x uses: the Chutes refresh token
/// `oro submit` posts to `/v1/miner/chutes-auth`, and the one token a validator is handed.
///
/// Storage is `ProviderCredentials` (one sealed credential per provider): `store` keeps a `chutes` credential
/// without changing the miner's default provider, `status` reports that Chutes credential, and
/// `inferenceToken` is the credential of the miner's effective provider.
public struct InferenceCredentials: Sendable {
    /// The database holding the sealed credentials.
    public let database: any SQLDatabase
    /// Seals and opens the credentials.
    public let box: CredentialBox

    /// Credentials in `database`, sealed with `box`.
    public init(database: any SQLDatabase, box: CredentialBox) {
        self.database = database
        self.box = box
    }

    var providers: ProviderCredentials { ProviderCredentials(database: database, box: box) }

    /// Whether a credential is stored and when it was last set.
    public struct Status: Sendable, Equatable {
        /// Whether a Chutes credential is stored.
        public var connected: Bool
        /// When it was last set, epoch milliseconds.
        public var updatedAt: Int64?

        /// A status as stored.
        public init(connected: Bool, updatedAt: Int64?) {
            self.connected = connected
            self.updatedAt = updatedAt
        }
    }

    /// Seals and stores `token` as the miner's Chutes credential; false when the hotkey is not in the registry.
    @discardableResult
    public func store(_ token: String, forMiner hotkey: String, now: Int64) async throws -> Bool {
        do {
            try await providers.store(token, provider: .chutes, forMiner: hotkey, defaultChoice: .keep, now: now)
            return true
        } catch ProviderCredentialError.unknownMiner {
            return false
        }
    }

    /// Whether the miner has a Chutes credential (what `/v1/miner/chutes-auth/status` reports).
    public func status(forMiner hotkey: String) async throws -> Status {
        let listing = try await providers.listing(forMiner: hotkey)
        guard let chutes = listing.connections.first(where: { $0.provider == .chutes }) else {
            return Status(connected: false, updatedAt: nil)
        }
        return Status(connected: true, updatedAt: chutes.updatedAt)
    }

    /// The miner's decrypted token for its effective provider, or nil when none is stored or it no longer
    /// decrypts (the key changed): the validator claim then sends no token and the validator fails the run with
    /// a clear reason.
    public func inferenceToken(forMiner hotkey: String) async throws -> String? {
        try await providers.effective(forMiner: hotkey)?.token
    }

    /// As `inferenceToken(forMiner:)`, inside the caller's transaction.
    public func inferenceToken(forMiner hotkey: String, in db: any SQLExecutor) async throws -> String? {
        let listing = try await ProviderCredentials.listing(hotkey, in: db)
        guard let provider = ProviderCredentials.effectiveProvider(listing) else { return nil }
        return try await providers.token(hotkey, provider, in: db)
    }
}
