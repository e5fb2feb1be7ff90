/// An inference provider a miner can fund the evaluation of its agents with (oro-sdk 1.0.129+ `inference-auth`).
public enum InferenceProvider: String, Sendable, CaseIterable, Hashable {
    /// Chutes (the token `oro submit` / `/chutes-auth` stores).
    case chutes
    /// OpenRouter.
    case openrouter
}

/// Why a credential operation was refused.
public enum ProviderCredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `set-default` named a provider the miner has no credential for.
    case notConnected(InferenceProvider)
    /// The hotkey is not in the registry.
    case unknownMiner(String)

    /// The refusal in words the miner can act on.
    public var description: String {
        switch self {
        case .notConnected(let provider):
            "no \(provider.rawValue) credential is connected for this hotkey; connect it first "
                + "(POST /v1/miner/inference-auth/\(provider.rawValue) or `oro inference connect \(provider.rawValue)`)"
        case .unknownMiner(let hotkey): "hotkey \(hotkey) is not registered"
        }
    }
}

/// Miners' inference credentials, one per provider, sealed with the operator's `CredentialBox`, plus the default
/// provider that funds new evaluations.
///
/// The provider validators use for a miner (`effective`) is the default when it is connected, otherwise the
/// first connected provider in `InferenceProvider.allCases` order. After every change the sealed credential
/// of that provider is mirrored into `identities.inference_credential`, the column older code (the work
/// queue's claim, `IdentityRecord.hasInferenceCredential`) reads to ask whether the miner funds inference.
public struct ProviderCredentials: Sendable {
    /// The database holding the sealed credentials.
    public let database: any SQLDatabase
    /// Seals and opens the credentials.
    public let box: CredentialBox

    /// Credentials in `database`, sealed with `box`.
    public init(database: any SQLDatabase, box: CredentialBox) {
        self.database = database
        self.box = box
    }

    /// One connected provider and when its credential was last stored.
    public struct Connection: Sendable, Equatable {
        /// The provider.
        public var provider: InferenceProvider
        /// When its credential was last stored, epoch milliseconds.
        public var updatedAt: Int64

        /// A connection as stored.
        public init(provider: InferenceProvider, updatedAt: Int64) {
            self.provider = provider
            self.updatedAt = updatedAt
        }
    }

    /// A miner's connected providers (in `allCases` order) and its chosen default (nil when none was chosen).
    public struct Listing: Sendable, Equatable {
        /// The connected providers, in `allCases` order.
        public var connections: [Connection]
        /// The miner's chosen default, or nil.
        public var defaultProvider: InferenceProvider?

        /// A listing as stored.
        public init(connections: [Connection], defaultProvider: InferenceProvider?) {
            self.connections = connections
            self.defaultProvider = defaultProvider
        }
    }

    /// The credential validators get for a miner: which provider and the decrypted token.
    public struct Grant: Sendable, Equatable {
        /// The provider the token is for.
        public var provider: InferenceProvider
        /// The decrypted credential.
        public var token: String

        /// A grant of `token` for `provider`.
        public init(provider: InferenceProvider, token: String) {
            self.provider = provider
            self.token = token
        }
    }

    /// Whether storing a credential may make its provider the default.
    public enum DefaultChoice: Sendable {
        /// Becomes the default when the miner has none yet (`POST /inference-auth/{provider}`).
        case whenNoneChosen
        /// Never changes the default (the legacy `/chutes-auth` shim).
        case keep
    }

    // MARK: Reading

    /// The miner's connected providers and its default (never the tokens).
    public func listing(forMiner hotkey: String) async throws -> Listing {
        try await database.read { db in try await Self.listing(hotkey, in: db) }
    }

    static func listing(_ hotkey: String, in db: any SQLExecutor) async throws -> Listing {
        let rows = try await db.query(
            "SELECT provider, updated_at FROM miner_inference_credentials WHERE hotkey = ?", [.text(hotkey)])
        var byProvider: [InferenceProvider: Int64] = [:]
        for row in rows {
            guard let provider = InferenceProvider(rawValue: try row.string("provider")) else { continue }
            byProvider[provider] = try row.int("updated_at")
        }
        let connections = InferenceProvider.allCases.compactMap { provider in
            byProvider[provider].map { Connection(provider: provider, updatedAt: $0) }
        }
        let chosen = try await db.first("SELECT provider FROM miner_inference_defaults WHERE hotkey = ?", [.text(hotkey)])
            .flatMap { $0.optionalString("provider") }.flatMap(InferenceProvider.init(rawValue:))
        return Listing(connections: connections, defaultProvider: chosen)
    }

    /// The provider validators use for `listing`: the default when connected, else the first connected one.
    public static func effectiveProvider(_ listing: Listing) -> InferenceProvider? {
        let connected = listing.connections.map(\.provider)
        if let chosen = listing.defaultProvider, connected.contains(chosen) { return chosen }
        return connected.first
    }

    /// The decrypted credential of one provider (nil when none is stored or it no longer decrypts).
    public func token(forMiner hotkey: String, provider: InferenceProvider) async throws -> String? {
        try await database.read { db in try await token(hotkey, provider, in: db) }
    }

    func token(_ hotkey: String, _ provider: InferenceProvider, in db: any SQLExecutor) async throws -> String? {
        guard let sealed = try await Self.sealed(hotkey, provider, in: db) else { return nil }
        return try? box.open(sealed)
    }

    /// What a validator evaluating this miner's agent is handed (nil: the miner funds no inference).
    public func effective(forMiner hotkey: String) async throws -> Grant? {
        try await database.read { db in
            guard let provider = Self.effectiveProvider(try await Self.listing(hotkey, in: db)),
                  let token = try await token(hotkey, provider, in: db), !token.isEmpty
            else { return nil }
            return Grant(provider: provider, token: token)
        }
    }

    static func sealed(_ hotkey: String, _ provider: InferenceProvider, in db: any SQLExecutor) async throws -> String? {
        try await db.first("SELECT credential FROM miner_inference_credentials WHERE hotkey = ? AND provider = ?",
                           [.text(hotkey), .text(provider.rawValue)])?.optionalString("credential")
    }

    // MARK: Writing

    /// Seals and stores `token` as the miner's `provider` credential (replacing an older one). Throws
    /// `ProviderCredentialError.unknownMiner` when the hotkey is not registered.
    public func store(_ token: String, provider: InferenceProvider, forMiner hotkey: String, defaultChoice: DefaultChoice,
                      now: Int64) async throws {
        let sealed = box.seal(token)
        try await database.transaction { db in
            guard try await db.first("SELECT hotkey FROM identities WHERE hotkey = ?", [.text(hotkey)]) != nil else {
                throw ProviderCredentialError.unknownMiner(hotkey)
            }
            try await db.execute(
                """
                INSERT INTO miner_inference_credentials (hotkey, provider, credential, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (hotkey, provider) DO UPDATE SET credential = excluded.credential, updated_at = excluded.updated_at
                """, [.text(hotkey), .text(provider.rawValue), .text(sealed), .int(now)])
            if case .whenNoneChosen = defaultChoice {
                try await db.execute(
                    """
                    INSERT INTO miner_inference_defaults (hotkey, provider, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (hotkey) DO NOTHING
                    """, [.text(hotkey), .text(provider.rawValue), .int(now)])
            }
            try await Self.mirror(hotkey, in: db)
        }
    }

    /// Removes the miner's `provider` credential; a default naming it is cleared. False when none was stored.
    @discardableResult
    public func delete(provider: InferenceProvider, forMiner hotkey: String) async throws -> Bool {
        try await database.transaction { db in
            let existed = try await Self.sealed(hotkey, provider, in: db) != nil
            try await db.execute("DELETE FROM miner_inference_credentials WHERE hotkey = ? AND provider = ?",
                                 [.text(hotkey), .text(provider.rawValue)])
            try await db.execute("DELETE FROM miner_inference_defaults WHERE hotkey = ? AND provider = ?",
                                 [.text(hotkey), .text(provider.rawValue)])
            try await Self.mirror(hotkey, in: db)
            return existed
        }
    }

    /// Makes `provider` the default; it must be connected.
    public func setDefault(_ provider: InferenceProvider, forMiner hotkey: String, now: Int64) async throws {
        try await database.transaction { db in
            guard try await Self.sealed(hotkey, provider, in: db) != nil else {
                throw ProviderCredentialError.notConnected(provider)
            }
            try await db.execute(
                """
                INSERT INTO miner_inference_defaults (hotkey, provider, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (hotkey) DO UPDATE SET provider = excluded.provider, updated_at = excluded.updated_at
                """, [.text(hotkey), .text(provider.rawValue), .int(now)])
            try await Self.mirror(hotkey, in: db)
        }
    }

    /// Copies the effective provider's sealed credential (or NULL) into `identities.inference_credential`.
    static func mirror(_ hotkey: String, in db: any SQLExecutor) async throws {
        let listing = try await listing(hotkey, in: db)
        guard let provider = effectiveProvider(listing) else {
            try await db.execute("UPDATE identities SET inference_credential = NULL, credential_updated_at = NULL WHERE hotkey = ?",
                                 [.text(hotkey)])
            return
        }
        let updated = listing.connections.first { $0.provider == provider }?.updatedAt
        try await db.execute("UPDATE identities SET inference_credential = ?, credential_updated_at = ? WHERE hotkey = ?",
                             [.optional(try await sealed(hotkey, provider, in: db)), .optional(updated), .text(hotkey)])
    }
}
