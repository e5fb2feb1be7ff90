/// What a hotkey may do in the arena. Stored as the session `role` strings of the oro-sdk.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Submits agents / runs evaluations / performs admin actions.
    case miner, validator, admin
}

/// A hotkey in the registry.
public struct IdentityRecord: Sendable, Equatable {
    /// The SS58 hotkey.
    public var hotkey: String
    /// What it may do.
    public var role: Role
    /// Its display name, if set.
    public var name: String?
    /// Whether an admin banned it.
    public var isBanned: Bool
    /// Why it was banned.
    public var banReason: String?
    /// When it was banned, epoch milliseconds.
    public var bannedAt: Int64?
    /// When it was registered, epoch milliseconds.
    public var registeredAt: Int64
    /// A miner may not submit before this time, epoch milliseconds.
    public var cooldownUntil: Int64?
    /// The miner's last accepted submission, epoch milliseconds.
    public var lastSubmitAt: Int64?
    /// The validator's last claim, epoch milliseconds.
    public var lastClaimAt: Int64?
    /// Its last request of any kind, epoch milliseconds.
    public var lastSeenAt: Int64?
    /// JSON text of the validator's last reported `service_versions`.
    public var serviceVersions: String?
    /// Whether the miner stored an inference credential (the credential itself is never read back here).
    public var hasInferenceCredential: Bool
    /// When the inference credential was last stored, epoch milliseconds.
    public var credentialUpdatedAt: Int64?

    init(row: SQLRow) throws(StoreError) {
        hotkey = try row.string("hotkey")
        let roleText = try row.string("role")
        guard let role = Role(rawValue: roleText) else {
            throw .decoding(column: "role", expected: "miner|validator|admin", found: .text(roleText))
        }
        self.role = role
        name = row.optionalString("name")
        isBanned = row.optionalBool("is_banned") ?? false
        banReason = row.optionalString("ban_reason")
        bannedAt = row.optionalInt("banned_at")
        registeredAt = try row.int("registered_at")
        cooldownUntil = row.optionalInt("cooldown_until")
        lastSubmitAt = row.optionalInt("last_submit_at")
        lastClaimAt = row.optionalInt("last_claim_at")
        lastSeenAt = row.optionalInt("last_seen_at")
        serviceVersions = row.optionalString("service_versions")
        hasInferenceCredential = row.optionalString("inference_credential") != nil
        credentialUpdatedAt = row.optionalInt("credential_updated_at")
    }
}

/// The hotkey registry: who is a miner, a validator or an admin, and who is banned.
public struct IdentityRepository: Sendable {
    /// The database holding the registry.
    public let database: any SQLDatabase

    /// A registry over `database`.
    public init(database: any SQLDatabase) { self.database = database }

    static let columns = """
        hotkey, role, name, is_banned, ban_reason, banned_at, registered_at, cooldown_until, last_submit_at,
        last_claim_at, last_seen_at, service_versions, inference_credential, credential_updated_at
        """

    /// The identity of `hotkey`, or nil when it is not registered.
    public func find(_ hotkey: String) async throws -> IdentityRecord? {
        try await database.read { db in
            try await Self.find(hotkey, in: db)
        }
    }

    /// The identity of `hotkey`, or nil, inside the caller's transaction or read.
    public static func find(_ hotkey: String, in db: any SQLExecutor) async throws -> IdentityRecord? {
        try await db.first("SELECT \(columns) FROM identities WHERE hotkey = ?", [.text(hotkey)]).map(IdentityRecord.init(row:))
    }

    /// Registers `hotkey` with `role`, or changes the role of a known hotkey. Returns the stored record.
    /// `audit`, when given, writes the action's audit event inside the same transaction (it throwing rolls back
    /// the registration), here and in `setBanned`.
    @discardableResult
    public func register(_ hotkey: String, role: Role, name: String? = nil, now: Int64,
                         audit: (@Sendable (any SQLExecutor, IdentityRecord) async throws -> Void)? = nil) async throws -> IdentityRecord {
        try await database.transaction { db in
            if try await Self.find(hotkey, in: db) != nil {
                try await db.execute("UPDATE identities SET role = ?, name = COALESCE(?, name) WHERE hotkey = ?",
                                     [.text(role.rawValue), .optional(name), .text(hotkey)])
            } else {
                try await db.execute(
                    "INSERT INTO identities (hotkey, role, name, is_banned, registered_at) VALUES (?, ?, ?, 0, ?)",
                    [.text(hotkey), .text(role.rawValue), .optional(name), .int(now)])
            }
            guard let record = try await Self.find(hotkey, in: db) else {
                throw StoreError.database(message: "identity vanished after insert", sql: "register")
            }
            try await audit?(db, record)
            return record
        }
    }

    /// Bans or unbans; returns false when the hotkey is unknown (or has another role than `role` when given).
    public func setBanned(_ hotkey: String, banned: Bool, reason: String?, role: Role? = nil, now: Int64,
                          audit: (@Sendable (any SQLExecutor) async throws -> Void)? = nil) async throws -> Bool {
        try await database.transaction { db in
            guard let record = try await Self.find(hotkey, in: db), role == nil || record.role == role else { return false }
            try await db.execute(
                "UPDATE identities SET is_banned = ?, ban_reason = ?, banned_at = ? WHERE hotkey = ?",
                [.bool(banned), banned ? .optional(reason) : .null, banned ? .int(now) : .null, .text(hotkey)])
            try await audit?(db)
            return true
        }
    }

    /// All identities with `role` (all roles when nil), oldest first.
    public func list(role: Role?, isBanned: Bool? = nil, limit: Int = 1000, offset: Int = 0) async throws -> [IdentityRecord] {
        try await database.read { db in
            var sql = "SELECT \(Self.columns) FROM identities WHERE 1 = 1"
            var binds: [SQLValue] = []
            if let role { sql += " AND role = ?"; binds.append(.text(role.rawValue)) }
            if let isBanned { sql += " AND is_banned = ?"; binds.append(.bool(isBanned)) }
            sql += " ORDER BY registered_at, hotkey LIMIT ? OFFSET ?"
            binds += [.int(Int64(limit)), .int(Int64(offset))]
            return try await db.query(sql, binds).map(IdentityRecord.init(row:))
        }
    }

    /// Identities of `role` (all when nil), optionally only banned or only unbanned ones.
    public func count(role: Role?, isBanned: Bool? = nil) async throws -> Int {
        try await database.read { db in
            var sql = "SELECT COUNT(*) FROM identities WHERE 1 = 1"
            var binds: [SQLValue] = []
            if let role { sql += " AND role = ?"; binds.append(.text(role.rawValue)) }
            if let isBanned { sql += " AND is_banned = ?"; binds.append(.bool(isBanned)) }
            return Int(try await db.scalarInt(sql, binds) ?? 0)
        }
    }
}
