import ArenaModel
import Foundation
import LLM
import Proxy
import Testing

/// The trusted log's half of agentic richness: every inference reply's proposed tool calls (text and native) and
/// every search dispatch's decoded arguments, written by the proxy itself.
@Suite("Proxy: proposed tool calls and dispatch arguments in the trusted log", .timeLimit(.minutes(5)))
struct ProposedCallLogTests {
    @Test func repliesProposalsAndDispatchArgumentsAreLogged() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let native: JSONValue = .object([
            ("role", "assistant"), ("content", .null),
            ("tool_calls", .array([.object([("id", "call_7"), ("type", "function"), ("function", .object([
                ("name", "view_product_information"), ("arguments", #"{"product_ids": "202"}"#)]))])])),
        ])
        let stub = try await ScriptedChatServer.start(script: ChatScript(entries: [
            ChatScript.Entry(response: .string(#"<think>look</think><tool_call>[{"name": "find_product", "parameters": {"q": "red shoe", "page": 1}}]</tool_call>"#)),
            ChatScript.Entry(response: native),
            ChatScript.Entry(response: "no tools here"),
        ]), models: ["m"])
        let logFile = dir.appendingPathComponent("calls.jsonl")
        let proxy = try await ProblemProxy.start(
            socketPath: dir.appendingPathComponent("p.sock").path, engine: StubEngine(),
            configuration: ProxyConfiguration(allowedModels: ["m"], upstreamBaseURL: stub.baseURL), log: try ProxyCallLog(file: logFile))
        let ask = #"{"model": "m", "messages": [{"role": "user", "content": "find shoes"}]}"#
        for _ in 0..<3 {
            #expect(try await ProxyTestSupport.request(proxy.socketPath, "/inference/chat/completions", method: "POST", body: ask).status == 200)
        }
        #expect(try await ProxyTestSupport.request(proxy.socketPath, "/search/find_product?q=red+shoe&page=1").status == 200)
        #expect(try await ProxyTestSupport.request(proxy.socketPath, "/search/view_product_information?product_ids=202%2C101").status == 200)
        // Refused requests carry no proposals.
        #expect(try await ProxyTestSupport.request(proxy.socketPath, "/inference/chat/completions", method: "POST",
                                                   body: #"{"model": "other"}"#).status == 403)
        let calls = await proxy.close()
        await stub.shutdown()

        #expect(calls.count == 6)
        #expect(calls[0].proposedCalls == [ProposedToolCall(name: "find_product", arguments: ["q": "red shoe", "page": 1], source: .text)])
        #expect(calls[1].proposedCalls == [ProposedToolCall(name: "view_product_information", arguments: ["product_ids": "202"],
                                                            id: "call_7", source: .native)])
        #expect(calls[2].proposedCalls == [])
        #expect(calls[3].arguments == .object([("q", "red shoe"), ("page", "1")]) && calls[3].dispatchedTool == "find_product")
        #expect(calls[4].arguments == .object([("product_ids", "202,101")]) && calls[4].dispatchedTool == "view_product_information")
        #expect(calls[5].proposedCalls == nil && calls[5].status == 403)
        #expect(calls[0].arguments == nil && calls[3].proposedCalls == nil)
        // The file (what the sandbox attaches to the envelope) holds the same records.
        #expect(ProxyCallRecord.parseLog(try String(contentsOf: logFile, encoding: .utf8)) == calls)
    }
}
