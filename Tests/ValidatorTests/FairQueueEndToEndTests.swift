import ArenaModel
import AsyncHTTPClient
import Backend
import Foundation
import Identity
import Logging
import NIOCore
import ServiceLifecycle
import Store
import Testing
import Validator

/// Issue 13 §2 over the real HTTP API: a version whose miner has no inference token sits ahead of two good
/// ones. A live validator fails it once, evaluates the good ones, fails it once more after the back-off and
/// parks it — no run loop — and the miner reads why in the version's status. When the miner connects a
/// token the parked version is evaluated after all.
@Suite("Fair queue end to end", .serialized)
struct FairQueueEndToEndTests {
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    @Test func aPoisonedVersionAheadOfGoodOnesNeverStarvesThemAndIsParkedWithItsReason() async throws {
        // The harness submits the poisoned version first (its miner has no token); 1 s back-off, parked at 2.
        let policy = RunRetryPolicy(baseDelaySeconds: 1, maxDelaySeconds: 1, attemptLimit: 8, uncurableAttemptLimit: 2)
        let harness = try await ValidatorHarness.make(problems: 2, required: 1, minerConnectsInference: false, retryPolicy: policy)
        let poisoned = harness.agentVersionID
        let good = [try await harness.submitGoodVersion(), try await harness.submitGoodVersion()]
        let group = harness.serviceGroup(logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let validator = try await harness.validator(maxRuns: nil, logger: Self.logger)
            tasks.addTask { await validator.loop() }

            let settled = try await ValidatorHarness.waitUntil(seconds: 240) {
                let states = try await good.asyncMap { try await harness.state(of: $0) }
                let item = try await harness.workItem(of: poisoned)
                return states == ["ELIGIBLE", "ELIGIBLE"] && item?.parkedAt != nil
            }
            #expect(settled)
            // The validator keeps polling (every 0.2 s): the parked version is not claimed again.
            try await Task.sleep(for: .seconds(3))
            let runs = try await harness.runs()
            #expect(runs.map(\.agentVersionID) == [poisoned, good[0], good[1], poisoned])
            #expect(runs.map(\.status) == ["FAILED", "SUCCESS", "SUCCESS", "FAILED"])
            #expect(runs.filter { $0.agentVersionID == poisoned }.allSatisfy { $0.reason == RunFailureReasons.noInferenceToken })

            // What the miner sees.
            let status = try await harness.getJSON("/v1/public/agent-versions/\(poisoned)/status")
            #expect(status["state"]?.stringValue == "QUEUED")
            #expect(status["failed_attempts"]?.intValue == 2)
            #expect(status["last_failure_reason"]?.stringValue == RunFailureReasons.noInferenceToken)
            #expect(status["parked_at"]?.stringValue != nil)
            #expect(status["next_attempt_at"] == .null)
            let notice = status["evaluation_notice"]?.stringValue ?? ""
            #expect(notice.hasPrefix("Evaluation parked after 2 failed runs: \(RunFailureReasons.noInferenceToken)."), "\(notice)")
            #expect(notice.contains("connect a working inference credential"), "\(notice)")
            let goodStatus = try await harness.getJSON("/v1/public/agent-versions/\(good[0])/status")
            #expect(goodStatus["evaluation_notice"] == .null && goodStatus["failed_attempts"]?.intValue == 0)

            // The miner connects a token: the parked version is evaluated after all.
            let miner = try #require(try await harness.miner(of: poisoned))
            _ = try await harness.services.credentials.store("miner-token", forMiner: miner, now: SystemClock().nowMillis())
            let resumed = try await ValidatorHarness.waitUntil(seconds: 120) { try await harness.state(of: poisoned) == "ELIGIBLE" }
            #expect(resumed)
            #expect(try await harness.runs().map(\.status) == ["FAILED", "SUCCESS", "SUCCESS", "FAILED", "SUCCESS"])
            await group.triggerGracefulShutdown()
        }
    }
}

extension ValidatorHarness {
    /// Submits the baseline agent from a new miner that has an inference token; returns the version id.
    func submitGoodVersion() async throws -> String {
        let now = SystemClock().nowMillis()
        let miner = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        try await services.identities.register(miner.hotkey, role: .miner, now: now)
        _ = try await services.credentials.store("miner-token", forMiner: miner.hotkey, now: now)
        let code = Array(try String(contentsOf: root.appendingPathComponent("examples/agents/baseline_agent.py"), encoding: .utf8).utf8)
        let sha = try await services.blobs.put(code)
        let result = try await services.agents.submit(
            .init(minerHotkey: miner.hotkey, agentName: "agent", codeSHA256: sha, codeSize: Int64(code.count), cooldownMillis: 0,
                  requiredSuccesses: 1, now: now),
            workItemID: UUIDText.random(), newID: { UUIDText.random() })
        guard case .accepted(_, let versionID, _, _, _, _) = result else { throw HarnessError(description: "submission refused: \(result)") }
        return versionID
    }

    func state(of versionID: String) async throws -> String? {
        try await services.database.read { db in
            try await db.first("SELECT state FROM agent_versions WHERE agent_version_id = ?", [.text(versionID)])?.optionalString("state")
        }
    }

    func miner(of versionID: String) async throws -> String? {
        try await services.database.read { db in
            try await db.first("SELECT miner_hotkey FROM agent_versions WHERE agent_version_id = ?", [.text(versionID)])?
                .optionalString("miner_hotkey")
        }
    }

    func workItem(of versionID: String) async throws -> WorkItemRecord? {
        try await services.publicQueries.latestWorkItem(agentVersionID: versionID, phase: .qualifying)
    }

    /// Every run, in claim order.
    func runs() async throws -> [(agentVersionID: String, status: String, reason: String?)] {
        try await services.database.read { db in
            try await db.query("SELECT agent_version_id, status, failure_reason FROM evaluation_runs ORDER BY claimed_at, eval_run_id", []).map {
                (try $0.string("agent_version_id"), try $0.string("status"), $0.optionalString("failure_reason"))
            }
        }
    }

    /// An unsigned GET of a public route, parsed as JSON.
    func getJSON(_ path: String) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + path), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONParser.parse(utf8: body.readableBytesView)
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
