import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing

/// The validator routes over HTTP on both stores: every answer shape and error code of the claim → problems →
/// heartbeat → progress → presign/PUT → complete flow, the code download URL, and the reaper.
@Suite("Validator routes")
struct ValidatorRoutesTests {
    static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    @Test(arguments: StoreKind.allCases)
    func claimAnswersWorkIdleAndCapacity(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let v1 = try await arena.hotkey(.validator)
        let v2 = try await arena.hotkey(.validator)
        let clock = arena.clock
        let (_, problemIDs) = try await Fixtures.suite(arena, problems: 3, hiddenProblems: 1)
        try await arena.test { client in
            // Idle: 204 with no body (also with an empty JSON body).
            try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: v1.headers(clock)) { response in
                #expect(response.status == .noContent)
                #expect(response.body.readableBytes == 0)
            }
            let version = try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1,
                                                           code: "def agent_main(problem):\n    return ['x']\n")
            // The miner connected its inference credential (stored encrypted); the claim hands it to the validator.
            _ = try await arena.services.credentials.store("miner-refresh-token", forMiner: miner.address, now: clock.nowMillis())
            var runID = ""
            try await client.execute(uri: "/v1/validator/work/claim", method: .post,
                                     headers: v1.headers(clock, extra: [.contentType: "application/json"]),
                                     body: Self.body(#"{"service_versions":{"validator":"sha256:aa","sandbox":"sha256:bb"}}"#)) { response in
                #expect(response.status == .ok)
                let json = try response.json
                #expect(json.objectValue?.map(\.0) == ["eval_run_id", "agent_version_id", "suite_id", "lease_expires_at",
                                                      "code_download_url", "chutes_access_token"])
                runID = json["eval_run_id"]?.stringValue ?? ""
                #expect(json["agent_version_id"]?.stringValue == version.agentVersionID)
                #expect(json["suite_id"] == .int(1))
                #expect(json["lease_expires_at"]?.stringValue == Wire.timestamp(clock.nowMillis() + 120_000))
                #expect(json["chutes_access_token"]?.stringValue == "miner-refresh-token")
                #expect(json["code_download_url"]?.stringValue?.hasPrefix("http://127.0.0.1:8080/v1/code/") == true)
            }
            #expect(UUIDText.normalized(runID) == runID)
            let stored = try await arena.services.identities.find(v1.address)
            #expect(stored?.serviceVersions == #"{"validator":"sha256:aa","sandbox":"sha256:bb"}"#)
            #expect(stored?.lastClaimAt == clock.nowMillis())
            // The same validator again: it already holds an active run.
            try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: v1.headers(clock)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "AT_CAPACITY")
            }
            // The one slot is taken: another validator idles.
            try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: v2.headers(clock)) { response in
                #expect(response.status == .noContent)
            }
            // Problems: public suite problems in position order with metadata objects; owner only.
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/problems", method: .get, headers: v1.headers(clock)) { response in
                #expect(response.status == .ok)
                let problems = try response.json["problems"]?.arrayValue ?? []
                #expect(problems.compactMap { $0["problem_id"]?.stringValue } == problemIDs)
                #expect(problems.first?["suite_id"] == .int(1))
                #expect(problems.first?["metadata"]?["query"]?.stringValue == "red running shoes 0")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/problems", method: .get, headers: v2.headers(clock)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "NOT_RUN_OWNER")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(UUIDText.random())/problems", method: .get,
                                     headers: v1.headers(clock)) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "EVAL_RUN_NOT_FOUND")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/not-a-uuid/problems", method: .get, headers: v1.headers(clock)) { response in
                #expect(response.status == .unprocessableContent)
                #expect((response.jsonOrNull["detail"]?.arrayValue?.first?["type"]?.stringValue) == "uuid_parsing")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func codeDownloadURLServesTheAgentWhileTheRunIsActive(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        let clock = arena.clock
        try await Fixtures.suite(arena)
        let code = "def agent_main(problem):\n    return ['code-download']\n"
        try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1, code: code)
        try await arena.test { client in
            var url = ""
            var runID = ""
            try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: validator.headers(clock)) { response in
                url = response.field("code_download_url") ?? ""
                runID = response.field("eval_run_id") ?? ""
            }
            let path = String(url.dropFirst("http://127.0.0.1:8080".count))
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == code)
            }
            let forged = path.replacingOccurrences(of: "/agent.py", with: "").dropLast(4) + "0000/agent.py"
            try await client.execute(uri: String(forged), method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "ARTIFACT_NOT_FOUND")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/complete", method: .post,
                                     headers: validator.headers(clock),
                                     body: Self.body(#"{"terminal_status":"FAILED","failure_reason":"no token"}"#)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .gone)
                #expect(response.field("error_code") == "RUN_NOT_ACTIVE")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func heartbeatExtendsTheLeaseAndRefusesStrangersAndLapsedLeases(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.leaseSeconds = 60 }
        let miner = try await arena.hotkey(.miner)
        let v1 = try await arena.hotkey(.validator)
        let v2 = try await arena.hotkey(.validator)
        let clock = arena.clock
        try await Fixtures.suite(arena)
        try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
        try await arena.test { client in
            let runID = try await Self.claim(client, v1, clock)
            clock.advance(seconds: 30)
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/heartbeat", method: .post,
                                     headers: v1.headers(clock)) { response in
                #expect(response.status == .ok)
                #expect(response.field("lease_expires_at") == Wire.timestamp(clock.nowMillis() + 60_000))
            }
            #expect(try await arena.services.workQueue.run(runID)?.status == .running)
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/heartbeat", method: .post,
                                     headers: v2.headers(clock)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "NOT_RUN_OWNER")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(UUIDText.random())/heartbeat", method: .post,
                                     headers: v1.headers(clock)) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "EVAL_RUN_NOT_FOUND")
            }
            clock.advance(seconds: 61)
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/heartbeat", method: .post,
                                     headers: v1.headers(clock)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "LEASE_EXPIRED")
            }
            #expect(try await arena.services.workQueue.run(runID)?.status == .stale)
            // The freed item goes to the other validator, who completes it.
            let second = try await Self.claim(client, v2, clock)
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/complete", method: .post, headers: v1.headers(clock),
                                     body: Self.body(#"{"terminal_status":"SUCCESS","validator_score":0.9}"#)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "LEASE_EXPIRED")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(second)/complete", method: .post, headers: v2.headers(clock),
                                     body: Self.body(#"{"terminal_status":"SUCCESS","validator_score":0.25}"#)) { response in
                #expect(response.status == .ok)
                #expect(response.jsonOrNull["agent_version_became_eligible"] == .bool(true))
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(second)/heartbeat", method: .post,
                                     headers: v2.headers(clock)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "RUN_ALREADY_COMPLETE")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func progressMergesAndValidates(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let v1 = try await arena.hotkey(.validator)
        let v2 = try await arena.hotkey(.validator)
        let clock = arena.clock
        let (_, problems) = try await Fixtures.suite(arena, problems: 2, hiddenProblems: 1)
        try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
        try await arena.test { client in
            let runID = try await Self.claim(client, v1, clock)
            let uri = "/v1/validator/evaluation-runs/\(runID)/progress"
            let first = #"{"problems":[{"problem_id":"\#(problems[0])","status":"SUCCESS","score":1.0,"reasoning_score":0.8,"#
                + #""score_components_summary":{"reasoning_model":"m"},"inference_failure_count":null,"inference_total":null,"execution_time":12.5}]}"#
            try await client.execute(uri: uri, method: .post, headers: v1.headers(clock), body: Self.body(first)) { response in
                #expect(response.status == .ok)
                #expect(response.jsonOrNull == .object([("accepted", .bool(true))]))
            }
            let logs = #"{"problems":[{"problem_id":"\#(problems[0])","status":"SUCCESS","logs_s3_key":"k"}]}"#
            try await client.execute(uri: uri, method: .post, headers: v1.headers(clock), body: Self.body(logs)) { response in
                #expect(response.status == .ok)
            }
            let stored = try await arena.services.workQueue.progress(runID: runID)
            #expect(stored.first?.score == 1.0 && stored.first?.reasoningScore == 0.8 && stored.first?.logsS3Key == "k")
            #expect(stored.first?.scoreComponentsSummary == #"{"reasoning_model":"m"}"#)
            // The hidden problem is not part of a qualifying run.
            let hidden = try await arena.services.database.read { db in
                try await db.first("SELECT problem_id FROM problems WHERE is_hidden = 1")?.string("problem_id")
            } ?? ""
            try await client.execute(uri: uri, method: .post, headers: v1.headers(clock),
                                     body: Self.body(#"{"problems":[{"problem_id":"\#(hidden)","status":"RUNNING"}]}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(response.field("error_code") == "INVALID_PROBLEM_ID")
            }
            try await client.execute(uri: uri, method: .post, headers: v1.headers(clock),
                                     body: Self.body(#"{"problems":[{"problem_id":"\#(problems[1])","status":"DONE"}]}"#)) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: uri, method: .post, headers: v2.headers(clock), body: Self.body(logs)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "NOT_RUN_OWNER")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(UUIDText.random())/progress", method: .post,
                                     headers: v1.headers(clock), body: Self.body(logs)) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "EVAL_RUN_NOT_FOUND")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/complete", method: .post, headers: v1.headers(clock),
                                     body: Self.body(#"{"terminal_status":"TIMED_OUT","failure_reason":"too slow"}"#)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: uri, method: .post, headers: v1.headers(clock), body: Self.body(logs)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "RUN_ALREADY_COMPLETE")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func presignAndPutStoreTheLogOnce(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.maxUploadBytes = 1000; $0.uploadURLSeconds = 60 }
        let miner = try await arena.hotkey(.miner)
        let v1 = try await arena.hotkey(.validator)
        let v2 = try await arena.hotkey(.validator)
        let clock = arena.clock
        let (_, problems) = try await Fixtures.suite(arena, problems: 1)
        try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
        try await arena.test { client in
            let runID = try await Self.claim(client, v1, clock)
            func presign(_ who: TestHotkey, run: String, problem: String, length: Int) -> (String, HTTPFields) {
                (#"{"content_length":\#(length),"eval_run_id":"\#(run)","problem_id":"\#(problem)","content_type":"application/gzip"}"#,
                 who.headers(clock))
            }
            let cases: [(TestHotkey, String, String, Int, HTTPResponse.Status, String)] = [
                (v1, runID, problems[0], 1001, .badRequest, "FILE_TOO_LARGE"),
                (v1, UUIDText.random(), problems[0], 10, .notFound, "EVAL_RUN_NOT_FOUND"),
                (v1, runID, UUIDText.random(), 10, .notFound, "PROBLEM_NOT_FOUND"),
                (v2, runID, problems[0], 10, .conflict, "NOT_RUN_OWNER"),
            ]
            for (who, run, problem, length, status, code) in cases {
                let (json, headers) = presign(who, run: run, problem: problem, length: length)
                try await client.execute(uri: "/v1/validator/uploads/presign", method: .post, headers: headers, body: Self.body(json)) { response in
                    #expect(response.status == status)
                    #expect(response.field("error_code") == code)
                }
            }
            var uploadPath = ""
            var key = ""
            let (json, headers) = presign(v1, run: runID, problem: problems[0], length: 5)
            try await client.execute(uri: "/v1/validator/uploads/presign", method: .post, headers: headers, body: Self.body(json)) { response in
                #expect(response.status == .ok)
                let body = try response.json
                #expect(body.objectValue?.map(\.0) == ["upload_url", "results_s3_key", "expires_at", "method"])
                #expect(body["method"]?.stringValue == "PUT")
                #expect(body["expires_at"]?.stringValue == Wire.timestamp(clock.nowMillis() + 60_000))
                uploadPath = String((body["upload_url"]?.stringValue ?? "").dropFirst("http://127.0.0.1:8080".count))
                key = body["results_s3_key"]?.stringValue ?? ""
            }
            #expect(uploadPath.hasPrefix("/v1/uploads/"))
            try await client.execute(uri: uploadPath, method: .put, body: ByteBuffer(string: "abcdef")) { response in
                #expect(response.status == .badRequest)
                #expect(response.field("error_code") == "CONTENT_LENGTH_MISMATCH")
            }
            try await client.execute(uri: uploadPath, method: .put, body: ByteBuffer(string: "abc")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: uploadPath, method: .put, headers: [.contentType: "application/gzip"],
                                     body: ByteBuffer(string: "abcde")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: uploadPath, method: .put, body: ByteBuffer(string: "abcde")) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "UPLOAD_ALREADY_COMPLETE")
            }
            let object = try #require(try await arena.services.uploads.object(key))
            #expect(try await arena.services.blobs.get(object.sha256) == Array("abcde".utf8))
            try await client.execute(uri: "/v1/uploads/\(String(repeating: "0", count: 64))", method: .put,
                                     body: ByteBuffer(string: "abcde")) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "UPLOAD_NOT_FOUND")
            }
            // A slot not used in time.
            let (late, lateHeaders) = presign(v1, run: runID, problem: problems[0], length: 2)
            var latePath = ""
            try await client.execute(uri: "/v1/validator/uploads/presign", method: .post, headers: lateHeaders, body: Self.body(late)) { response in
                latePath = String((response.field("upload_url") ?? "").dropFirst("http://127.0.0.1:8080".count))
            }
            clock.advance(seconds: 61)
            try await client.execute(uri: latePath, method: .put, body: ByteBuffer(string: "ab")) { response in
                #expect(response.status == .gone)
                #expect(response.field("error_code") == "UPLOAD_EXPIRED")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func completeRecordsScoresAndMakesTheVersionEligible(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        let v1 = try await arena.hotkey(.validator)
        let v2 = try await arena.hotkey(.validator)
        let clock = arena.clock
        try await Fixtures.suite(arena)
        let version = try await Fixtures.queuedVersion(arena, miner: miner.address, required: 2)
        try await arena.test { client in
            let r1 = try await Self.claim(client, v1, clock)
            let r2 = try await Self.claim(client, v2, clock)
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(r1)/complete", method: .post, headers: v1.headers(clock),
                                     body: Self.body(#"{"terminal_status":"SUCCESS"}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(response.field("error_code") == "MISSING_SCORE")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(r1)/complete", method: .post, headers: v1.headers(clock),
                                     body: Self.body(#"{"terminal_status":"DONE"}"#)) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(r1)/complete", method: .post, headers: v2.headers(clock),
                                     body: Self.body(#"{"terminal_status":"SUCCESS","validator_score":0.5}"#)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "NOT_RUN_OWNER")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(UUIDText.random())/complete", method: .post,
                                     headers: v1.headers(clock),
                                     body: Self.body(#"{"terminal_status":"SUCCESS","validator_score":0.5}"#)) { response in
                #expect(response.status == .notFound)
                #expect(response.field("error_code") == "EVAL_RUN_NOT_FOUND")
            }
            let success = #"{"terminal_status":"SUCCESS","validator_score":0.6,"score_components":{"success_rate":0.75,"#
                + #""reasoning_quality":0.7,"reasoning_coefficient":0.8},"results_s3_key":"r1","sandbox_metadata":{"exit_code":0}}"#
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(r1)/complete", method: .post, headers: v1.headers(clock),
                                     body: Self.body(success)) { response in
                #expect(response.status == .ok)
                #expect(response.jsonOrNull == .object([
                    ("eval_run_id", .string(r1)), ("status", "SUCCESS"),
                    ("work_item", .object([("included_success_count", 1), ("required_successes", 2), ("is_closed", false)])),
                    ("agent_version_became_eligible", false), ("final_score", .null),
                ]))
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(r1)/complete", method: .post, headers: v1.headers(clock),
                                     body: Self.body(success)) { response in
                #expect(response.status == .conflict)
                #expect(response.field("error_code") == "RUN_ALREADY_COMPLETE")
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(r2)/complete", method: .post, headers: v2.headers(clock),
                                     body: Self.body(#"{"terminal_status":"SUCCESS","validator_score":0.8}"#)) { response in
                #expect(response.status == .ok)
                let json = try response.json
                #expect(json["work_item"]?["is_closed"] == .bool(true))
                #expect(json["agent_version_became_eligible"] == .bool(true))
                #expect(abs((json["final_score"]?.numberValue ?? 0) - 0.7) < 1e-9)
            }
            let row = try await arena.services.database.read { db in
                try await db.first("SELECT r.reasoning_quality, r.reasoning_coefficient, v.state FROM evaluation_runs r JOIN agent_versions v ON v.agent_version_id = r.agent_version_id WHERE r.eval_run_id = ?",
                                   [.text(r1)])
            }
            #expect(row?.optionalDouble("reasoning_quality") == 0.7)
            #expect(row?.optionalDouble("reasoning_coefficient") == 0.8)
            #expect(row?.optionalString("state") == "ELIGIBLE")
            _ = version
        }
    }

    @Test(arguments: StoreKind.allCases)
    func twentyValidatorsClaimingAtOnceOverHTTPGetDistinctRuns(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let miner = try await arena.hotkey(.miner)
        var validators: [TestHotkey] = []
        for _ in 0..<20 { validators.append(try await arena.hotkey(.validator)) }
        try await Fixtures.suite(arena)
        var items: Set<String> = []
        for index in 0..<9 {
            items.insert(try await Fixtures.queuedVersion(arena, miner: miner.address, name: "a\(index)", required: 2).workItemID)
        }
        let clock = arena.clock
        let all = validators
        let queued = items
        try await arena.test { client in
            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for validator in all {
                    group.addTask {
                        try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: validator.headers(clock)) { response in
                            (Int(response.status.code), response.field("eval_run_id"))
                        }
                    }
                }
                var out: [(Int, String?)] = []
                for try await answer in group { out.append(answer) }
                return out
            }
            #expect(answers.filter { $0.0 == 200 }.count == 18)
            #expect(answers.filter { $0.0 == 204 }.count == 2)
            let runIDs = answers.compactMap(\.1)
            #expect(Set(runIDs).count == 18)
            let perItem = try await arena.services.database.read { db in
                try await db.query("SELECT work_item_id, COUNT(*) AS n, COUNT(DISTINCT validator_hotkey) AS v FROM evaluation_runs GROUP BY work_item_id", [])
            }
            #expect(Set(perItem.compactMap { $0.optionalString("work_item_id") }) == queued)
            for row in perItem {
                #expect(row.optionalInt("n") == 2)
                #expect(row.optionalInt("v") == 2)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theReaperMarksLapsedRunsStale(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.leaseSeconds = 30 }
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        try await Fixtures.suite(arena)
        try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
        let reaper = LeaseReaper(services: arena.services)
        let clock = arena.clock
        try await arena.test { client in
            let runID = try await Self.claim(client, validator, clock)
            #expect(try await reaper.reapOnce(now: clock.nowMillis() + 30_000) == 0)
            #expect(try await reaper.reapOnce(now: clock.nowMillis() + 30_001) == 1)
            #expect(try await arena.services.workQueue.run(runID)?.status == .stale)
            #expect(reaper.stats.reapedTotal == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBackendRestartMidEvaluationLosesNothing(kind: StoreKind) async throws {
        let location = try await ReopenableLocation.make(kind)
        let clock = ManualClock()
        let blobs = try TestDatabases.blobs()
        func services() async throws -> BackendServices {
            BackendServices(database: try await location.open(now: clock.nowMillis()), blobs: blobs, clock: clock)
        }
        let current = try await services()
        let arena = TestArena(services: current, clock: clock, kind: kind)
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        let (_, problems) = try await Fixtures.suite(arena)
        let version = try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
        // The claim happens on the first backend, whose database is then closed.
        let claimed = try await current.workQueue.claim(validator: validator.address, serviceVersions: nil, now: clock.nowMillis())
        let runID = try #require(claimed?.evalRunID)
        await current.database.close()

        let second = try await services()
        try await TestArena(services: second, clock: clock, kind: kind).test { client in
            clock.advance(seconds: 30)
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/heartbeat", method: .post,
                                     headers: validator.headers(clock)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/progress", method: .post, headers: validator.headers(clock),
                                     body: Self.body(#"{"problems":[{"problem_id":"\#(problems[0])","status":"SUCCESS","score":1.0}]}"#)) { response in
                #expect(response.status == .ok)
            }
        }

        let third = try await services()
        try await TestArena(services: third, clock: clock, kind: kind).test { client in
            clock.advance(seconds: 30)
            try await client.execute(uri: "/v1/validator/evaluation-runs/\(runID)/complete", method: .post, headers: validator.headers(clock),
                                     body: Self.body(#"{"terminal_status":"SUCCESS","validator_score":0.55}"#)) { response in
                #expect(response.status == .ok)
                #expect(response.jsonOrNull["final_score"] == .double(0.55))
            }
            let progress = try await third.workQueue.progress(runID: runID)
            #expect(progress.map(\.problemID) == [problems[0]] && progress.first?.score == 1.0)
            let state = try await third.database.read { db in
                try await db.first("SELECT state FROM agent_versions WHERE agent_version_id = ?", [.text(version.agentVersionID)])?
                    .optionalString("state")
            }
            #expect(state == "ELIGIBLE")
        }
    }

    /// Claims work for `validator` and returns the run id (fails the test when there is none).
    static func claim(_ client: any TestClientProtocol, _ validator: TestHotkey, _ clock: ManualClock) async throws -> String {
        var runID: String?
        try await client.execute(uri: "/v1/validator/work/claim", method: .post, headers: validator.headers(clock)) { response in
            #expect(response.status == .ok)
            runID = response.field("eval_run_id")
        }
        return try #require(runID)
    }
}

/// A database location that survives closing: a SQLite file or a PostgreSQL database URL.
struct ReopenableLocation: Sendable {
    let kind: StoreKind
    let location: String

    static func make(_ kind: StoreKind) async throws -> ReopenableLocation {
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-restart-\(UUID().uuidString)")
            return ReopenableLocation(kind: kind, location: folder.appendingPathComponent("arena.sqlite").path)
        case .postgres:
            return ReopenableLocation(kind: kind, location: try await PostgresTestServer.shared.freshDatabaseURL())
        }
    }

    func open(now: Int64) async throws -> any SQLDatabase {
        let database: any SQLDatabase = switch kind {
        case .sqlite: try SQLiteDatabase(path: location)
        case .postgres: try PostgresDatabase(url: location, maxConnections: 10)
        }
        try await Migrator().migrate(database, now: now)
        return database
    }
}

extension TestResponse {
    /// The body as JSON, or `.null` when it is not JSON (non-throwing, for use inside `#expect`).
    var jsonOrNull: JSONValue { (try? json) ?? .null }
}
