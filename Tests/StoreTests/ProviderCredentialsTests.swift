import Foundation
import Store
import ShopArenaTesting
import Testing

/// Per-provider inference credentials on both stores: the migration that carries a 1.0.x Chutes token over, the
/// default provider, the effective credential validators get, and the mirror older code reads.
@Suite("Provider credentials")
struct ProviderCredentialsTests {
    static let now: Int64 = 1_790_000_000_000

    /// An empty database of `kind` with only the first `versions` migrations applied.
    static func database(_ kind: StoreKind, migrations versions: Int) async throws -> any SQLDatabase {
        let database: any SQLDatabase
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-creds-\(UUID().uuidString)")
            database = try SQLiteDatabase(path: folder.appendingPathComponent("arena.sqlite").path)
        case .postgres:
            database = try PostgresDatabase(url: try await PostgresTestServer.shared.freshDatabaseURL(), maxConnections: 4)
        }
        try await Migrator(migrations: Array(ArenaMigrations.all.prefix(versions))).migrate(database, now: now)
        return database
    }

    @Test(arguments: StoreKind.allCases)
    func aLegacyChutesTokenBecomesTheChutesCredential(kind: StoreKind) async throws {
        let database = try await Self.database(kind, migrations: 2)
        defer { Task { await database.close() } }
        let box = CredentialBox(keyText: "k-migrate")
        try await IdentityRepository(database: database).register("miner-old", role: .miner, now: Self.now)
        try await IdentityRepository(database: database).register("miner-none", role: .miner, now: Self.now)
        try await database.transaction { db in
            try await db.execute("UPDATE identities SET inference_credential = ?, credential_updated_at = ? WHERE hotkey = 'miner-old'",
                                 [.text(box.seal("rt-legacy")), .int(Self.now + 7)])
        }
        #expect(try await Migrator().migrate(database, now: Self.now) == ArenaMigrations.all.dropFirst(2).map(\.version))
        let credentials = ProviderCredentials(database: database, box: box)
        let listing = try await credentials.listing(forMiner: "miner-old")
        #expect(listing == .init(connections: [.init(provider: .chutes, updatedAt: Self.now + 7)], defaultProvider: nil))
        #expect(try await credentials.effective(forMiner: "miner-old") == .init(provider: .chutes, token: "rt-legacy"))
        #expect(try await credentials.listing(forMiner: "miner-none") == .init(connections: [], defaultProvider: nil))
        #expect(try await credentials.effective(forMiner: "miner-none") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func defaultsEffectiveCredentialAndMirror(kind: StoreKind) async throws {
        let database = try await TestDatabases.make(kind, now: Self.now)
        defer { Task { await database.close() } }
        let box = CredentialBox(keyText: "k1")
        try await IdentityRepository(database: database).register("m", role: .miner, now: Self.now)
        let credentials = ProviderCredentials(database: database, box: box)
        func mirror() async throws -> String? {
            try await database.read { db in
                try await db.first("SELECT inference_credential FROM identities WHERE hotkey = 'm'")?.optionalString("inference_credential")
            }.map { try box.open($0) }
        }

        await #expect(throws: ProviderCredentialError.unknownMiner("nobody")) {
            try await credentials.store("x", provider: .chutes, forMiner: "nobody", defaultChoice: .whenNoneChosen, now: Self.now)
        }
        // A shim-stored Chutes token does not become the default, but it is what validators get while it is alone.
        try await credentials.store("rt", provider: .chutes, forMiner: "m", defaultChoice: .keep, now: Self.now + 1)
        #expect(try await credentials.listing(forMiner: "m").defaultProvider == nil)
        #expect(try await credentials.effective(forMiner: "m") == .init(provider: .chutes, token: "rt"))
        #expect(try await mirror() == "rt")
        // The first provider stored through inference-auth becomes the default and takes over.
        try await credentials.store("sk-or", provider: .openrouter, forMiner: "m", defaultChoice: .whenNoneChosen, now: Self.now + 2)
        #expect(try await credentials.listing(forMiner: "m").defaultProvider == .openrouter)
        #expect(try await credentials.effective(forMiner: "m") == .init(provider: .openrouter, token: "sk-or"))
        #expect(try await mirror() == "sk-or")
        // Replacing a credential keeps one row per provider and updates its time.
        try await credentials.store("sk-or-2", provider: .openrouter, forMiner: "m", defaultChoice: .whenNoneChosen, now: Self.now + 3)
        #expect(try await credentials.listing(forMiner: "m").connections
                == [.init(provider: .chutes, updatedAt: Self.now + 1), .init(provider: .openrouter, updatedAt: Self.now + 3)])
        #expect(try await credentials.token(forMiner: "m", provider: .openrouter) == "sk-or-2")
        try await credentials.setDefault(.chutes, forMiner: "m", now: Self.now + 4)
        #expect(try await mirror() == "rt")
        #expect(try await credentials.delete(provider: .chutes, forMiner: "m"))
        #expect(try await credentials.delete(provider: .chutes, forMiner: "m") == false)
        #expect(try await credentials.listing(forMiner: "m").defaultProvider == nil)
        #expect(try await mirror() == "sk-or-2")
        await #expect(throws: ProviderCredentialError.notConnected(.chutes)) {
            try await credentials.setDefault(.chutes, forMiner: "m", now: Self.now + 5)
        }
        #expect(try await credentials.delete(provider: .openrouter, forMiner: "m"))
        #expect(try await mirror() == nil)
        #expect(try await IdentityRepository(database: database).find("m")?.hasInferenceCredential == false)
        // Under another key nothing decrypts: validators get nothing rather than garbage.
        try await credentials.store("sk", provider: .openrouter, forMiner: "m", defaultChoice: .whenNoneChosen, now: Self.now + 6)
        #expect(try await ProviderCredentials(database: database, box: CredentialBox(keyText: "k2")).effective(forMiner: "m") == nil)
    }
}
