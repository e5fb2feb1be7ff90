import ArenaModel
import Backend
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Store
import ShopArenaTesting
import Testing

/// Signed-header authentication in front of the role groups: missing, stale, replayed and foreign
/// signatures; roles; bans; open miner registration.
@Suite("Backend auth")
struct AuthTests {
    @Test(arguments: StoreKind.allCases)
    func healthIsPublicAndSignedRoutesAreNot(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await arena.test { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.field("status") == "ok")
            }
            try await client.execute(uri: "/v1/validator/work/claim", method: .post) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("error_code") == "MISSING_HEADERS")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func rolesBansAndReplays(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.openMinerRegistration = false }
        let miner = try await arena.hotkey(.miner)
        let stranger = try await arena.hotkey(nil)
        let clock = arena.clock
        try await arena.test { client in
            // A miner signing a validator route: refused by role.
            try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: miner.headers(clock)) { response in
                #expect(response.status == .forbidden)
                #expect(response.field("error_code") == "NOT_REGISTERED_AS_VALIDATOR")
            }
            // Registration closed: an unknown hotkey is refused.
            try await client.execute(uri: "/v1/miner/agents", method: .get, headers: stranger.headers(clock)) { response in
                #expect(response.status == .forbidden)
                #expect(response.field("error_code") == "NOT_REGISTERED")
            }
            // The same signed headers twice: the nonce is refused the second time.
            let headers = miner.headers(clock)
            try await client.execute(uri: "/v1/miner/agents", method: .get, headers: headers) { response in
                #expect(response.status != .unauthorized)
            }
            try await client.execute(uri: "/v1/miner/agents", method: .get, headers: headers) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("error_code") == "NONCE_REUSED")
            }
            // Headers signed two minutes ago: outside the ±60 s window.
            let stale = miner.headers(clock)
            clock.advance(seconds: 120)
            try await client.execute(uri: "/v1/miner/agents", method: .get, headers: stale) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("error_code") == "TIMESTAMP_SKEW")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func bannedHotkeysAreRefusedWithBannedInTheBody(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let validator = try await arena.hotkey(.validator)
        _ = try await arena.services.identities.setBanned(validator.address, banned: true, reason: "copying",
                                                          now: arena.clock.nowMillis())
        let clock = arena.clock
        try await arena.test { client in
            try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: validator.headers(clock)) { response in
                #expect(response.status == .forbidden)
                #expect(response.field("error_code") == "BANNED")
                #expect(String(buffer: response.body).contains("banned"))
            }
        }
    }
}
