import ArenaClient
import ArenaModel
import Foundation
import Scoring
import Testing
@testable import Validator

@Suite("Validator parts")
struct ValidatorPartsTests {
    @Test func storedGzipIsReadByPythonsGzip() throws {
        let text = String(repeating: "{\"problem_id\":\"p\",\"dialogue\":[]}\n", count: 5000)  // > one 64 KiB block
        let gz = StoredGzip.wrap(Array(text.utf8))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString).gz")
        try Data(gz).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import gzip,sys,hashlib; d=gzip.decompress(open(sys.argv[1],'rb').read()); print(len(d), hashlib.sha256(d).hexdigest())", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.hasPrefix("\(text.utf8.count) "))
        #expect(StoredGzip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    /// A dialogue ORO's scorer cannot score is reported FAILED (never SUCCESS, never TIMED_OUT), and the reason
    /// travels in the problem's score components to the backend and the miner.
    @Test func anUnscorableDialogueIsReportedFailedWithItsReason() async throws {
        let problem = try Problem(json: try JSONParser.parse(
            #"{"query": "q", "category": "Product", "reward": {"product_id": "GT", "title": ["t"]}}"#))
        let step: JSONValue = ["completion": ["message": ["think": "t", "response": .null]], "extra_info": ["timestamp": 1]]
        let envelope = Envelope(problemID: problem.id, status: .success, dialogue: [step])
        let score = await OutcomeScorer(profile: .oro, products: ProductDictionary([]), similarity: NoTitleSimilarity())
            .score(problem, envelope: envelope)
        #expect(RunEvaluator.problemStatus(envelope, score: score) == "FAILED")
        #expect(RunEvaluator.problemStatus(envelope) == "SUCCESS")
        #expect(score.json["failure_reason"]?["code"] == "malformed_message_part")
    }

    @Test func backoffDoublesToTheCapWithJitterAndResets() {
        var backoff = Backoff(initial: 5, maximum: 300)
        let delays = (0..<10).map { _ in backoff.next() }
        #expect(delays[0] >= 2.5 && delays[0] <= 5)
        #expect(delays[3] >= 20 && delays[3] <= 40)
        #expect(delays[9] >= 150 && delays[9] <= 300)
        backoff.reset()
        #expect(backoff.next() <= 5)
    }

    @Test func retryQueueSurvivesARestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rq-\(UUID().uuidString)/queue.json")
        let queue = RetryQueue(path: path)
        await queue.add(evalRunID: "run-1", body: .object([("terminal_status", "SUCCESS"), ("validator_score", 0.5)]))
        await queue.add(evalRunID: "run-2", body: .object([("terminal_status", "FAILED"), ("failure_reason", "x")]))
        let reopened = RetryQueue(path: path)
        let entries = await reopened.entries
        #expect(entries.map(\.evalRunID) == ["run-1", "run-2"])
        #expect(entries[0].body["validator_score"]?.numberValue == 0.5)
    }

    @Test func metricsRenderInPrometheusTextFormat() {
        let metrics = ValidatorMetrics()
        metrics.claim("success")
        metrics.claim("empty")
        metrics.claim("empty")
        metrics.heartbeat("failure")
        metrics.problem(status: "SUCCESS", seconds: 12)
        let text = metrics.prometheusText()
        #expect(text.contains("validator_claim_work_total{result=\"empty\"} 2"))
        #expect(text.contains("validator_heartbeat_total{result=\"failure\"} 1"))
        #expect(text.contains("validator_sandbox_duration_seconds_bucket{le=\"30\"} 1"))
        #expect(text.contains("validator_sandbox_duration_seconds_bucket{le=\"5\"} 0"))
        #expect(text.contains("validator_problems_total{status=\"SUCCESS\"} 1"))
    }

    @Test func clientErrorsAreClassifiedAsTheLoopNeeds() {
        #expect(BackendClientError.http(status: 409, code: "LEASE_EXPIRED", detail: "").isLeaseLost)
        #expect(BackendClientError.http(status: 404, code: "EVAL_RUN_NOT_FOUND", detail: "").isLeaseLost)
        #expect(!BackendClientError.http(status: 409, code: "AT_CAPACITY", detail: "").isLeaseLost)
        #expect(BackendClientError.http(status: 403, code: "BANNED", detail: "hotkey x is banned").isBanned)
        #expect(BackendClientError.connection("refused").isTransient)
        #expect(BackendClientError.http(status: 503, code: nil, detail: "").isTransient)
        #expect(!BackendClientError.http(status: 400, code: "MISSING_SCORE", detail: "").isTransient)
    }
}
