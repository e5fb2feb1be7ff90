import ArenaModel
import AsyncHTTPClient
import Foundation
import LLM
import NIOCore
import NIOHTTP1
import Testing

@Suite("LLM stub (scripted chat server)", .timeLimit(.minutes(5)))
struct ScriptedChatServerTests {
    struct Reply {
        var status: Int
        var json: JSONValue
    }

    static func post(_ url: String, _ body: String) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), json: try JSONParser.parse(String(buffer: bytes)))
    }

    static func chat(_ user: String, model: String = "m1") -> String {
        JSONWriter().string(
            .object([
                ("model", .string(model)),
                ("messages", [.object([("role", "system"), ("content", "be brief")]), .object([("role", "user"), ("content", .string(user))])]),
                ("temperature", .int(0)),
            ]))
    }

    @Test("ordered lines answer in file order with usage; an exhausted script answers 500 unscripted_request")
    func orderedThenUnscripted() async throws {
        let script = try ChatScript(jsonl: """
            {"response": "first answer"}
            # a comment
            {"response": {"content": "second", "reasoning_content": "because so"}}
            """)
        let server = try await ScriptedChatServer.start(script: script)
        defer { Task { await server.shutdown() } }
        let a = try await Self.post(server.baseURL + "/chat/completions", Self.chat("hello there"))
        #expect(a.status == 200)
        #expect(a.json["object"]?.stringValue == "chat.completion")
        #expect(a.json["model"]?.stringValue == "m1")
        let message = a.json["choices"]?.arrayValue?.first?["message"]
        #expect(message?["role"]?.stringValue == "assistant")
        #expect(message?["content"]?.stringValue == "first answer")
        // prompt: "be brief" + "hello there" = 4 words; completion: 2 words.
        #expect(a.json["usage"]?["prompt_tokens"]?.intValue == 4)
        #expect(a.json["usage"]?["completion_tokens"]?.intValue == 2)
        #expect(a.json["usage"]?["total_tokens"]?.intValue == 6)

        let rootURL = server.baseURL.replacingOccurrences(of: "/v1", with: "")
        let b = try await Self.post(rootURL + "/chat/completions", Self.chat("again"))
        #expect(b.json["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == "second")
        #expect(b.json["choices"]?.arrayValue?.first?["message"]?["reasoning_content"]?.stringValue == "because so")
        #expect(b.json["usage"]?["completion_tokens"]?.intValue == 3)

        let c = try await Self.post(server.baseURL + "/chat/completions", Self.chat("one more"))
        #expect(c.status == 500)
        #expect(c.json["error"]?["type"]?.stringValue == "unscripted_request")
        #expect(c.json["error"]?["message"]?.stringValue?.contains("one more") == true)
        #expect(server.answered == 2)
        #expect(server.player.remaining == 0)
    }

    @Test("match lines answer by the last user message, each once, before ordered lines")
    func matching() async throws {
        let script = try ChatScript(jsonl: """
            {"response": "ordered"}
            {"response": "shoes 1", "match": "shoes"}
            {"response": "shoes 2", "match": "shoes"}
            {"response": "hat", "match": "hat"}
            """)
        let server = try await ScriptedChatServer.start(script: script)
        defer { Task { await server.shutdown() } }
        let url = server.baseURL + "/chat/completions"
        func content(_ user: String) async throws -> String? {
            try await Self.post(url, Self.chat(user)).json["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue
        }
        #expect(try await content("a red hat please") == "hat")
        #expect(try await content("red shoes") == "shoes 1")
        #expect(try await content("more shoes") == "shoes 2")
        #expect(try await content("shoes again") == "ordered")
        #expect(try await Self.post(url, Self.chat("shoes")).status == 500)
    }

    @Test("/v1/models lists the configured models; a body without messages is a 400")
    func modelsAndBadRequest() async throws {
        let server = try await ScriptedChatServer.start(script: ChatScript(entries: []), models: ["a", "b"])
        defer { Task { await server.shutdown() } }
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: server.baseURL + "/models"), timeout: .seconds(10))
        let json = try JSONParser.parse(String(buffer: try await response.body.collect(upTo: 1 << 16)))
        #expect(json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["a", "b"])
        #expect(try await Self.post(server.baseURL + "/chat/completions", #"{"model":"a"}"#).status == 400)
    }

    @Test("script errors name the line")
    func scriptErrors() {
        #expect(throws: ChatScriptError.invalidLine(2, #"expected an object with a "response" field"#)) {
            try ChatScript(jsonl: "{\"response\": \"ok\"}\n{\"match\": \"x\"}")
        }
        #expect(throws: ChatScriptError.self) { try ChatScript(jsonl: "{\"response\": \"ok\", \"match\": 3}") }
        #expect(throws: ChatScriptError.self) { try ChatScript(jsonl: "not json") }
    }
}
