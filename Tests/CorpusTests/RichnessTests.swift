import ArenaModel
@testable import Corpus
import Testing

/// Agentic richness on hand-built trusted logs.
@Suite("Agentic richness")
struct RichnessTests {
    static let search = Fixture.proposal("find_product", [("q", "Red  Running shoes"), ("page", 1)])

    @Test func proposedThenDispatchedIsAgentic() {
        let log = [
            Fixture.reply(at: 1_000, duration: 50, proposing: [Self.search]),
            Fixture.dispatch(at: 1_060, query: "q=red+running+shoes&page=1"),
            Fixture.reply(at: 1_100, duration: 50, proposing: [Fixture.proposal("view_product_information", [("product_ids", "101, 102")])]),
            Fixture.dispatch(at: 1_160, "/search/view_product_information", query: "product_ids=101%2C102"),
        ]
        let a = AgenticRichness.assess(log)
        #expect(a == AgenticAssessment(verdict: .agentic, richness: 1, dispatches: 2, proposedDispatches: 2, inferenceReplies: 2, proposals: 2))
    }

    @Test func dispatchedUnproposedIsScripted() {
        // The model only classified the request; the program chose both searches.
        let log = [
            Fixture.reply(at: 1_000, proposing: []),
            Fixture.dispatch(at: 1_100, query: "q=running+shoes&page=1&price=0-500"),
            Fixture.dispatch(at: 1_200, query: "q=shoes&page=1"),
            Fixture.reply(at: 1_300, proposing: []),
        ]
        let a = AgenticRichness.assess(log)
        #expect(a.verdict == .scripted && a.richness == 0 && a.dispatches == 2 && a.proposedDispatches == 0)
    }

    @Test func changedArgumentsDoNotCount() {
        let log = [
            Fixture.reply(at: 1_000, proposing: [Self.search]),
            Fixture.dispatch(at: 1_100, query: "q=red+running+shoes&page=2"),
            Fixture.dispatch(at: 1_200, query: "q=red+running+shoes+cheap&page=1"),
            Fixture.dispatch(at: 1_300, query: "q=red+running+shoes&page=1&service=COD"),
        ]
        let a = AgenticRichness.assess(log)
        #expect(a.richness == 0 && a.verdict == .scripted)
    }

    @Test func equivalentSpellingsCount() {
        // Integer vs text page, case and spacing of q, sort=default and service=default dropped, service order.
        let proposed = Fixture.proposal("find_product", [("q", "Red Shoes"), ("page", 1), ("sort", "default"),
                                                         ("service", "freeShipping, COD"), ("price", nil)])
        let log = [
            Fixture.reply(at: 1_000, proposing: [proposed]),
            Fixture.dispatch(at: 1_100, query: "q=red%20shoes&page=1&service=COD%2CfreeShipping%2Cdefault"),
        ]
        #expect(AgenticRichness.assess(log).richness == 1)
    }

    @Test func aReplayedCallCountsOnce() {
        let log = [
            Fixture.reply(at: 1_000, proposing: [Self.search]),
            Fixture.dispatch(at: 1_100, query: "q=red+running+shoes&page=1"),
            Fixture.dispatch(at: 1_200, query: "q=red+running+shoes&page=1"),
            Fixture.dispatch(at: 1_300, query: "q=red+running+shoes&page=1"),
        ]
        let a = AgenticRichness.assess(log)
        #expect(a.proposedDispatches == 1 && a.dispatches == 3)
        #expect(a.richness == 1.0 / 3 && a.verdict == .scripted)
    }

    @Test func aDispatchBeforeTheReplyCameBackIsNotProposed() {
        // The program sent the search while the model was still answering: it could not have read the proposal.
        let log = [
            Fixture.dispatch(at: 1_020, query: "q=red+running+shoes&page=1"),
            Fixture.reply(at: 1_000, duration: 100, proposing: [Self.search]),
        ]
        #expect(AgenticRichness.assess(log).proposedDispatches == 0)
        // Same millisecond as the reply's end (the log rounds down): proposed.
        let onTime = [Fixture.reply(at: 1_000, duration: 100, proposing: [Self.search]),
                      Fixture.dispatch(at: 1_100, query: "q=red+running+shoes&page=1")]
        #expect(AgenticRichness.assess(onTime).proposedDispatches == 1)
    }

    @Test func failedCallsAreNeitherRepliesNorDispatches() {
        let log = [
            Fixture.reply(at: 1_000, status: 502, proposing: []),
            Fixture.dispatch(at: 1_100, query: "q=x&page=1", status: 429),
            Fixture.dispatch(at: 1_200, query: "q=x&page=1"),
        ]
        let a = AgenticRichness.assess(log)
        #expect(a.verdict == .noLLM && a.inferenceReplies == 0 && a.dispatches == 1)
        #expect(AgenticRichness.assess([]).verdict == .noLLM)
    }

    @Test func modelUsedWithoutDispatches() {
        let recommendOnly = [Fixture.reply(at: 1, proposing: [Fixture.proposal("recommend_product", [("product_ids", "1")])])]
        #expect(AgenticRichness.assess(recommendOnly) == AgenticAssessment(
            verdict: .agentic, richness: nil, dispatches: 0, proposedDispatches: 0, inferenceReplies: 1, proposals: 1))
        #expect(AgenticRichness.assess([Fixture.reply(at: 1, proposing: [])]).verdict == .scripted)
    }

    @Test func logsWithoutDecodedArgumentsFallBackToTheQueryString() {
        var dispatch = Fixture.dispatch(at: 1_100, query: "q=red+running+shoes&page=1")
        dispatch.arguments = nil
        let roundTripped = ProxyCallRecord(json: dispatch.json)
        #expect(roundTripped?.arguments == nil)
        let log = [Fixture.reply(at: 1_000, proposing: [Self.search]), roundTripped!]
        #expect(AgenticRichness.assess(log).richness == 1)
    }

    @Test func proposalsAndArgumentsSurviveTheLogRoundTrip() throws {
        let reply = Fixture.reply(at: 5, proposing: [Self.search])
        let back = try #require(ProxyCallRecord.parseLog(JSONWriter().string(reply.json) + "\n").first)
        #expect(back == reply)
        let dispatch = Fixture.dispatch(at: 6, query: "q=a+b&page=2")
        #expect(dispatch.arguments == .object([("q", "a b"), ("page", "2")]))
        #expect(ProxyCallRecord(json: dispatch.json) == dispatch)
    }
}

/// Parsing what a reply proposed, in both spellings.
@Suite("Proposed tool calls")
struct ProposedToolCallTests {
    @Test func nativeAndTextCallsOfAChatCompletion() throws {
        let reply = try JSONParser.parse(#"""
            {"choices": [{"message": {"role": "assistant",
              "content": "<think>look</think>\n<tool_call>[{\"name\": \"find_product\", \"parameters\": {\"q\": \"mug\", \"page\": 1}}, {\"name\": \"terminate\", \"parameters\": {\"status\": \"success\"}}]</tool_call>",
              "tool_calls": [{"id": "call_9", "type": "function", "function": {"name": "view_product_information", "arguments": "{\"product_ids\": \"7\"}"}}]}}]}
            """#)
        let calls = ProposedToolCall.parse(chatCompletion: reply)
        #expect(calls == [
            ProposedToolCall(name: "view_product_information", arguments: ["product_ids": "7"], id: "call_9", source: .native),
            ProposedToolCall(name: "find_product", arguments: ["q": "mug", "page": 1], source: .text),
            ProposedToolCall(name: "terminate", arguments: ["status": "success"], source: .text),
        ])
    }

    @Test func textVariants() {
        // One object per tag (Hermes style), "arguments" instead of "parameters", a code fence, an unclosed last tag.
        let text = """
            <tool_call>{"name": "find_product", "arguments": {"q": "a"}}</tool_call>
            <tool_call>```json
            [{"name": "find_product", "parameters": {"q": "b"}}]
            ```</tool_call>
            <tool_call>not json</tool_call>
            <tool_call>[{"name": "terminate", "parameters": {"status": "success"}}]
            """
        #expect(ProposedToolCall.parse(text: text).map { "\($0.name):\($0.arguments["q"]?.stringValue ?? "-")" }
                == ["find_product:a", "find_product:b", "terminate:-"])
        #expect(ProposedToolCall.parse(text: "no calls here").isEmpty)
    }

    @Test func spansAroundNonASCIIText() {
        let text = "₱500 budget <think>café ☕</think> then <tool_call>[{\"name\": \"find_product\", \"parameters\": {\"q\": \"tés\"}}]</tool_call><think>open"
        #expect(ProposedToolCall.spans(of: "think", in: text) == ["café ☕", "open"])
        #expect(ProposedToolCall.parse(text: text).first?.arguments["q"] == "tés")
        #expect(ProposedToolCall.contains("</tool_call>", in: text) && !ProposedToolCall.contains("<obs>", in: text))
        #expect(ProposedToolCall.spans(of: "obs", in: "").isEmpty && ProposedToolCall.spans(of: "x", in: "<x>").map(String.init) == [""])
    }

    @Test func queryStringDecoding() {
        #expect(QueryString.decode("q=red+shoes%21&page=1&&flag&x=%E2%82%B1%zz").map { "\($0.0)=\($0.1)" }
                == ["q=red shoes!", "page=1", "flag=", "x=₱%zz"])
    }
}
