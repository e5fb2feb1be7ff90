import ArenaModel
@testable import Corpus
import Testing

/// One fixture per dialect: the same trajectory (search, view, recommend, terminate) written four ways normalises
/// to the same tool-call chat and passes the filter.
@Suite("Dialogue normaliser")
struct NormaliserTests {
    /// (name, arguments, result) of every call, in order, plus the tool messages' answered ids.
    static func shape(_ chat: ChatTrajectory) -> [String] {
        var out: [String] = []
        for message in chat.messages {
            switch message.role {
            case .assistant:
                for call in message.toolCalls { out.append("call \(call.name) \(JSONWriter(sortKeys: true).string(call.arguments)) #\(call.id)") }
            case .tool: out.append("result #\(message.toolCallID ?? "?") \(message.content)")
            default: out.append(message.role.rawValue)
            }
        }
        return out
    }

    @Test func oroMessageDialect() throws {
        let chat = try #require(DialogueNormaliser.normalise(dialogue: .array(Fixture.goodSteps), query: Fixture.query))
        #expect(chat.dialect == .oroMessage)
        #expect(chat.messages.count == 2 + 4 * 2)
        #expect(chat.messages[1] == ChatMessage(role: .user, content: Fixture.query))
        let first = chat.messages[2]
        #expect(first.role == .assistant && first.reasoning == "Search first." && first.content == "")
        #expect(first.toolCalls == [ChatToolCall(id: "call_1_1", name: "find_product", arguments: ["q": "red running shoes", "page": 1])])
        #expect(chat.messages[3] == ChatMessage(role: .tool, content: #"[{"product_id":"101","title":"Red runner","price":299}]"#,
                                                toolCallID: "call_1_1", name: "find_product"))
        #expect(chat.messages[8].content == "Here it is.")
        #expect(StructuralFilter.check(chat, catalog: .unchecked).reasons == [])
        // The OpenAI row: reasoning_content, tool_calls with JSON-text arguments, tool messages with ids.
        let row = chat.json
        #expect(row["messages"]?.arrayValue?[2]["tool_calls"]?.arrayValue?.first?["function"]?["arguments"]
                == .string(#"{"q":"red running shoes","page":1}"#))
        #expect(row["tools"]?.arrayValue?.count == 4)
    }

    @Test func oroTextDialectReadsCallsFromTheContentAndResultsFromObs() throws {
        func textStep(_ n: Int, _ think: String, _ calls: String, _ obs: String) -> JSONValue {
            .object([("completion", .object([("content", .string("<think>\(think)</think>\n<tool_call>\(calls)</tool_call>\n<obs>\(obs)</obs>"))])),
                     ("extra_info", .object([("step", .int(Int64(n))), ("query", .string(Fixture.query))]))])
        }
        let steps: [JSONValue] = [
            textStep(1, "Search first.", #"[{"name": "find_product", "parameters": {"q": "red running shoes", "page": 1}, "tool_call_id": "a1"}]"#,
                     #"[{"tool_call_id": "a1", "results": [{"product_id": "101", "title": "Red runner", "price": 299}]}]"#),
            textStep(2, "Check 101.", #"[{"name": "view_product_information", "parameters": {"product_ids": "101"}}]"#,
                     #"[[{"product_id": "101"}]]"#),
            textStep(3, "101 fits.", #"[{"name": "recommend_product", "parameters": {"product_ids": "101"}}]"#,
                     #"["Having recommended the products to the user: 101."]"#),
            textStep(4, "Done.", #"[{"name": "terminate", "parameters": {"status": "success"}}]"#, #"["completed"]"#),
        ]
        let chat = try #require(DialogueNormaliser.normalise(dialogue: .array(steps), query: Fixture.query))
        #expect(chat.dialect == .oroText)
        #expect(Self.shape(chat) == [
            "system", "user",
            #"call find_product {"page":1,"q":"red running shoes"} #a1"#, #"result #a1 [{"product_id":"101","title":"Red runner","price":299}]"#,
            #"call view_product_information {"product_ids":"101"} #call_2_1"#, #"result #call_2_1 [{"product_id":"101"}]"#,
            #"call recommend_product {"product_ids":"101"} #call_3_1"#, "result #call_3_1 Having recommended the products to the user: 101.",
            #"call terminate {"status":"success"} #call_4_1"#, "result #call_4_1 completed",
        ])
        #expect(chat.assistantTurns.map { $0.reasoning ?? "" } == ["Search first.", "Check 101.", "101 fits.", "Done."])
        #expect(StructuralFilter.check(chat, catalog: .unchecked).reasons == [])
    }

    @Test func nativeToolCallsDialect() throws {
        func nativeStep(_ think: String, _ id: String, _ name: String, _ arguments: String, _ result: JSONValue) -> JSONValue {
            .object([("completion", .object([
                ("reasoning_content", .string(think)),
                ("message", .object([("tool_calls", .array([.object([("id", .string(id)), ("type", "function"),
                    ("function", .object([("name", .string(name)), ("arguments", .string(arguments))]))])]))])),
                ("tool_results", .array([.object([("tool_call_id", .string(id)), ("content", result)])])),
            ]))])
        }
        let steps: [JSONValue] = [
            nativeStep("Search first.", "c1", "find_product", #"{"q":"red running shoes","page":1}"#, Fixture.searchResult),
            nativeStep("Check 101.", "c2", "view_product_information", #"{"product_ids":"101"}"#, "details"),
            nativeStep("101 fits.", "c3", "recommend_product", #"{"product_ids":"101"}"#, "recommended"),
            nativeStep("Done.", "c4", "terminate", #"{"status":"success"}"#, "completed"),
        ]
        let chat = try #require(DialogueNormaliser.normalise(dialogue: .array(steps), query: Fixture.query))
        #expect(chat.dialect == .nativeToolCalls)
        #expect(chat.toolCalls.map(\.id) == ["c1", "c2", "c3", "c4"])
        #expect(chat.toolCalls.map(\.name) == ["find_product", "view_product_information", "recommend_product", "terminate"])
        #expect(chat.toolCalls[0].arguments == ["q": "red running shoes", "page": 1])
        #expect(chat.assistantTurns.first?.reasoning == "Search first.")
        #expect(chat.messages.filter { $0.role == .tool }.map(\.content) == [
            #"[{"product_id":"101","title":"Red runner","price":299}]"#, "details", "recommended", "completed"])
        #expect(StructuralFilter.check(chat, catalog: .unchecked).reasons == [])
    }

    @Test func chatMessagesDialectKeepsTurnsAndReplacesSystemAndUser() throws {
        let dialogue: JSONValue = .array([
            .object([("role", "system"), ("content", "agent's own prompt")]),
            .object([("role", "user"), ("content", "agent's own wording")]),
            .object([("role", "assistant"), ("content", ""), ("tool_calls", .array([
                .object([("id", "x"), ("function", .object([("name", "recommend_product"), ("arguments", #"{"product_ids": "101"}"#)]))]),
                .object([("id", "x"), ("function", .object([("name", "terminate"), ("arguments", #"{"status": "success"}"#)]))]),
            ]))]),
            .object([("role", "tool"), ("tool_call_id", "x"), ("content", "recommended")]),
            .object([("role", "tool"), ("tool_call_id", "call_3_2"), ("content", "completed")]),
        ])
        let chat = try #require(DialogueNormaliser.normalise(dialogue: dialogue, query: Fixture.query))
        #expect(chat.dialect == .chatMessages)
        #expect(chat.messages[0].content == CorpusTools.systemPrompt && chat.messages[1].content == Fixture.query)
        // A repeated id is made unique; the tool messages keep answering their calls.
        #expect(chat.toolCalls.map(\.id) == ["x", "call_3_2"])
        #expect(StructuralFilter.check(chat, catalog: .unchecked).reasons == [])
    }

    @Test func missingOrNonListDialogueHasNoChat() {
        #expect(DialogueNormaliser.normalise(dialogue: nil, query: "q") == nil)
        #expect(DialogueNormaliser.normalise(dialogue: .object([]), query: "q") == nil)
        let plain = DialogueNormaliser.normalise(dialogue: .array([Fixture.step(1, think: "hm", response: "no idea")]), query: "q")
        #expect(plain?.dialect == .plain)
        #expect(plain?.assistantTurns.first?.content == "no idea")
    }
}
