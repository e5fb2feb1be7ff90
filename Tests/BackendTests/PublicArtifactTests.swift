import ArenaModel
import Backend
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Store
import ShopArenaTesting
import Testing

/// `/v1/public/artifacts/download-url` and `/v1/public/blobs/{sha256}`: the code embargo, run logs, hidden
/// problems and the 400/404/422 answers.
@Suite("Public artifacts")
struct PublicArtifactTests {
    static func path(_ url: JSONValue?) -> String {
        let text = url?.stringValue ?? ""
        guard let range = text.range(of: "/v1/public/blobs/") else { return text }
        return String(text[range.lowerBound...])
    }

    /// An ArtifactDownloadRequest body.
    static func ask(_ type: String, version: String? = nil, run: String? = nil, problem: String? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [("artifact_type", .string(type)), ("agent_version_id", .string(version ?? ""))]
        if let run { fields.append(("eval_run_id", .string(run))) }
        if let problem { fields.append(("problem_id", .string(problem))) }
        return .object(fields)
    }

    @Test(arguments: StoreKind.allCases)
    func agentCodeOnlyAfterTheEmbargo(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.publicBaseURL = "http://arena.example/" }
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner).address
        let releaseAt = arena.clock.nowMillis() + 86_400_000
        let version = try await PublicFixtures.eligibleVersion(arena, miner: miner, score: 0.5, codeAvailableAt: releaseAt)
        let sha = try await arena.services.database.read { db in
            try await db.first("SELECT code_sha256 FROM agent_versions WHERE agent_version_id = ?", [.text(version.agentVersionID)])?
                .optionalString("code_sha256")
        }
        let request: JSONValue = .object([("artifact_type", "AGENT_CODE"), ("agent_version_id", .string(version.agentVersionID))])
        try await arena.test { client in
            let early = try await client.postJSON("/v1/public/artifacts/download-url", request)
            #expect(early.status == .notFound)
            #expect(early.json["error_code"]?.stringValue == "ARTIFACT_NOT_RELEASED")
            let blobEarly = try await client.execute(uri: "/v1/public/blobs/\(sha ?? "")", method: .get)
            #expect(blobEarly.status == .notFound)

            arena.clock.set(millis: releaseAt)
            let released = try await client.postJSON("/v1/public/artifacts/download-url", request)
            #expect(released.status == .ok)
            #expect(released.json["download_url"]?.stringValue == "http://arena.example/v1/public/blobs/\(sha ?? "")")
            #expect(released.json["expires_at"]?.stringValue.flatMap(Wire.parseTimestamp) ?? 0 > releaseAt)
            let blob = try await client.execute(uri: Self.path(released.json["download_url"]), method: .get)
            #expect(blob.status == .ok)
            #expect(String(buffer: blob.body) == "def agent_main(problem):\n    return []\n")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func runLogsButNeverHiddenProblemsLogs(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let suite = try await Fixtures.suite(arena, problems: 1, hiddenProblems: 1)
        let hiddenID = try #require(try await PublicQueriesProbe.hiddenIDs(arena).first)
        let miner = try await arena.hotkey(.miner).address
        let validator = try await arena.hotkey(.validator).address
        let version = try await Fixtures.queuedVersion(arena, miner: miner)
        let other = try await Fixtures.queuedVersion(arena, miner: miner)
        let run = try await PublicFixtures.run(arena, workItemID: version.workItemID, agentVersionID: version.agentVersionID,
                                               validator: validator, status: "SUCCESS", resultsKey: "bundles/run.json")
        let raceRun = try await PublicFixtures.run(arena, workItemID: version.workItemID, agentVersionID: version.agentVersionID,
                                                   validator: validator, status: "SUCCESS", phase: "RACE", resultsKey: "bundles/race.json")
        try await PublicFixtures.object(arena, key: "bundles/run.json", text: "bundle")
        let raceSHA = try await PublicFixtures.object(arena, key: "bundles/race.json", text: "race bundle")
        let logSHA = try await PublicFixtures.object(arena, key: "logs/p0.json", text: "problem log")
        let hiddenSHA = try await PublicFixtures.object(arena, key: "logs/hidden.json", text: "hidden problem log")
        try await PublicFixtures.runProblem(arena, runID: run, problemID: suite.problemIDs[0], logsKey: "logs/p0.json")
        try await PublicFixtures.runProblem(arena, runID: raceRun, problemID: hiddenID, logsKey: "logs/hidden.json")
        let v = version.agentVersionID
        try await arena.test { client in
            let url = "/v1/public/artifacts/download-url"
            let bundle = try await client.postJSON(url, Self.ask("EVAL_LOGS_BUNDLE", version: v, run: run))
            #expect(bundle.status == .ok)
            let bundleBody = try await client.execute(uri: Self.path(bundle.json["download_url"]), method: .get)
            #expect(String(buffer: bundleBody.body) == "bundle")
            let log = try await client.postJSON(url, Self.ask("EVAL_PROBLEM_LOGS", version: v, run: run, problem: suite.problemIDs[0]))
            #expect(Self.path(log.json["download_url"]) == "/v1/public/blobs/\(logSHA)")

            let cases: [(JSONValue, Int, String)] = [
                (Self.ask("EVAL_PROBLEM_LOGS", version: v, run: raceRun, problem: hiddenID), 404, "ARTIFACT_NOT_FOUND"),
                (Self.ask("EVAL_LOGS_BUNDLE", version: v, run: raceRun), 404, "ARTIFACT_NOT_FOUND"),
                (Self.ask("EVAL_LOGS_BUNDLE", version: v), 400, "MISSING_PARAMETER"),
                (Self.ask("EVAL_PROBLEM_LOGS", version: v, run: run), 400, "MISSING_PARAMETER"),
                (Self.ask("EVAL_PROBLEM_LOGS", version: v, run: run, problem: UUID().uuidString), 404, "ARTIFACT_NOT_FOUND"),
                (Self.ask("EVAL_LOGS_BUNDLE", version: other.agentVersionID, run: run), 404, "EVAL_RUN_NOT_FOUND"),
                (Self.ask("SOURCE_CODE", version: v), 400, "INVALID_ARTIFACT_TYPE"),
                (Self.ask("AGENT_CODE", version: UUID().uuidString), 404, "AGENT_VERSION_NOT_FOUND"),
                (Self.ask("REASONING_DETAILS", version: v), 404, "ARTIFACT_NOT_FOUND"),
            ]
            for (body, status, code) in cases {
                let answer = try await client.postJSON(url, body)
                #expect(Int(answer.status.code) == status, "\(JSONWriter().string(body))")
                #expect(answer.json["error_code"]?.stringValue == code, "\(JSONWriter().string(body))")
            }
            let invalid = try await client.postJSON(url, Self.ask("AGENT_CODE", version: "nope"))
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.json["detail"]?.arrayValue?.first?["loc"] == .array(["body", "agent_version_id"]))
            let noType = try await client.postJSON(url, .object([("agent_version_id", .string(v))]))
            #expect(noType.status == .unprocessableContent)

            for sha in [hiddenSHA, raceSHA, String(repeating: "0", count: 64), "xyz"] {
                let blob = try await client.execute(uri: "/v1/public/blobs/\(sha)", method: .get)
                #expect(blob.status == .notFound, "\(sha)")
            }
        }
    }
}
