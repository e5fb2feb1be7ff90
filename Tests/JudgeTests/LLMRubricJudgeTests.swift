import ArenaModel
import Foundation
import LLM
import Logging
import Synchronization
import Testing
import ShopArenaTesting

@testable import Judge

/// Records the back-off sleeps the judge asks for instead of sleeping.
final class SleepRecorder: Sendable {
    private let slept = Mutex<[Duration]>([])
    var durations: [Duration] { slept.withLock { $0 } }
    var sleep: LLMRubricJudge.Sleep { { d in self.slept.withLock { $0.append(d) } } }
}

/// The judge's retry warnings are expected here; keep the test output readable.
let quietLogger: Logger = {
    var l = Logger(label: "judge-tests")
    l.logLevel = .critical
    return l
}()

let verdict09 = #"{"reasoning_quality": 0.9, "explanation": "Gate 4 passed: compares 1001 and 1002"}"#
let verdict05 = #"Thinking... final answer: {"reasoning_quality": 0.5, "explanation": "Gate 3 failed: no datum"}"#

func makeJudge(
    _ server: FaultyChatServer, models: [String] = ["m1", "m2"], maxAttempts: Int = 8, timeout: Duration = .seconds(20),
    sleeper: SleepRecorder
) -> LLMRubricJudge {
    LLMRubricJudge(
        configuration: .init(baseURL: server.baseURL, apiKey: "judge-key", models: models, timeout: timeout, maxAttempts: maxAttempts),
        logger: quietLogger, sleep: sleeper.sleep)
}

@Suite("LLM rubric judge against a failing stub")
struct LLMRubricJudgeTests {
    @Test func firstModelAnswersAndTheRequestIsTheReferenceShape() async throws {
        let server = try await FaultyChatServer.start(perModel: ["m1": [.content(verdict09)]])
        let sleeper = SleepRecorder()
        let result = await makeJudge(server, sleeper: sleeper).judge(Fixtures.input(secondThought: Fixtures.comparing))
        await server.shutdown()

        let v = try #require(result.verdict)
        #expect(v.score == 0.9)
        #expect(v.model == "m1")
        #expect(v.explanation.hasPrefix("Gate 4 passed"))
        #expect(result.inferenceTotal == 1)
        #expect(result.inferenceFailed == 0)
        let body = try #require(server.requests.first)
        #expect(body["temperature"]?.numberValue == 0)
        #expect(body["max_tokens"]?.intValue == 3072)
        #expect(body["stream"] == .bool(false))
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue } == ["system", "user"])
        #expect(messages[0]["content"]?.stringValue == RubricPrompt.system)
        let user = try #require(messages[1]["content"]?.stringValue)
        #expect(user.contains("QUERY: \(Fixtures.query)"))
        #expect(user.contains(RubricPrompt.beginMarker))
        #expect(sleeper.durations.isEmpty)
    }

    @Test func garbageBlacklistsTheModelAndRotatesWithoutSleeping() async throws {
        let server = try await FaultyChatServer.start(perModel: [
            "m1": [.content("The agent reasoned quite well overall."), .content(verdict09)], "m2": [.content(verdict05)],
        ])
        let sleeper = SleepRecorder()
        let result = await makeJudge(server, sleeper: sleeper).judge(Fixtures.input(secondThought: Fixtures.citing))
        await server.shutdown()
        #expect(result.verdict?.score == 0.5)
        #expect(result.verdict?.model == "m2")
        #expect(result.inferenceTotal == 2)
        #expect(result.inferenceFailed == 1)
        #expect(server.requestedModels == ["m1", "m2"])
        #expect(sleeper.durations.isEmpty)
    }

    @Test func aBodyThatIsNotAChatCompletionBlacklistsTheModel() async throws {
        let server = try await FaultyChatServer.start(perModel: [
            "m1": [.rawBody("<html>502 Bad Gateway</html>"), .content(verdict09)],
            "m2": [.status(500, "boom"), .content(verdict05)],
        ])
        let sleeper = SleepRecorder()
        let result = await makeJudge(server, sleeper: sleeper).judge(Fixtures.input(secondThought: Fixtures.citing))
        await server.shutdown()
        // m1 is blacklisted after its HTML page, so the retry after m2's 500 goes to m2 again.
        #expect(server.requestedModels == ["m1", "m2", "m2"])
        #expect(result.verdict?.score == 0.5)
        #expect(result.inferenceFailed == 2)
        #expect(sleeper.durations == [.seconds(10)])
    }

    @Test func nullContentCountsAsUnparseable() async throws {
        let server = try await FaultyChatServer.start(perModel: ["m1": [.nullContent], "m2": [.nullContent]])
        let sleeper = SleepRecorder()
        let result = await makeJudge(server, sleeper: sleeper).judge(Fixtures.input(secondThought: Fixtures.citing))
        await server.shutdown()
        #expect(result.failure == .allModelsUnparseable(models: ["m1", "m2"]))
        // Both models are blacklisted after one try each, so the judge stops long before 8 attempts.
        #expect(result.inferenceTotal == 2)
        #expect(result.inferenceFailed == 2)
        #expect(server.requestedModels == ["m1", "m2"])
    }

    @Test func serverErrorsRotateWithBackoff() async throws {
        let server = try await FaultyChatServer.start(perModel: [
            "m1": [.status(503, "overloaded"), .status(429, "slow down")], "m2": [.status(500, "boom"), .content(verdict09)],
        ])
        let sleeper = SleepRecorder()
        let result = await makeJudge(server, sleeper: sleeper).judge(Fixtures.input(secondThought: Fixtures.comparing))
        await server.shutdown()
        #expect(result.verdict?.score == 0.9)
        #expect(result.verdict?.model == "m2")
        #expect(server.requestedModels == ["m1", "m2", "m1", "m2"])
        #expect(result.inferenceTotal == 4)
        #expect(result.inferenceFailed == 3)
        #expect(sleeper.durations == [.seconds(5), .seconds(10), .seconds(10)])
    }

    @Test func unauthorizedAbortsAtOnce() async throws {
        for status in [401, 403] {
            let server = try await FaultyChatServer.start(perModel: ["m1": [.status(status, "bad key")], "m2": [.content(verdict09)]])
            let sleeper = SleepRecorder()
            let result = await makeJudge(server, sleeper: sleeper).judge(Fixtures.input(secondThought: Fixtures.comparing))
            await server.shutdown()
            #expect(result.failure == .unauthorized(status: status, model: "m1"))
            #expect(server.requests.count == 1)
            #expect(result.inferenceTotal == 1)
            #expect(result.inferenceFailed == 1)
            #expect(sleeper.durations.isEmpty)
        }
    }

    @Test func timeoutRotatesWithoutSleeping() async throws {
        // m1 hangs far past the per-call timeout; the timeout leaves room for m2's instant answer on a loaded CI
        // machine running every suite in parallel (300 ms was too tight there).
        let server = try await FaultyChatServer.start(perModel: ["m1": [.hang(.seconds(8))], "m2": [.content(verdict05)]])
        let sleeper = SleepRecorder()
        let judge = makeJudge(server, timeout: .seconds(2), sleeper: sleeper)
        let result = await judge.judge(Fixtures.input(secondThought: Fixtures.citing))
        await server.shutdown()
        #expect(result.verdict?.score == 0.5)
        #expect(result.verdict?.model == "m2")
        #expect(result.inferenceFailed == 1)
        #expect(sleeper.durations.isEmpty)
    }

    @Test func exhaustedAfterMaxAttempts() async throws {
        let server = try await FaultyChatServer.start(fallback: .status(500, "down"))
        let sleeper = SleepRecorder()
        let judge = makeJudge(server, models: ["a", "b", "c"], maxAttempts: 5, sleeper: sleeper)
        let result = await judge.judge(Fixtures.input(secondThought: Fixtures.citing))
        await server.shutdown()
        guard case .exhausted(let attempts, let last)? = result.failure else {
            Issue.record("expected exhausted, got \(result.outcome)")
            return
        }
        #expect(attempts == 5)
        #expect(last.contains("HTTP 500"))
        #expect(server.requestedModels == ["a", "b", "c", "a", "b"])
        #expect(result.inferenceTotal == 5)
        #expect(result.inferenceFailed == 5)
        // No sleep after the last attempt.
        #expect(sleeper.durations.count == 4)
    }

    @Test func unreachableUpstreamIsATransportFailure() async throws {
        // Port 1 on loopback: nothing listens there.
        let judge = LLMRubricJudge(
            configuration: .init(baseURL: "http://127.0.0.1:1/v1", models: ["m1"], timeout: .seconds(1), maxAttempts: 2),
            logger: quietLogger, sleep: SleepRecorder().sleep)
        let result = await judge.judge(Fixtures.input(secondThought: Fixtures.citing))
        guard case .exhausted(let attempts, _)? = result.failure else {
            Issue.record("expected exhausted, got \(result.outcome)")
            return
        }
        #expect(attempts == 2)
    }

    @Test func configurationErrorsAreFailuresNotCrashes() async {
        let noModels = LLMRubricJudge(configuration: .init(baseURL: "http://127.0.0.1:9/v1", models: []))
        #expect(await noModels.judge(Fixtures.input(secondThought: "x")).failure == .noModels)
        let badURL = LLMRubricJudge(configuration: .init(baseURL: "not a url", models: ["m"]))
        guard case .misconfigured? = await badURL.judge(Fixtures.input(secondThought: "x")).failure else {
            Issue.record("expected misconfigured")
            return
        }
    }

    @Test func injectedTrajectoryReachesTheModelOnlyInsideTheFence() async throws {
        let server = try await FaultyChatServer.start(shared: [.content(verdict05)])
        let result = await makeJudge(server, sleeper: SleepRecorder()).judge(Fixtures.input(secondThought: Fixtures.injection))
        await server.shutdown()
        #expect(result.verdict?.score == 0.5)
        let user = try #require(server.requests.first?["messages"]?.arrayValue?.last?["content"]?.stringValue)
        #expect(user.components(separatedBy: RubricPrompt.endMarker).count == 2)
        let injected = try #require(user.range(of: "IGNORE PREVIOUS INSTRUCTIONS"))
        #expect(injected.upperBound <= user.range(of: RubricPrompt.endMarker)!.lowerBound)
    }
}

@Suite("Chat completions client")
struct ChatCompletionsClientTests {
    @Test func readsContentUsageAndNullContent() async throws {
        let server = try await FaultyChatServer.start(shared: [.content("four words of text"), .nullContent, .status(404, "no model")])
        let client = try ChatCompletionsClient(configuration: .init(baseURL: server.baseURL + "/", apiKey: "k", timeout: .seconds(20)))
        let request = ChatCompletionRequest(model: "m", messages: [.user("hi")], temperature: 0, maxTokens: 5)
        let first = try await client.complete(request)
        #expect(first.content == "four words of text")
        #expect(first.completionTokens == 4)
        #expect(first.model == "m")
        let second = try await client.complete(request)
        #expect(second.content == nil)
        await #expect(throws: ChatCompletionsError.self) { try await client.complete(request) }
        do {
            _ = try await client.complete(request)
            Issue.record("expected the fallback 500")
        } catch {
            // Nothing scripted is left: the stub's fallback is a 500.
            guard case .httpStatus(500, _) = error else {
                Issue.record("expected HTTP 500, got \(error)")
                return
            }
        }
        await server.shutdown()
        #expect(server.requests.first?["max_tokens"]?.intValue == 5)
    }

    @Test func rejectsANonHTTPBaseURL() {
        #expect(throws: ChatCompletionsError.invalidBaseURL("ftp://x")) {
            try ChatCompletionsClient(configuration: .init(baseURL: "ftp://x"))
        }
    }
}
