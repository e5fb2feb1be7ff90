import ArenaModel
import Backend
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Store
import ShopArenaTesting
import Testing

/// The auth attack suite (issue 19): every way to get past authentication without the right key, role or
/// freshness, each refused with its status and `error_code`, on both stores — including replays sent to a
/// second backend replica over the same database, which only a nonce store in the database can refuse.
@Suite("Auth attacks")
struct AuthAttackTests {
    /// Signed headers for `hotkey` with an explicit timestamp, nonce and (optionally) a replaced signature.
    static func headers(_ hotkey: TestHotkey, timestamp: Int64, nonce: String = RequestSigner.newNonce(),
                        signature: String? = nil) -> HTTPFields {
        var signed = hotkey.signer.headers(timestamp: timestamp, nonce: nonce)
        if let signature { signed.signature = signature }
        var fields = HTTPFields()
        for (name, value) in signed.fields { fields[HTTPField.Name(name)!] = value }
        return fields
    }

    /// A second backend replica over the arena's database: its own router, verifier and rate limiter, the same
    /// database, clock and settings (as two `shoparena serve` processes on one PostgreSQL).
    static func secondReplica(of arena: TestArena) throws -> Router<ArenaRequestContext> {
        let services = BackendServices(database: arena.services.database, blobs: try TestDatabases.blobs(), clock: arena.clock,
                                       settings: arena.services.settings)
        return BackendApplication.makeRouter(services: services)
    }

    /// Runs `body` with one client per replica, then closes the shared database.
    static func withTwoReplicas(_ arena: TestArena,
                                _ body: @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void) async throws {
        let first = Application(router: arena.router)
        let second = Application(router: try secondReplica(of: arena))
        do {
            try await first.test(.router) { a in
                try await second.test(.router) { b in try await body(a, b) }
            }
        } catch {
            await arena.services.database.close()
            throw error
        }
        await arena.services.database.close()
    }

    static let minerRoute = "/v1/miner/agents"

    @Test(arguments: StoreKind.allCases)
    func replayedNonceIsRefusedOnTheSameAndOnAnotherReplica(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await Self.withTwoReplicas(arena) { a, b in
            // Same replica: accepted once, then NONCE_REUSED.
            let once = miner.headers(clock)
            try await a.execute(uri: Self.minerRoute, method: .get, headers: once) { #expect($0.status == .ok) }
            try await a.execute(uri: Self.minerRoute, method: .get, headers: once) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("error_code") == "NONCE_REUSED")
            }
            // Another replica: the nonce was recorded in the database, so replica B refuses what A accepted, and
            // A refuses what B accepted.
            try await b.execute(uri: Self.minerRoute, method: .get, headers: once) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("error_code") == "NONCE_REUSED")
            }
            let viaB = miner.headers(clock)
            try await b.execute(uri: Self.minerRoute, method: .get, headers: viaB) { #expect($0.status == .ok) }
            try await a.execute(uri: Self.minerRoute, method: .get, headers: viaB) { response in
                #expect(response.field("error_code") == "NONCE_REUSED")
            }
            // One captured request fired at both replicas at once, eight times: exactly one gets through.
            let raced = miner.headers(clock)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    let client = index % 2 == 0 ? a : b
                    group.addTask {
                        try await client.execute(uri: Self.minerRoute, method: .get, headers: raced) { $0.status.code }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 401 }.count == 7)
            // A fresh nonce from the same hotkey still works on either replica.
            try await b.execute(uri: Self.minerRoute, method: .get, headers: miner.headers(clock)) { #expect($0.status == .ok) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func noncesAreStoredInTheDatabaseAndExpire(kind: StoreKind) async throws {
        let clock = ManualClock()
        let database = try await TestDatabases.make(kind, now: clock.nowMillis())
        let store = DatabaseNonceStore(database: database)
        let now = clock.nowMillis() / 1000
        #expect(await store.record(hotkey: "h", nonce: "n1", expiresAt: now + 61, now: now) == .recorded)
        #expect(await store.record(hotkey: "h", nonce: "n1", expiresAt: now + 61, now: now + 30) == .duplicate)
        // Another hotkey may use the same nonce text.
        #expect(await store.record(hotkey: "h2", nonce: "n1", expiresAt: now + 61, now: now) == .recorded)
        #expect(try await store.nonces.count() == 2)
        // Once expired, the pair can be recorded again (its timestamp is out of the skew window anyway).
        #expect(await store.record(hotkey: "h", nonce: "n1", expiresAt: now + 200, now: now + 61) == .recorded)
        #expect(await store.record(hotkey: "h", nonce: "n1", expiresAt: now + 200, now: now + 100) == .duplicate)
        await database.close()
        // A database that fails answers `unavailable` (503), never "recorded".
        let down = DatabaseNonceStore(database: DownDatabase())
        #expect(await down.record(hotkey: "h", nonce: "n9", expiresAt: now + 61, now: now) == .unavailable)
    }

    @Test(arguments: StoreKind.allCases)
    func clockSkewForgedAndTruncatedSignatures(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let thief = TestHotkey()
        let clock = arena.clock
        try await arena.test { client in
            let now = clock.nowMillis() / 1000
            // ±61 s: outside the ±60 s window; ±60 s: inside.
            for offset: Int64 in [-61, 61] {
                try await client.execute(uri: Self.minerRoute, method: .get,
                                         headers: Self.headers(miner, timestamp: now + offset)) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.field("error_code") == "TIMESTAMP_SKEW")
                }
            }
            for offset: Int64 in [-60, 60] {
                try await client.execute(uri: Self.minerRoute, method: .get,
                                         headers: Self.headers(miner, timestamp: now + offset)) { #expect($0.status == .ok) }
            }
            // Forged: the right message signed by another key.
            let nonce = RequestSigner.newNonce()
            let message = SignedRequestHeaders.message(hotkey: miner.address, timestamp: String(now), nonce: nonce)
            let forged = thief.signer.keypair.sign(message).hex
            try await client.execute(uri: Self.minerRoute, method: .get,
                                     headers: Self.headers(miner, timestamp: now, nonce: nonce, signature: forged)) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("error_code") == "INVALID_SIGNATURE")
            }
            // Tampered: a genuine signature with one bit flipped.
            var genuine = miner.signer.keypair.sign(message).bytes
            genuine[10] ^= 0x01
            try await client.execute(uri: Self.minerRoute, method: .get,
                                     headers: Self.headers(miner, timestamp: now, nonce: nonce,
                                                           signature: try Sr25519.Signature(bytes: genuine).hex)) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("error_code") == "INVALID_SIGNATURE")
            }
            // A genuine signature for another timestamp: the signature covers the timestamp.
            let other = miner.signer.keypair.sign(SignedRequestHeaders.message(hotkey: miner.address, timestamp: String(now - 5), nonce: nonce)).hex
            try await client.execute(uri: Self.minerRoute, method: .get,
                                     headers: Self.headers(miner, timestamp: now, nonce: nonce, signature: other)) { response in
                #expect(response.field("error_code") == "INVALID_SIGNATURE")
            }
            // Truncated: not 64 bytes.
            let truncated = String(miner.signer.keypair.sign(message).hex.dropLast(2))
            try await client.execute(uri: Self.minerRoute, method: .get,
                                     headers: Self.headers(miner, timestamp: now, nonce: nonce, signature: truncated)) { response in
                #expect(response.status == .badRequest)
                #expect(response.field("error_code") == "INVALID_SIGNATURE_FORMAT")
            }
            // The genuine headers for that nonce still work: refused attempts did not burn the nonce.
            try await client.execute(uri: Self.minerRoute, method: .get,
                                     headers: Self.headers(miner, timestamp: now, nonce: nonce,
                                                           signature: miner.signer.keypair.sign(message).hex)) { #expect($0.status == .ok) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unregisteredBannedAndWrongRole(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.openMinerRegistration = false }
        let stranger = try await arena.hotkey(nil)
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        let admin = try await arena.hotkey(.admin)
        let banned = try await arena.hotkey(.validator)
        _ = try await arena.services.identities.setBanned(banned.address, banned: true, reason: "weight copying", now: arena.clock.nowMillis())
        let clock = arena.clock
        let cases: [(TestHotkey, HTTPRequest.Method, String, String)] = [
            (stranger, .get, "/v1/miner/agents", "NOT_REGISTERED"),
            (stranger, .post, "/v1/validator/work/claim", "NOT_REGISTERED_AS_VALIDATOR"),
            (stranger, .get, "/v1/admin/audit-events", "NOT_REGISTERED_AS_ADMIN"),
            (miner, .post, "/v1/validator/work/claim", "NOT_REGISTERED_AS_VALIDATOR"),
            (miner, .get, "/v1/admin/audit-events", "NOT_REGISTERED_AS_ADMIN"),
            (validator, .get, "/v1/miner/agents", "NOT_REGISTERED"),
            (validator, .get, "/v1/admin/races/current", "NOT_REGISTERED_AS_ADMIN"),
            (admin, .get, "/v1/miner/agents", "NOT_REGISTERED"),
            (admin, .post, "/v1/validator/work/claim", "NOT_REGISTERED_AS_VALIDATOR"),
            (banned, .post, "/v1/validator/work/claim", "BANNED"),
        ]
        try await arena.test { client in
            for (hotkey, method, path, code) in cases {
                try await client.execute(uri: path, method: method, headers: hotkey.headers(clock)) { response in
                    #expect(response.status == .forbidden, "\(method) \(path) → \(code)")
                    #expect(response.field("error_code") == code, "\(method) \(path)")
                }
            }
            // The admin itself gets through on its own routes.
            try await client.execute(uri: "/v1/admin/audit-events", method: .get, headers: admin.headers(clock)) { #expect($0.status == .ok) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func sessionTheftAfterLogoutAndAfterABan(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let other = try await arena.hotkey(.miner)
        let services = arena.services
        let clock = arena.clock
        try await Self.withTwoReplicas(arena) { a, b in
            let token = try await AuthRoutesTests.login(a, miner)
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            try await b.execute(uri: Self.minerRoute, method: .get, headers: bearer) { #expect($0.status == .ok) }
            // Logout on one replica ends the session on every replica: a stolen copy of the token is dead.
            try await a.execute(uri: "/v1/auth/logout", method: .post, headers: bearer) { #expect($0.status == .ok) }
            for client in [a, b] {
                try await client.execute(uri: Self.minerRoute, method: .get, headers: bearer) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.field("error_code") == "INVALID_SESSION")
                }
            }
            // A session token does not fall back to signing: bad Bearer + valid signed headers is still refused.
            var mixed = miner.headers(clock)
            mixed[.authorization] = "Bearer \(token)"
            try await a.execute(uri: Self.minerRoute, method: .get, headers: mixed) { response in
                #expect(response.field("error_code") == "INVALID_SESSION")
            }
            // A live session of a hotkey banned afterwards is refused with BANNED.
            let otherToken = try await AuthRoutesTests.login(b, other)
            _ = try await services.identities.setBanned(other.address, banned: true, reason: "abuse", now: services.now())
            try await a.execute(uri: Self.minerRoute, method: .get, headers: [.authorization: "Bearer \(otherToken)"]) { response in
                #expect(response.status == .forbidden)
                #expect(response.field("error_code") == "BANNED")
            }
        }
    }

    /// Per-IP limits run on a live server (the peer address exists only on a real connection): 10 challenges
    /// a minute per peer address, whatever `X-Forwarded-For` claims, unless the operator trusts that header.
    @Test(arguments: [false, true])
    func challengeRateLimitIsKeyedOnThePeerAddress(trustForwardedFor: Bool) async throws {
        let arena = try await TestArena.make(.sqlite) { $0.trustForwardedFor = trustForwardedFor }
        let app = Application(router: arena.router)
        var hotkeys: [TestHotkey] = []
        for _ in 0..<11 { hotkeys.append(try await arena.hotkey(.miner)) }
        let keys = hotkeys
        do {
            try await app.test(.live) { client in
                // Eleven different hotkeys, each claiming a different client address.
                var statuses: [Int] = []
                for (index, hotkey) in keys.enumerated() {
                    let response = try await AuthRoutesTests.post(
                        client, "/v1/auth/challenge", .object([("hotkey", .string(hotkey.address))]),
                        headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.\(index + 1)"])
                    statuses.append(Int(response.status.code))
                    if response.status == .tooManyRequests {
                        #expect(response.field("error_code") == "RATE_LIMIT_EXCEEDED")
                        #expect(response.headers[.retryAfter] != nil)
                    }
                }
                if trustForwardedFor {
                    // Each forwarded address has its own budget.
                    #expect(statuses == Array(repeating: 200, count: 11))
                } else {
                    // All from 127.0.0.1: the eleventh is refused although it claims another address.
                    #expect(statuses == Array(repeating: 200, count: 10) + [429])
                }
            }
        } catch {
            await arena.services.database.close()
            throw error
        }
        await arena.services.database.close()
    }
}

/// A database whose every call fails, as one that went away.
private struct DownDatabase: SQLDatabase {
    struct Down: Error {}
    var dialect: SQLDialect { .postgres }
    func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T { throw Down() }
    func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T { throw Down() }
    func close() async {}
}
