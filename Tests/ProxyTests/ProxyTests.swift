import ArenaModel
import Foundation
import Proxy
import Testing

@Suite("Proxy: routes, status codes, allowlist, rate limit, trusted log", .timeLimit(.minutes(5)))
struct ProxyTests {
    let models = ["deepseek-ai/DeepSeek-V3.2-TEE", "Qwen/Qwen3-32B-TEE"]

    @Test("find_product and view_product_information are served and logged with the product ids")
    func search() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let logFile = dir.appendingPathComponent("calls.jsonl")
        let proxy = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("p.sock").path, engine: StubEngine(),
            configuration: ProxyConfiguration(allowedModels: models), log: try ProxyCallLog(file: logFile))
        let find = try await ProxyTestSupport.request(proxy.socketPath, "/search/find_product?q=red+shoe&page=1")
        #expect(find.status == 200)
        let ids = find.json?.arrayValue?.compactMap { $0["product_id"]?.stringValue }
        #expect(ids == ["101", "202"])
        let view = try await ProxyTestSupport.request(proxy.socketPath, "/search/view_product_information?product_ids=202")
        #expect(view.status == 200)
        #expect(view.json?.arrayValue?.first?["short_description"]?.stringValue == "warm")
        #expect(view.json?.arrayValue?.first?["title"] == nil)
        let calls = await proxy.close()
        #expect(calls.count == 2)
        #expect(calls[0].path == "/search/find_product")
        #expect(calls[0].query == "q=red+shoe&page=1")
        #expect(calls[0].productIDs == ["101", "202"])
        #expect(calls[0].status == 200)
        #expect(calls[1].productIDs == ["202"])
        #expect(calls.allSatisfy { $0.timestamp > 1_600_000_000_000 })
        // The file holds the same records.
        let fromFile = ProxyCallRecord.parseLog(try String(contentsOf: logFile, encoding: .utf8))
        #expect(fromFile == calls)
    }

    @Test("everything else is 403 forbidden, get_product_raw included")
    func forbidden() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let proxy = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("p.sock").path, engine: StubEngine(),
            configuration: ProxyConfiguration(allowedModels: models))
        for uri in ["/", "/search/get_product_raw?product_ids=101", "/v1/public/inference/models", "/etc/passwd",
                    "/inference/models"] {
            let reply = try await ProxyTestSupport.request(proxy.socketPath, uri)
            #expect(reply.status == 403, "\(uri)")
            #expect(reply.json == .object([("error", .string("forbidden"))]), "\(uri)")
        }
        let health = try await ProxyTestSupport.request(proxy.socketPath, "/health")
        #expect(health.status == 200)
        #expect(health.body == "healthy\n")
        let calls = await proxy.close()
        #expect(calls.map(\.status) == [403, 403, 403, 403, 403, 200])
    }

    @Test("inference requests are validated with the reference's status codes and bodies")
    func inferenceValidation() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = "/inference/chat/completions"
        let proxy = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("p.sock").path, engine: StubEngine(),
            configuration: ProxyConfiguration(allowedModels: models, upstreamBaseURL: "http://127.0.0.1:9/v1"))
        let cases: [(String?, Int, JSONValue)] = [
            (nil, 400, .object([("error", .string("Missing or unreadable request body"))])),
            ("{not json", 400, .object([("error", .string("Invalid JSON in request body"))])),
            (#"{"messages": []}"#, 400, .object([("error", .string("Missing 'model' field in request body"))])),
            (#"{"model": "Qwen/Qwen3-32B-TEE", "stream": true}"#, 400,
             .object([("error", .string("Streaming is not supported through the proxy"))])),
            (#"{"model": "gpt-5", "messages": []}"#, 403,
             .object([("error", .string("Model 'gpt-5' is not allowed")), ("allowed_models", .array(models.map(JSONValue.string)))])),
        ]
        for (body, status, expected) in cases {
            let reply = try await ProxyTestSupport.request(proxy.socketPath, path, method: "POST", body: body)
            #expect(reply.status == status, "\(body ?? "nil")")
            #expect(reply.json == expected, "\(body ?? "nil"): \(reply.body)")
        }
        let calls = await proxy.close()
        #expect(calls.map(\.status) == [400, 400, 400, 400, 403])
        #expect(calls.last?.model == "gpt-5")
    }

    @Test("without an allowlist inference fails closed with 503")
    func allowlistUnavailable() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let proxy = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("p.sock").path, engine: StubEngine(),
            configuration: ProxyConfiguration(allowedModels: nil, upstreamBaseURL: "http://127.0.0.1:9/v1"))
        let reply = try await ProxyTestSupport.request(
            proxy.socketPath, "/inference/chat/completions", method: "POST", body: #"{"model": "m", "messages": []}"#)
        #expect(reply.status == 503)
        #expect(reply.json == .object([("error", .string("Inference allowlist unavailable"))]))
        _ = await proxy.close()
    }

    @Test("an allowed model is forwarded upstream with the run's key, which never reaches the log")
    func inferenceForward() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let upstream = try await StubUpstream.start()
        let logFile = dir.appendingPathComponent("calls.jsonl")
        let proxy = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("p.sock").path, engine: StubEngine(),
            configuration: ProxyConfiguration(allowedModels: models, upstreamBaseURL: upstream.baseURL, apiKey: "run-secret-key"),
            log: try ProxyCallLog(file: logFile))
        let body = #"{"model": "Qwen/Qwen3-32B-TEE", "messages": [{"role": "user", "content": "hi"}], "temperature": 0}"#
        let reply = try await ProxyTestSupport.request(
            proxy.socketPath, "/inference/chat/completions", method: "POST", body: body,
            headers: [("Authorization", "Bearer agent-token")])
        #expect(reply.status == 200)
        #expect(reply.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == "hello")
        #expect(upstream.authorizations == ["Bearer run-secret-key"])
        #expect(upstream.bodies == [body])
        let calls = await proxy.close()
        await upstream.stop()
        #expect(calls.count == 1)
        #expect(calls[0].model == "Qwen/Qwen3-32B-TEE")
        #expect(calls[0].usage == ProxyCallRecord.Usage(promptTokens: 11, completionTokens: 3, totalTokens: 14))
        #expect(calls[0].isInference && calls[0].succeeded)
        let text = try String(contentsOf: logFile, encoding: .utf8)
        #expect(!text.contains("run-secret-key"))
        #expect(!text.contains("agent-token"))
    }

    @Test("requests beyond the burst are refused with 429")
    func rateLimit() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let proxy = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("p.sock").path, engine: StubEngine(),
            configuration: ProxyConfiguration(allowedModels: models, ratePerSecond: 0.001, burst: 3))
        var statuses: [Int] = []
        for _ in 0..<5 {
            statuses.append(try await ProxyTestSupport.request(proxy.socketPath, "/search/find_product?q=x").status)
        }
        #expect(statuses == [200, 200, 200, 429, 429])
        let calls = await proxy.close()
        #expect(calls.map(\.status) == statuses)
    }
}
