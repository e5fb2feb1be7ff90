import ArenaModel
import AsyncHTTPClient
import Backend
import Foundation
import Identity
import Logging
import ServiceLifecycle
import ShopArenaTesting
import Store
import Testing
import Validator

/// Issue 19 end to end, against a real backend over HTTP: a validator whose own LLM provider fails every call of a run
/// (503, or 401 for its key) completes it FAILED with `inference_unavailable` — never a genuine 0 — and the backend
/// hands it to another validator, whose working provider gets it scored normally. An agent that never reaches the
/// provider (no LLM call, or only a model the allowlist refuses) is scored as usual even while the provider is down.
@Suite("Validator: inference unavailable", .serialized)
struct InferenceUnavailableTests {
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// One LLM call (`model`) per problem through the proxy, then one step with the reply (or "no answer").
    static func agent(model: String) -> String {
        """
        from src.agent.proxy_client import ProxyClient
        def agent_main(problem_data):
            client = ProxyClient(max_retries=1)
            content = "no answer"
            try:
                reply = client.chat_completion([{"role": "user", "content": problem_data["query"]}], model="\(model)")
                content = ProxyClient.message_content(reply)[0] or "no answer"
            except Exception:
                pass
            return [{"completion": {"reasoning_content": "", "content": content, "message": {"response": content}},
                     "extra_info": {}}]
        """
    }

    static let silentAgent = """
        def agent_main(problem_data):
            return [{"completion": {"reasoning_content": "", "content": "nothing", "message": {"response": "nothing"}},
                     "extra_info": {}}]
        """

    @Test(arguments: [503, 401])
    func aProviderFailingEveryCallFailsTheRunAndAnotherValidatorScoresIt(status: Int) async throws {
        let harness = try await ValidatorHarness.make(problems: 3, required: 1, agentCode: Self.agent(model: "m"))
        let group = harness.serviceGroup(logger: Self.logger)
        let down = try await FaultyChatServer.start(fallback: .status(status, "provider failure \(status)"))
        let working = try await FaultyChatServer.start(fallback: .content("red shoes"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let first = try await harness.validator(inferenceBaseURL: down.baseURL, logger: Self.logger)
            await first.loop()  // one run, then it stops (maxRuns 1)
            #expect(!down.requests.isEmpty, "the agent never reached the provider")
            #expect(try await harness.runStatuses().map { [$0.status, $0.reason ?? "-"] }
                == [["FAILED", RunFailureReasons.inferenceUnavailable]])
            #expect(try await harness.versionState().state != "ELIGIBLE")
            let item = try #require(try await PublicQueries(database: harness.services.database)
                .latestWorkItem(agentVersionID: harness.agentVersionID, phase: .qualifying))
            #expect(item.failedAttempts == 0)
            #expect(item.lastFailureKind == RunFailureKind.inferenceUnavailable.rawValue)
            #expect(item.avoidValidatorHotkey == first.signer.hotkey)

            // The same validator is not handed the run again; another one is, at once, and scores it normally.
            let again = BackendClient(baseURL: harness.baseURL, signer: first.signer, http: .shared)
            #expect(try await again.claim(serviceVersions: [:]) == nil)
            let second = try await harness.validator(inferenceBaseURL: working.baseURL, logger: Self.logger)
            await second.loop()
            #expect(!working.requests.isEmpty)
            let statuses = try await harness.runStatuses()
            #expect(statuses.map(\.status) == ["FAILED", "SUCCESS"])
            let version = try await harness.versionState()
            #expect(version.state == "ELIGIBLE")
            #expect(version.finalScore != nil)
            // Only the second validator's run counts.
            let included = try await harness.services.database.read { db in
                try await db.query("SELECT validator_hotkey FROM evaluation_runs WHERE is_included = 1", []).map {
                    try $0.string("validator_hotkey")
                }
            }
            #expect(included == [second.signer.hotkey])
            await group.triggerGracefulShutdown()
        }
    }

    @Test(arguments: ["silent", "refused-model"])
    func anAgentThatNeverReachesTheProviderIsScoredNormallyWhileItIsDown(agent: String) async throws {
        let code = agent == "silent" ? Self.silentAgent : Self.agent(model: "not-on-the-allowlist")
        let harness = try await ValidatorHarness.make(problems: 2, required: 1, agentCode: code)
        let group = harness.serviceGroup(logger: Self.logger)
        let down = try await FaultyChatServer.start(fallback: .status(503, "provider down"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let validator = try await harness.validator(inferenceBaseURL: down.baseURL, logger: Self.logger)
            await validator.loop()
            #expect(down.requests.isEmpty)
            #expect(try await harness.runStatuses().map(\.status) == ["SUCCESS"])
            #expect(try await harness.versionState().state == "ELIGIBLE")
            await group.triggerGracefulShutdown()
        }
    }

    /// The verdict's rules on the trusted call logs: only calls that reached the provider count, and all must have failed.
    @Test func onlyCallsThatReachedTheProviderCountAndAllMustHaveFailed() {
        func call(_ status: Int, _ upstream: String?, path: String = "/inference/chat/completions") -> JSONValue {
            ProxyCallRecord(timestamp: 1, method: "POST", path: path, model: "m", status: status, durationMs: 1,
                            upstream: upstream).json
        }
        func envelope(_ calls: [JSONValue]) -> Envelope {
            var envelope = Envelope(problemID: "p", status: .success, executionTime: 1, inferenceFailureCount: 0, inferenceTotal: 0)
            envelope.proxyCalls = .array(calls)
            return envelope
        }
        let search = call(200, nil, path: "/search/find_product")
        let refused = call(403, nil)
        let down = call(503, "http_503")
        let unreachable = call(502, ProxyCallRecord.unreachable)
        let answered = call(200, ProxyCallRecord.answered)
        let badRequest = call(400, ProxyCallRecord.answered)
        #expect(!InferenceAvailability(envelopes: []).isUnavailable)
        #expect(!InferenceAvailability(envelopes: [envelope([search, refused])]).isUnavailable)
        #expect(InferenceAvailability(envelopes: [envelope([search, refused, down]), envelope([unreachable])])
            == InferenceAvailability(attempts: 2, upstreamFailures: 2))
        #expect(InferenceAvailability(envelopes: [envelope([down]), envelope([unreachable])]).isUnavailable)
        #expect(!InferenceAvailability(envelopes: [envelope([down]), envelope([answered])]).isUnavailable)
        #expect(!InferenceAvailability(envelopes: [envelope([down, badRequest])]).isUnavailable)
    }
}
