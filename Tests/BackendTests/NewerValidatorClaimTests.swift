import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing

/// The validator side of oro-sdk 1.0.50 and 7.x: host metrics on claim and heartbeat (shown to the public and
/// the admin), a 7.x claim with `runtime_contract` and its `inference_token` grant, on both stores.
@Suite("Newer validator claims")
struct NewerValidatorClaimTests {
    @Test(arguments: StoreKind.allCases)
    func aRuntimeContractClaimGetsShoppingBenchWorkAndAnInferenceGrant(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.inferenceGrantSeconds = 3600 }
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        let admin = try await arena.hotkey(.admin)
        let clock = arena.clock
        let version = try await Fixtures.queuedVersion(arena, miner: miner.address, required: 2)
        try await ProviderCredentials(database: arena.services.database, box: CredentialBox(keyText: arena.services.settings.credentialKey))
            .store("sk-or-v1-run", provider: .openrouter, forMiner: miner.address, defaultChoice: .whenNoneChosen, now: clock.nowMillis())
        try await arena.test { client in
            let claim = try await client.signed(
                .post, "/v1/validator/work/claim", by: validator, clock,
                json: #"{"service_versions":null,"cpu_pct":12.5,"ram_pct":40,"disk_pct":55.5,"docker_container_count":3,"runtime_contract":3}"#)
            #expect(claim.status == .ok)
            let json = try claim.json
            #expect(json["agent_version_id"]?.stringValue == version.agentVersionID)
            // OpenRouter only: no Chutes token goes out under the Chutes name; the grant names the provider.
            #expect(json["chutes_access_token"] == .null)
            #expect(json["inference_token"] == .object([
                ("provider", "openrouter"), ("access_token", "sk-or-v1-run"), ("base_url", "https://openrouter.ai/api/v1"),
                ("expires_at", .string(Wire.timestamp(clock.nowMillis() + 3_600_000))),
            ]))
            let runID = try #require(json["eval_run_id"]?.stringValue)

            clock.advance(seconds: 30)
            let beat = try await client.signed(.post, "/v1/validator/evaluation-runs/\(runID)/heartbeat", by: validator, clock,
                                               json: #"{"cpu_pct":80,"ram_pct":41.5,"disk_pct":56,"docker_container_count":4}"#)
            #expect(beat.status == .ok)
            let validators = try await client.getJSON("/v1/public/validators").json.arrayValue ?? []
            let mine = try #require(validators.first { $0["hotkey"]?.stringValue == validator.address })
            #expect(mine["cpu_pct"] == .double(80) && mine["ram_pct"] == .double(41.5) && mine["disk_pct"] == .double(56))
            #expect(mine["docker_container_count"] == .int(4))
            #expect(mine["metrics_reported_at"]?.stringValue == Wire.timestamp(clock.nowMillis()))
            let listed = try await client.signed(.get, "/v1/admin/validators", by: admin, clock)
            let entry = try #require(try listed.json["validators"]?.arrayValue?.first { $0["hotkey"]?.stringValue == validator.address })
            #expect(entry["cpu_pct"] == .double(80) && entry["docker_container_count"] == .int(4))

            // A metric of the wrong type is refused like FastAPI would.
            let bad = try await client.signed(.post, "/v1/validator/evaluation-runs/\(runID)/heartbeat", by: validator, clock,
                                              json: #"{"cpu_pct":"high"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.json["detail"]?.arrayValue?.first?["loc"] == .array(["body", "cpu_pct"]))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLegacyClaimKeepsItsShapeAndAValidatorWithoutMetricsShowsNulls(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        let clock = arena.clock
        try await Fixtures.queuedVersion(arena, miner: miner.address)
        _ = try await arena.services.credentials.store("rt-chutes", forMiner: miner.address, now: clock.nowMillis())
        try await arena.test { client in
            let claim = try await client.signed(.post, "/v1/validator/work/claim", by: validator, clock)
            #expect(claim.status == .ok)
            let json = try claim.json
            #expect(json.objectValue?.map(\.0) == ["eval_run_id", "agent_version_id", "suite_id", "lease_expires_at",
                                                  "code_download_url", "chutes_access_token"])
            #expect(json["chutes_access_token"] == "rt-chutes")
            let validators = try await client.getJSON("/v1/public/validators").json.arrayValue ?? []
            let mine = try #require(validators.first { $0["hotkey"]?.stringValue == validator.address })
            #expect(mine["cpu_pct"] == .null && mine["metrics_reported_at"] == .null)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNewerClientHeaderAloneAlsoGetsTheGrantWithItsChutesToken(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        let clock = arena.clock
        try await Fixtures.queuedVersion(arena, miner: miner.address)
        _ = try await arena.services.credentials.store("rt-only", forMiner: miner.address, now: clock.nowMillis())
        try await arena.test { client in
            let claim = try await client.signed(.post, "/v1/validator/work/claim", by: validator, clock, headers: newerClientHeaders)
            let json = try claim.json
            #expect(json["chutes_access_token"] == "rt-only")
            #expect(json["inference_token"]?["provider"] == "chutes")
            #expect(json["inference_token"]?["base_url"] == "https://llm.chutes.ai/v1")
        }
    }
}
