import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing

/// oro-sdk 7.x's inference credentials per provider, the legacy Chutes shim beside them, and the submission rule
/// that a miner must fund inference (issue 13 §2, §5), on both stores.
@Suite("Inference auth routes")
struct InferenceAuthRoutesTests {
    @Test(arguments: StoreKind.allCases)
    func providersDefaultAndTheLegacyShim(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.credentialKey = "k-providers" }
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        let t0 = clock.nowMillis()
        try await arena.test { client in
            let empty = try await client.signed(.get, "/v1/miner/inference-auth", by: miner, clock)
            #expect(empty.status == .ok)
            #expect(try empty.json == .object([
                ("providers", .array([
                    .object([("provider", "chutes"), ("connected", false), ("updated_at", .null)]),
                    .object([("provider", "openrouter"), ("connected", false), ("updated_at", .null)]),
                ])),
                ("default_provider", .null),
            ]))

            // The first credential stored becomes the default.
            clock.advance(seconds: 10)
            let stored = try await client.signed(.post, "/v1/miner/inference-auth/openrouter", by: miner, clock,
                                                 json: #"{"credential":"  sk-or-v1-abc  "}"#)
            #expect(stored.status == .ok)
            #expect(try stored.json == .object([("provider", "openrouter"), ("connected", true),
                                                ("updated_at", .string(Wire.timestamp(t0 + 10_000))),
                                                ("default_provider", "openrouter")]))
            // The legacy shim stores a Chutes token and leaves the default alone (7.x refuses a Chutes default).
            clock.advance(seconds: 5)
            let shim = try await client.signed(.post, "/v1/miner/chutes-auth", by: miner, clock, json: #"{"refresh_token":"rt-1"}"#)
            #expect(shim.status == .ok)
            let both = try await client.signed(.get, "/v1/miner/inference-auth", by: miner, clock)
            #expect(try both.json["default_provider"] == "openrouter")
            #expect(try both.json["providers"]?.arrayValue?.map { $0["connected"] } == [true, true])
            let chutesStatus = try await client.signed(.get, "/v1/miner/chutes-auth/status", by: miner, clock)
            #expect(try chutesStatus.json == .object([("connected", true), ("updated_at", .string(Wire.timestamp(t0 + 15_000)))]))
            let one = try await client.signed(.get, "/v1/miner/inference-auth/chutes", by: miner, clock)
            #expect(try one.json == .object([("provider", "chutes"), ("connected", true),
                                             ("updated_at", .string(Wire.timestamp(t0 + 15_000)))]))

            // Validators are handed the default provider's credential (trimmed), and the 1.0.x column mirrors it.
            #expect(try await arena.services.credentials.inferenceToken(forMiner: miner.address) == "sk-or-v1-abc")
            let switched = try await client.signed(.patch, "/v1/miner/inference-auth/default", by: miner, clock,
                                                   json: #"{"provider":"chutes"}"#)
            #expect(switched.status == .ok)
            #expect(try switched.json == .object([("default_provider", "chutes")]))
            #expect(try await arena.services.credentials.inferenceToken(forMiner: miner.address) == "rt-1")
            let mirrored = try await arena.services.database.read { db in
                try await db.first("SELECT inference_credential FROM identities WHERE hotkey = ?", [.text(miner.address)])?
                    .optionalString("inference_credential")
            }
            #expect(try mirrored.map { try CredentialBox(keyText: "k-providers").open($0) } == "rt-1")

            // Removing the default provider clears the default; validators fall back to what is left.
            let removed = try await client.signed(.delete, "/v1/miner/inference-auth/chutes", by: miner, clock)
            #expect(removed.status == .ok)
            #expect(try removed.json == .object([("provider", "chutes"), ("connected", false), ("updated_at", .null),
                                                 ("default_provider", .null)]))
            #expect(try await arena.services.credentials.inferenceToken(forMiner: miner.address) == "sk-or-v1-abc")
            let again = try await client.signed(.delete, "/v1/miner/inference-auth/chutes", by: miner, clock)
            #expect(again.status == .notFound)
            #expect(again.field("error_code") == "PROVIDER_NOT_CONNECTED")
            let notConnected = try await client.signed(.patch, "/v1/miner/inference-auth/default", by: miner, clock,
                                                       json: #"{"provider":"chutes"}"#)
            #expect(notConnected.status == .conflict)
            #expect(notConnected.field("error_code") == "PROVIDER_NOT_CONNECTED")
            #expect(notConnected.field("detail")?.contains("oro inference connect chutes") == true)

            // Unknown providers and empty credentials are FastAPI-shaped 422s.
            let unknown = try await client.signed(.post, "/v1/miner/inference-auth/anthropic", by: miner, clock,
                                                  json: #"{"credential":"x"}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.json["detail"]?.arrayValue?.first?["loc"] == .array(["path", "provider"]))
            let blank = try await client.signed(.post, "/v1/miner/inference-auth/openrouter", by: miner, clock,
                                                json: #"{"credential":"   "}"#)
            #expect(blank.status == .unprocessableContent)
            #expect(try blank.json["detail"]?.arrayValue?.first?["type"] == "string_too_short")
            let badDefault = try await client.signed(.patch, "/v1/miner/inference-auth/default", by: miner, clock,
                                                     json: #"{"provider":"nope"}"#)
            #expect(badDefault.status == .unprocessableContent)

            // The stored text never holds the credential in clear.
            let rows = try await arena.services.database.read { db in
                try await db.query("SELECT credential FROM miner_inference_credentials WHERE hotkey = ?", [.text(miner.address)])
                    .map { try $0.string("credential") }
            }
            #expect(rows.count == 1 && rows.allSatisfy { !$0.contains("sk-or") })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func submissionsNeedAnInferenceCredentialWhenTheArenaRequiresOne(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.requireInferenceCredential = true }
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await arena.test { client in
            let refused = try await MinerRoutesTests.submit(client, miner, clock, SubmitForm(code: MinerRoutesTests.validCode))
            #expect(refused.status == .conflict)
            #expect(refused.field("error_code") == "NO_INFERENCE_CREDENTIAL")
            #expect(refused.field("detail")?.contains("oro inference connect openrouter") == true)
            #expect(refused.field("detail")?.contains("no cooldown was used") == true)
            // Nothing was stored and no cooldown started.
            #expect(try await arena.services.agents.agents(ofMiner: miner.address).isEmpty)
            #expect(try await arena.services.agents.cooldownUntil(miner.address, now: clock.nowMillis()) == nil)

            // Any provider counts: after connecting OpenRouter the same file is accepted.
            _ = try await client.signed(.post, "/v1/miner/inference-auth/openrouter", by: miner, clock,
                                        json: #"{"credential":"sk-or-v1-x"}"#)
            let accepted = try await MinerRoutesTests.submit(client, miner, clock, SubmitForm(code: MinerRoutesTests.validCode))
            #expect(accepted.status == .ok)
            #expect(accepted.field("admission_status") == "ACCEPTED")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theBoundaryPlusPlusPlusOfNewerClientsIsAccepted(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        try await arena.test { client in
            var form = SubmitForm(name: "plus-agent", code: MinerRoutesTests.validCode)
            form.boundary = "+++"
            let response = try await client.execute(
                uri: "/v1/miner/submit", method: .post,
                headers: miner.headers(arena.clock, extra: newerClientHeaders.merging([.contentType: form.contentType])), body: form.body)
            #expect(response.status == .ok)
            #expect(response.field("admission_status") == "ACCEPTED")
            #expect(try await arena.services.agents.agents(ofMiner: miner.address).first?.agent.agentName == "plus-agent")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func noActiveSuiteIsTheOnly503ForOldAndNewClients(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let old = try await arena.hotkey(.miner)
        let new = try await arena.hotkey(.miner)
        try await arena.test { client in
            for (miner, extra) in [(old, HTTPFields()), (new, newerClientHeaders)] {
                let form = SubmitForm(code: MinerRoutesTests.validCode)
                let response = try await client.execute(
                    uri: "/v1/miner/submit", method: .post,
                    headers: miner.headers(arena.clock, extra: extra.merging([.contentType: form.contentType])), body: form.body)
                #expect(response.status == .serviceUnavailable)
                #expect(response.field("error_code") == "NO_ACTIVE_SUITE")
            }
        }
    }
}

extension HTTPFields {
    /// These fields with `other`'s set over them.
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
