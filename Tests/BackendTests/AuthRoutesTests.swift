import ArenaModel
import Backend
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Store
import ShopArenaTesting
import Testing

/// `/v1/auth/challenge`, `/v1/auth/session`, `/v1/auth/logout` and Bearer sessions on the role groups.
@Suite("Auth routes")
struct AuthRoutesTests {
    static func post(_ client: any TestClientProtocol, _ path: String, _ body: JSONValue, headers: HTTPFields = [:])
        async throws -> TestResponse
    {
        var fields = headers
        fields[.contentType] = "application/json"
        return try await client.execute(uri: path, method: .post, headers: fields,
                                        body: ByteBuffer(string: JSONWriter().string(body)))
    }

    static func challenge(_ client: any TestClientProtocol, _ hotkey: TestHotkey) async throws -> String {
        let response = try await post(client, "/v1/auth/challenge", .object([("hotkey", .string(hotkey.address))]))
        #expect(response.status == .ok)
        return try #require(response.field("challenge"))
    }

    static func sign(_ hotkey: TestHotkey, _ message: String, wrapped: Bool = false, prefixed: Bool = true) -> String {
        let text = wrapped ? "<Bytes>\(message)</Bytes>" : message
        let hex = hotkey.signer.keypair.sign(Array(text.utf8)).hex
        return prefixed ? hex : String(hex.dropFirst(2))
    }

    static func session(_ client: any TestClientProtocol, _ hotkey: TestHotkey, challenge: String, signature: String)
        async throws -> TestResponse
    {
        try await post(client, "/v1/auth/session", .object([
            ("hotkey", .string(hotkey.address)), ("challenge", .string(challenge)), ("signature", .string(signature)),
        ]))
    }

    /// A full login: challenge, signature, session token.
    static func login(_ client: any TestClientProtocol, _ hotkey: TestHotkey) async throws -> String {
        let challenge = try await challenge(client, hotkey)
        let response = try await session(client, hotkey, challenge: challenge, signature: sign(hotkey, challenge))
        #expect(response.status == .ok)
        return try #require(response.field("session_token"))
    }

    @Test(arguments: StoreKind.allCases)
    func challengeSessionBearerAndLogout(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let nowSeconds = arena.clock.nowMillis() / 1000
        try await arena.test { client in
            let response = try await Self.post(client, "/v1/auth/challenge", .object([("hotkey", .string(miner.address))]))
            #expect(response.status == .ok)
            let body = try response.json
            let challenge = try #require(body["challenge"]?.stringValue)
            let parts = challenge.split(separator: ":")
            #expect(parts.count == 3)
            #expect(parts.first == "bittensor-auth")
            #expect(parts.count == 3 && Int64(parts[1]) == nowSeconds)
            #expect(parts.count == 3 && parts[2].count == 32 && parts[2].allSatisfy(\.isHexDigit))
            #expect(body["expires_at"]?.intValue == nowSeconds + 60)

            let session = try await Self.session(client, miner, challenge: challenge, signature: Self.sign(miner, challenge))
            #expect(session.status == .ok)
            let sessionBody = try session.json
            let token = try #require(sessionBody["session_token"]?.stringValue)
            #expect(token.hasPrefix("ses_") && token.count == 68 && token.dropFirst(4).allSatisfy(\.isHexDigit))
            #expect(sessionBody["expires_at"]?.intValue == nowSeconds + 7200)
            #expect(sessionBody["role"]?.stringValue == "miner")

            // The token works as Bearer on the miner group (scheme case-insensitive) ...
            try await client.execute(uri: "/v1/miner/agents", method: .get, headers: [.authorization: "bearer \(token)"]) { response in
                #expect(response.status == .ok)
                #expect((try? response.json)?["agents"] == .array([]))
            }
            // A challenge is good once.
            let again = try await Self.session(client, miner, challenge: challenge, signature: Self.sign(miner, challenge))
            #expect(again.status == .unauthorized)
            #expect(again.field("error_code") == "INVALID_CHALLENGE")

            let logout = try await Self.post(client, "/v1/auth/logout", .object([]), headers: [.authorization: "Bearer \(token)"])
            #expect(logout.status == .ok)
            #expect(try logout.json == .object([("success", .bool(true))]))
            let twice = try await Self.post(client, "/v1/auth/logout", .object([]), headers: [.authorization: "Bearer \(token)"])
            #expect(twice.status == .unauthorized)
            #expect(twice.field("error_code") == "INVALID_SESSION")
            try await client.execute(uri: "/v1/miner/agents", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("error_code") == "INVALID_SESSION")
            }
            let missing = try await Self.post(client, "/v1/auth/logout", .object([]))
            #expect(missing.status == .unauthorized)
            #expect(missing.field("error_code") == "NOT_AUTHENTICATED")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func expiredChallengeAndExpiredSessionAreRefused(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await arena.test { client in
            let stale = try await Self.challenge(client, miner)
            clock.advance(seconds: 61)
            let late = try await Self.session(client, miner, challenge: stale, signature: Self.sign(miner, stale))
            #expect(late.status == .unauthorized)
            #expect(late.field("error_code") == "INVALID_CHALLENGE")

            let token = try await Self.login(client, miner)
            clock.advance(seconds: 7199)
            try await client.execute(uri: "/v1/miner/agents", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
            }
            clock.advance(seconds: 2)
            try await client.execute(uri: "/v1/miner/agents", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("error_code") == "INVALID_SESSION")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func signatureFormsAndForeignSignatures(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let validator = try await arena.hotkey(.validator)
        let other = try await arena.hotkey(.miner)
        try await arena.test { client in
            // A browser wallet's <Bytes> wrapping, without 0x: accepted, role from the registry.
            let wrapped = try await Self.challenge(client, validator)
            let ok = try await Self.session(client, validator, challenge: wrapped,
                                            signature: Self.sign(validator, wrapped, wrapped: true, prefixed: false))
            #expect(ok.status == .ok)
            #expect(ok.field("role") == "validator")
            // The validator's session does not open the miner group: role is re-checked on every Bearer use.
            let validatorToken = try #require(ok.field("session_token"))
            try await client.execute(uri: "/v1/miner/agents", method: .get, headers: [.authorization: "Bearer \(validatorToken)"]) { response in
                #expect(response.status == .forbidden)
                #expect(response.field("error_code") == "NOT_REGISTERED")
            }

            // Signed by another key: 401 INVALID_SIGNATURE (and the challenge is spent).
            let challenge = try await Self.challenge(client, validator)
            let forged = try await Self.session(client, validator, challenge: challenge, signature: Self.sign(other, challenge))
            #expect(forged.status == .unauthorized)
            #expect(forged.field("error_code") == "INVALID_SIGNATURE")
            let retry = try await Self.session(client, validator, challenge: challenge, signature: Self.sign(validator, challenge))
            #expect(retry.field("error_code") == "INVALID_CHALLENGE")

            // A challenge issued to one hotkey cannot open a session for another.
            let foreign = try await Self.challenge(client, validator)
            let stolen = try await Self.session(client, other, challenge: foreign, signature: Self.sign(other, foreign))
            #expect(stolen.status == .unauthorized)
            #expect(stolen.field("error_code") == "INVALID_CHALLENGE")

            // Garbage signature: 400 INVALID_SIGNATURE_FORMAT.
            let garbled = try await Self.challenge(client, other)
            let bad = try await Self.session(client, other, challenge: garbled, signature: "0xnothex")
            #expect(bad.status == .badRequest)
            #expect(bad.field("error_code") == "INVALID_SIGNATURE_FORMAT")

            // A hotkey that is not SS58.
            let invalid = try await Self.post(client, "/v1/auth/challenge", .object([("hotkey", "not-a-hotkey")]))
            #expect(invalid.status == .badRequest)
            #expect(invalid.field("error_code") == "INVALID_HOTKEY_FORMAT")
            // A missing field: FastAPI's list shape.
            let missing = try await Self.post(client, "/v1/auth/session", .object([("hotkey", .string(other.address))]))
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.json["detail"]?.arrayValue?.first?["type"]?.stringValue == "missing")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func registrationRulesAndBans(kind: StoreKind) async throws {
        let closed = try await TestArena.make(kind) { $0.openMinerRegistration = false }
        let stranger = try await closed.hotkey(nil)
        try await closed.test { client in
            let challenge = try await Self.challenge(client, stranger)
            let response = try await Self.session(client, stranger, challenge: challenge, signature: Self.sign(stranger, challenge))
            #expect(response.status == .unauthorized)
            #expect(response.field("error_code") == "NOT_REGISTERED")
            #expect(try await closed.services.identities.find(stranger.address) == nil)
        }

        let open = try await TestArena.make(kind)
        let newcomer = try await open.hotkey(nil)
        let banned = try await open.hotkey(.miner)
        _ = try await open.services.identities.setBanned(banned.address, banned: true, reason: "copying", now: open.clock.nowMillis())
        try await open.test { client in
            let challenge = try await Self.challenge(client, newcomer)
            let response = try await Self.session(client, newcomer, challenge: challenge, signature: Self.sign(newcomer, challenge))
            #expect(response.status == .ok)
            #expect(response.field("role") == "miner")
            let bannedChallenge = try await Self.challenge(client, banned)
            let refused = try await Self.session(client, banned, challenge: bannedChallenge, signature: Self.sign(banned, bannedChallenge))
            #expect(refused.status == .forbidden)
            #expect(refused.field("error_code") == "BANNED")
            #expect(String(buffer: refused.body).contains("banned"))
            #expect(try await open.services.identities.find(newcomer.address)?.role == .miner)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func challengesAreRateLimited(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await arena.test { client in
            for _ in 0..<10 { _ = try await Self.challenge(client, miner) }
            let limited = try await Self.post(client, "/v1/auth/challenge", .object([("hotkey", .string(miner.address))]))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.field("error_code") == "RATE_LIMIT_EXCEEDED")
            clock.advance(seconds: 60)
            _ = try await Self.challenge(client, miner)
        }
    }
}
