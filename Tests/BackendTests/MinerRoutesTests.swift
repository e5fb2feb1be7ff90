import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Store
import ShopArenaTesting
import Testing

/// A multipart/form-data body the way oro-sdk sends a submission.
struct SubmitForm {
    var agentName: String? = "My Agent"
    var file: [UInt8]? = Array("def agent_main(problem):\n    return []\n".utf8)
    var filename = "agent.py"
    var boundary = "----shoparena\(UInt32.random(in: 0...UInt32.max))"

    init(name: String? = "My Agent", code: String?) {
        agentName = name
        file = code.map { Array($0.utf8) }
    }

    init(name: String? = "My Agent", bytes: [UInt8]?) {
        agentName = name
        file = bytes
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    var body: ByteBuffer {
        var bytes: [UInt8] = []
        if let agentName {
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"agent_name\"\r\nContent-Type: text/plain\r\n\r\n\(agentName)\r\n".utf8)
        }
        if let file {
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: text/x-python\r\n\r\n".utf8)
            bytes += file + Array("\r\n".utf8)
        }
        bytes += Array("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: bytes)
    }
}

/// The miner routes: submit with every refusal, the agent lists, version status and the Chutes credential.
@Suite("Miner routes")
struct MinerRoutesTests {
    static let validCode = "def agent_main(problem):\n    return {\"products\": []}\n"

    static func submit(_ client: any TestClientProtocol, _ miner: TestHotkey, _ clock: ManualClock, _ form: SubmitForm)
        async throws -> TestResponse
    {
        try await client.execute(uri: "/v1/miner/submit", method: .post,
                                 headers: miner.headers(clock, extra: [.contentType: form.contentType]), body: form.body)
    }

    static func get(_ client: any TestClientProtocol, _ miner: TestHotkey, _ clock: ManualClock, _ path: String)
        async throws -> TestResponse
    {
        try await client.execute(uri: path, method: .get, headers: miner.headers(clock))
    }

    @Test(arguments: StoreKind.allCases)
    func acceptedSubmissionShowsUpInEveryMinerView(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena, id: 3)
        let miner = try await arena.hotkey(.miner)
        let other = try await arena.hotkey(.miner)
        let clock = arena.clock
        let now = clock.nowMillis()
        try await arena.test { client in
            let response = try await Self.submit(client, miner, clock, SubmitForm(name: "  Shopper-1.0_beta ", code: Self.validCode))
            #expect(response.status == .ok)
            let body = try response.json
            #expect(body.objectValue?.map(\.0) == ["admission_status", "hotkey", "agent_id", "agent_version_id",
                                                   "admission_reason", "next_allowed_at", "message"])
            #expect(body["admission_status"] == "ACCEPTED")
            #expect(body["hotkey"]?.stringValue == miner.address)
            #expect(body["admission_reason"] == .null)
            #expect(body["next_allowed_at"]?.stringValue == Wire.timestamp(now + 12 * 3_600_000))
            let agentID = try #require(body["agent_id"]?.stringValue)
            let versionID = try #require(body["agent_version_id"]?.stringValue)

            // The code is in the blob store under its sha256.
            let version = try #require(try await arena.services.agents.version(versionID))
            #expect(version.agentName == "Shopper-1.0_beta")
            #expect(try await arena.services.blobs.get(version.codeSHA256) == Array(Self.validCode.utf8))

            let agents = try await Self.get(client, miner, clock, "/v1/miner/agents")
            #expect(agents.status == .ok)
            let agentsBody = try agents.json
            #expect(agentsBody["can_submit"] == .bool(false))
            #expect(agentsBody["next_allowed_at"]?.stringValue == Wire.timestamp(now + 12 * 3_600_000))
            let first = try #require(agentsBody["agents"]?.arrayValue?.first)
            #expect(first["agent_id"]?.stringValue == agentID)
            #expect(first["miner_hotkey"]?.stringValue == miner.address)
            #expect(first["agent_name"] == "Shopper-1.0_beta")
            #expect(first["created_at"]?.stringValue == Wire.timestamp(now))
            let latest: JSONValue = .object([
                ("agent_version_id", .string(versionID)), ("version_number", 1), ("submitted_at", .string(Wire.timestamp(now))),
                ("state", "QUEUED"), ("eliminated_at", .null), ("eliminated_in_race_number", .null), ("final_score", .null),
            ])
            #expect(first["latest_version"] == latest)

            let versions = try await Self.get(client, miner, clock, "/v1/miner/agents/\(agentID)/versions")
            #expect(versions.status == .ok)
            #expect(try versions.json == .array([latest]))

            let status = try await Self.get(client, miner, clock, "/v1/miner/agent-versions/\(versionID)")
            #expect(status.status == .ok)
            let statusBody = try status.json
            #expect(statusBody["agent_version_id"]?.stringValue == versionID)
            #expect(statusBody["agent_name"] == "Shopper-1.0_beta")
            #expect(statusBody["state"] == "QUEUED")
            #expect(statusBody["suite_id"] == 3)
            #expect(statusBody["required_successes"] == 2)
            #expect(statusBody["success_count"] == 0)
            #expect(statusBody["active_count"] == 0)
            #expect(statusBody["is_closed"] == .bool(false))
            #expect(statusBody["release_state"] == "HIDDEN")
            // No validator has succeeded yet: an empty object (the public view never sends null here).
            #expect(statusBody["per_validator_success_scores"] == .object([]))

            // Another miner sees none of it.
            let foreignVersions = try await Self.get(client, other, clock, "/v1/miner/agents/\(agentID)/versions")
            #expect(foreignVersions.status == .notFound)
            #expect(foreignVersions.field("error_code") == "AGENT_NOT_FOUND")
            let foreignStatus = try await Self.get(client, other, clock, "/v1/miner/agent-versions/\(versionID)")
            #expect(foreignStatus.status == .notFound)
            #expect(foreignStatus.field("error_code") == "AGENT_VERSION_NOT_FOUND")
            let otherAgents = try await Self.get(client, other, clock, "/v1/miner/agents")
            #expect(try otherAgents.json == .object([("agents", .array([])), ("can_submit", .bool(true)), ("next_allowed_at", .null)]))
            let unknown = try await Self.get(client, miner, clock, "/v1/miner/agent-versions/\(UUID().uuidString.lowercased())")
            #expect(unknown.field("error_code") == "AGENT_VERSION_NOT_FOUND")
            let notUUID = try await Self.get(client, miner, clock, "/v1/miner/agents/xyz/versions")
            #expect(notUUID.status == .unprocessableContent)
            #expect(try notUUID.json["detail"]?.arrayValue?.first?["type"] == "uuid_parsing")

            // After the cooldown, the same name is version 2 of the same agent.
            clock.advance(seconds: 12 * 3600)
            let second = try await Self.submit(client, miner, clock, SubmitForm(name: "Shopper-1.0_beta", code: Self.validCode + "# v2\n"))
            #expect(second.status == .ok)
            #expect(second.field("agent_id") == agentID)
            let history = try await Self.get(client, miner, clock, "/v1/miner/agents/\(agentID)/versions")
            #expect(try history.json.arrayValue?.map { $0["version_number"] } == [2, 1])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cooldownAnswersEveryRetryTheSame(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await arena.test { client in
            #expect(try await Self.submit(client, miner, clock, SubmitForm(code: Self.validCode)).status == .ok)
            clock.advance(seconds: 3600)
            let expected: JSONValue = .object([
                ("detail", .string("this hotkey submitted recently; the next submission is allowed at "
                                   + "\(Wire.timestamp(clock.nowMillis() + 11 * 3_600_000)) (in 39600 s)")),
                ("error_code", "COOLDOWN_ACTIVE"), ("remaining_seconds", 39600),
            ])
            // The client retries a 429 three times, each with a fresh nonce: four identical answers.
            for _ in 0..<4 {
                let response = try await Self.submit(client, miner, clock, SubmitForm(name: "other", code: Self.validCode))
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == nil)
                #expect(try response.json == expected)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func noActiveSuiteIs503(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena, active: false)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await arena.test { client in
            for _ in 0..<2 {
                let response = try await Self.submit(client, miner, clock, SubmitForm(code: Self.validCode))
                #expect(response.status == .serviceUnavailable)
                #expect(try response.json == .object([
                    ("detail", "no problem suite is active, so submissions cannot be evaluated; try again later"),
                    ("error_code", "NO_ACTIVE_SUITE"),
                ]))
            }
            #expect(try await arena.services.agents.cooldownUntil(miner.address, now: clock.nowMillis()) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func malformedFormsNamesAndSizes(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await arena.test { client in
            // Missing parts: FastAPI's list shape with `missing`.
            let noFile = try await Self.submit(client, miner, clock, SubmitForm(code: nil))
            #expect(noFile.status == .unprocessableContent)
            #expect(try noFile.json == .object([("detail", .array([.object([
                ("type", "missing"), ("loc", .array(["body", "file"])), ("msg", "Field required"),
            ])]))]))
            let nothing = try await Self.submit(client, miner, clock, SubmitForm(name: nil, code: nil))
            #expect(try nothing.json["detail"]?.arrayValue?.map { $0["loc"] } == [.array(["body", "agent_name"]), .array(["body", "file"])])
            // Not multipart at all.
            let json = try await client.execute(uri: "/v1/miner/submit", method: .post,
                                                headers: miner.headers(clock, extra: [.contentType: "application/json"]),
                                                body: ByteBuffer(string: "{}"))
            #expect(json.status == .unprocessableContent)
            #expect(try json.json["detail"]?.arrayValue?.count == 2)
            // A truncated body.
            let truncated = SubmitForm(code: Self.validCode)
            let full = truncated.body
            let cut = try await client.execute(uri: "/v1/miner/submit", method: .post,
                                               headers: miner.headers(clock, extra: [.contentType: truncated.contentType]),
                                               body: full.getSlice(at: 0, length: full.readableBytes - 10))
            #expect(cut.status == .unprocessableContent)
            #expect(try cut.json["detail"]?.arrayValue?.first?["loc"] == .array(["body"]))

            for (name, message) in [
                ("", "agent_name must not be empty"),
                ("   ", "agent_name must not be empty"),
                ("rm -rf /", "agent_name may only contain letters, digits, spaces, '-', '_' and '.'; found '/'"),
                ("émile", "agent_name may only contain letters, digits, spaces, '-', '_' and '.'; found '\\u{00E9}'"),
                (String(repeating: "a", count: 101), "agent_name has 101 characters; at most 100 are allowed"),
            ] {
                let response = try await Self.submit(client, miner, clock, SubmitForm(name: name, code: Self.validCode))
                #expect(response.status == .badRequest)
                #expect(try response.json == .object([("detail", .string(message)), ("error_code", "INVALID_AGENT_NAME")]))
            }
            let hundred = try await Self.submit(client, miner, clock, SubmitForm(name: String(repeating: "a", count: 100), code: "def agent_main(p):\n    return 1\n"))
            #expect(hundred.status == .ok)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func fileSizeLimitsAndFileNames(kind: StoreKind) async throws {
        let arena2 = try await TestArena.make(kind)
        try await Fixtures.suite(arena2)
        let miner2 = try await arena2.hotkey(.miner)
        let clock2 = arena2.clock
        try await arena2.test { client in
            let tooLarge: JSONValue = .object([("detail", "the agent file is larger than 1000000 bytes"), ("error_code", "FILE_TOO_LARGE")])
            // Just over the file limit, within the form allowance: refused after parsing.
            let over = "def agent_main(p):\n    return []\n" + String(repeating: "#", count: 1_000_000)
            let overResponse = try await Self.submit(client, miner2, clock2, SubmitForm(code: over))
            #expect(overResponse.status == .contentTooLarge)
            #expect(try overResponse.json == tooLarge)
            // Far over: refused without reading the whole body.
            let huge = try await Self.submit(client, miner2, clock2, SubmitForm(bytes: [UInt8](repeating: 35, count: 3_000_000)))
            #expect(huge.status == .contentTooLarge)
            #expect(try huge.json == tooLarge)
            // Exactly at the limit is fine for the size check (and analysed).
            let exact = "def agent_main(p):\n    return []\n#"
            let padded = exact + String(repeating: "x", count: 1_000_000 - exact.utf8.count)
            let ok = try await Self.submit(client, miner2, clock2, SubmitForm(code: padded))
            #expect(ok.status == .ok)
            // A file that is not .py.
            var notPython = SubmitForm(code: Self.validCode)
            notPython.filename = "agent.txt"
            clock2.advance(seconds: 13 * 3600)
            let wrong = try await Self.submit(client, miner2, clock2, notPython)
            #expect(wrong.status == .badRequest)
            #expect(wrong.field("error_code") == "INVALID_FILE")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func analyzerVerdictsMapToErrorsAndCooldowns(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let clock = arena.clock
        let security = try await arena.hotkey(.miner)
        let integrity = try await arena.hotkey(.miner)
        let broken = try await arena.hotkey(.miner)
        try await arena.test { client in
            // A security violation: 422 with the violation list, and the short security cooldown.
            let subprocessCode = "import subprocess\n\ndef agent_main(problem):\n    return subprocess.run(['ls'])\n"
            let refused = try await Self.submit(client, security, clock, SubmitForm(code: subprocessCode))
            #expect(refused.status == .unprocessableContent)
            let body = try refused.json
            #expect(body["error_code"] == "CODE_ANALYSIS_ERROR")
            // The text says when the miner may submit again and what the refusal cost (issue 13 §6).
            #expect(body["detail"] == .string("the agent file breaks 1 code rule; fix it and submit again from "
                + "\(Wire.timestamp(clock.nowMillis() + 3_600_000)) (in 1 h): a security-rule refusal costs a 1 h cooldown"))
            #expect(body["violations"] == .array([.object([
                ("rule", "banned_import"), ("severity", "security"), ("message", "import of 'subprocess' is not allowed"), ("line", 1),
            ])]))
            #expect(body["remaining_seconds"] == 3600)
            let retry = try await Self.submit(client, security, clock, SubmitForm(code: Self.validCode))
            #expect(retry.status == .tooManyRequests)
            #expect(try retry.json["remaining_seconds"] == 3600)

            // An integrity violation (a hard-coded product id): the full cooldown.
            let answer = "def agent_main(problem):\n    return {'products': ['1234567890']}\n"
            let cheat = try await Self.submit(client, integrity, clock, SubmitForm(code: answer))
            #expect(cheat.status == .unprocessableContent)
            let cheatBody = try cheat.json
            #expect(cheatBody["violations"]?.arrayValue?.first?["rule"] == "hardcoded_product_id")
            #expect(cheatBody["violations"]?.arrayValue?.first?["severity"] == "integrity")
            #expect(cheatBody["violations"]?.arrayValue?.first?["line"] == 2)
            #expect(cheatBody["remaining_seconds"] == 43200)
            #expect(cheatBody["detail"]?.stringValue?.hasSuffix("(in 12 h): an integrity-rule refusal costs the full 12 h cooldown") == true)

            // A syntax error and non-UTF-8 bytes: 400 INVALID_FILE, no cooldown.
            let syntax = try await Self.submit(client, broken, clock, SubmitForm(code: "def agent_main(problem:\n    return []\n"))
            #expect(syntax.status == .badRequest)
            #expect(syntax.field("error_code") == "INVALID_FILE")
            #expect(try syntax.json["line"] == 1)
            let binary = try await Self.submit(client, broken, clock, SubmitForm(bytes: Array("def agent_main(p):\n    return '".utf8) + [0xff, 0xfe] + Array("'\n".utf8)))
            #expect(binary.status == .badRequest)
            #expect(binary.field("error_code") == "INVALID_FILE")
            #expect(binary.field("detail")?.lowercased().contains("utf-8") == true)
            let noMain = try await Self.submit(client, broken, clock, SubmitForm(code: "def helper():\n    return 1\n"))
            #expect(noMain.status == .badRequest)
            #expect(noMain.field("error_code") == "INVALID_FILE")
            #expect(try await Self.submit(client, broken, clock, SubmitForm(code: Self.validCode)).status == .ok)
            #expect(try await arena.services.agents.agents(ofMiner: security.address).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aMissingAnalyzerIsAServerErrorThatCostsNothing(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.pythonExecutable = "/nonexistent/python3" }
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await arena.test { client in
            let response = try await Self.submit(client, miner, clock, SubmitForm(code: Self.validCode))
            #expect(response.status == .internalServerError)
            #expect(response.field("error_code") == "ANALYZER_UNAVAILABLE")
            #expect(response.field("detail")?.contains("/nonexistent/python3") == true)
            #expect(try await arena.services.agents.cooldownUntil(miner.address, now: clock.nowMillis()) == nil)
            #expect(try await arena.services.agents.agents(ofMiner: miner.address).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func chutesCredentialIsStoredEncrypted(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.credentialKey = "test-key" }
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await arena.test { client in
            let before = try await Self.get(client, miner, clock, "/v1/miner/chutes-auth/status")
            #expect(try before.json == .object([("connected", .bool(false)), ("updated_at", .null)]))
            clock.advance(seconds: 5)
            let stored = try await client.execute(uri: "/v1/miner/chutes-auth", method: .post,
                                                  headers: miner.headers(clock, extra: [.contentType: "application/json"]),
                                                  body: ByteBuffer(string: #"{"refresh_token":"rt-secret-1"}"#))
            #expect(stored.status == .ok)
            #expect(try stored.json == .object([]))
            let after = try await Self.get(client, miner, clock, "/v1/miner/chutes-auth/status")
            #expect(try after.json == .object([("connected", .bool(true)), ("updated_at", .string(Wire.timestamp(clock.nowMillis())))]))
            let missing = try await client.execute(uri: "/v1/miner/chutes-auth", method: .post,
                                                   headers: miner.headers(clock, extra: [.contentType: "application/json"]),
                                                   body: ByteBuffer(string: #"{"token":"x"}"#))
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.json["detail"]?.arrayValue?.first?["loc"] == .array(["body", "refresh_token"]))
            let empty = try await client.execute(uri: "/v1/miner/chutes-auth", method: .post,
                                                 headers: miner.headers(clock, extra: [.contentType: "application/json"]),
                                                 body: ByteBuffer(string: #"{"refresh_token":""}"#))
            #expect(empty.status == .unprocessableContent)
            #expect(try await arena.services.credentials.inferenceToken(forMiner: miner.address) == "rt-secret-1")
            let raw = try await arena.services.database.read { db in
                try await db.first("SELECT inference_credential FROM identities WHERE hotkey = ?", [.text(miner.address)])?
                    .optionalString("inference_credential")
            }
            #expect(raw?.contains("rt-secret-1") == false)
        }
    }
}
