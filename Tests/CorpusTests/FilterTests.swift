import ArenaModel
@testable import Corpus
import Testing

/// One fixture per hard reject: each breaks exactly one rule of an otherwise acceptable trajectory and must be
/// rejected with exactly that reason code.
@Suite("Structural filter")
struct FilterTests {
    static func verdict(_ steps: [JSONValue], catalog: CatalogCheck = .unchecked, budget: Int = TokenCount.defaultBudget) -> FilterVerdict {
        CorpusAnalysis.analyse(envelope: Fixture.envelope(steps), query: Fixture.query, catalog: catalog, tokenBudget: budget).filter
    }

    @Test func theGoodTrajectoryIsAccepted() {
        let v = Self.verdict(Fixture.goodSteps, catalog: .lookup { $0 == "101" })
        #expect(v.accepted && v.reasons == [] && v.catalogChecked && v.unknownProductIDs == [])
        #expect(v.tokenCount > 40 && v.tokenCount < 400)
    }

    @Test func toolCallWithoutResult() {
        var steps = Fixture.goodSteps
        steps[1] = Fixture.step(2, think: "Check 101.", [Fixture.call("view_product_information", [("product_ids", "101")], result: nil)])
        #expect(Self.verdict(steps).reasons == [.unmatchedToolCall])
    }

    @Test func recommendNeverCalledOrCalledTwice() {
        var none = Fixture.goodSteps
        none.remove(at: 2)
        #expect(Self.verdict(none).reasons == [.recommendNotOnce])
        var twice = Fixture.goodSteps
        twice.insert(Fixture.step(3, think: "Also 102.", [Fixture.call("recommend_product", [("product_ids", "101")])]), at: 2)
        #expect(Self.verdict(twice).reasons == [.recommendNotOnce])
    }

    @Test func unparseableRecommendArguments() {
        var listIDs = Fixture.goodSteps
        listIDs[2] = Fixture.step(3, think: "101.", [Fixture.call("recommend_product", [("product_ids", .array(["101"]))])])
        #expect(Self.verdict(listIDs).reasons == [.recommendUnparseable])
        var emptyIDs = Fixture.goodSteps
        emptyIDs[2] = Fixture.step(3, think: "101.", [Fixture.call("recommend_product", [("product_ids", " , ")])])
        #expect(Self.verdict(emptyIDs).reasons == [.recommendUnparseable])
        // Native arguments that are not JSON.
        var broken = Fixture.goodSteps
        broken[2] = .object([("completion", .object([("message", .object([("tool_calls", .array([.object([
            ("id", "r"), ("function", .object([("name", "recommend_product"), ("arguments", "product_ids=101")])), ("result", "ok"),
        ])]))]))]))])
        #expect(Self.verdict(broken).reasons == [.recommendUnparseable])
    }

    @Test func productTheCatalogDoesNotHave() {
        var steps = Fixture.goodSteps
        steps[2] = Fixture.step(3, think: "Pick.", [Fixture.call("recommend_product", [("product_ids", "101, 999")])])
        let v = Self.verdict(steps, catalog: .lookup { $0 == "101" })
        #expect(v.reasons == [.unknownProduct] && v.unknownProductIDs == ["999"])
        // The validator's report stands in for the catalog at the backend.
        #expect(Self.verdict(steps, catalog: .missing(["999"])).reasons == [.unknownProduct])
        // Without a catalog nothing is claimed either way.
        let unchecked = Self.verdict(steps)
        #expect(unchecked.reasons == [] && !unchecked.catalogChecked)
    }

    @Test func longerThanTheTokenBudget() {
        let good = Self.verdict(Fixture.goodSteps)
        #expect(Self.verdict(Fixture.goodSteps, budget: good.tokenCount).reasons == [])
        #expect(Self.verdict(Fixture.goodSteps, budget: good.tokenCount - 1).reasons == [.overTokenBudget])
        var long = Fixture.goodSteps
        long[0] = Fixture.step(1, think: String(repeating: "think ", count: 12_000),
                               [Fixture.call("find_product", [("q", "red running shoes"), ("page", 1)], result: Fixture.searchResult)])
        #expect(Self.verdict(long).reasons == [.overTokenBudget])
    }

    @Test func thinkThenStop() {
        var steps = Fixture.goodSteps
        steps[3] = Fixture.step(4, think: "I think that is all.", response: "Bye.")
        #expect(Self.verdict(steps).reasons == [.thinkThenStop])
    }

    @Test func noDialogueWhenTheRunFailed() {
        let analysis = CorpusAnalysis.analyse(envelope: Fixture.envelope([], status: .timedOut), query: Fixture.query)
        #expect(analysis.chat == nil && analysis.filter.reasons == [.noDialogue])
        #expect(CorpusAnalysis.analyse(envelope: nil, query: "q").filter.reasons == [.noDialogue])
    }

    @Test func tokenCountFollowsTheDocumentedRule() {
        let chat = ChatTrajectory(messages: [
            ChatMessage(role: .user, content: "abcdefgh"),  // 4 + 2
            ChatMessage(role: .assistant, content: "", reasoning: "abc",
                        toolCalls: [ChatToolCall(id: "1", name: "terminate", arguments: ["status": "success"])]),
        ], dialect: .oroMessage)
        // "abc" + "terminate" + {"status":"success"} = 3 + 9 + 20 = 32 bytes → 8 tokens + 4.
        #expect(TokenCount.of(chat) == 6 + 12)
    }
}
