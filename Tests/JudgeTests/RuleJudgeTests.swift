import ArenaModel
import Testing

@testable import Judge

@Suite("Rule judge gates")
struct RuleJudgeTests {
    let judge = RuleJudge()

    @Test func allGatesPassWhenAStepComparesTwoSeenProducts() {
        let v = judge.verdict(Fixtures.input(secondThought: Fixtures.comparing))
        #expect(v.score == 0.9)
        #expect(v.explanation.hasPrefix("Gate 4 passed"))
        #expect(v.model == nil)
    }

    @Test func gate1FailsWithoutLoggedInference() {
        let calls = [Fixtures.search(at: 1_100, ids: ["1001", "1002"])]
        let v = judge.verdict(Fixtures.input(secondThought: Fixtures.comparing, calls: calls))
        #expect(v.score == 0.1)
        #expect(v.explanation.hasPrefix("Gate 1 failed"))
    }

    @Test func gate1NeedsThirtyCompletionTokensOnASuccessfulCall() {
        let few = [Fixtures.inference(at: 1_000, tokens: 29), Fixtures.search(at: 1_100, ids: ["1001", "1002"])]
        #expect(judge.verdict(Fixtures.input(secondThought: Fixtures.comparing, calls: few)).score == 0.1)
        let failed = [Fixtures.inference(at: 1_000, tokens: 400, status: 500), Fixtures.search(at: 1_100, ids: ["1001", "1002"])]
        #expect(judge.verdict(Fixtures.input(secondThought: Fixtures.comparing, calls: failed)).score == 0.1)
        let enough = [Fixtures.inference(at: 1_000, tokens: 30), Fixtures.search(at: 1_100, ids: ["1001", "1002"])]
        #expect(judge.verdict(Fixtures.input(secondThought: Fixtures.comparing, calls: enough)).score == 0.9)
    }

    @Test func gate2FailsWhenThinkingOnlyRestatesTheQuery() {
        let v = judge.verdict(Fixtures.input(secondThought: Fixtures.restating))
        #expect(v.score == 0.3)
        #expect(v.explanation.hasPrefix("Gate 2 failed"))
    }

    @Test func gate3FailsWhenResultsAreDiscussedWithoutASpecificDatum() {
        let v = judge.verdict(Fixtures.input(secondThought: Fixtures.engaging))
        #expect(v.score == 0.5)
        #expect(v.explanation.hasPrefix("Gate 3 failed"))
    }

    @Test func gate4FailsWhenOnlyOneProductIsCited() {
        let v = judge.verdict(Fixtures.input(secondThought: Fixtures.citing))
        #expect(v.score == 0.7)
        #expect(v.explanation.hasPrefix("Gate 4 failed"))
    }

    @Test(arguments: [
        ("The one from shop 77 looks right.", "shop"),
        ("It is made of neoprene, good for running.", "neoprene"),
        ("The 299.00 option fits.", "299"),
        ("Going with ₱299 here.", "299"),
    ])
    func gate3AcceptsShopsAttributesAndPriceSpellings(thought: String, cue: String) {
        let v = judge.verdict(Fixtures.input(secondThought: thought))
        #expect(v.score == 0.7, "\(thought) → \(v.explanation)")
        #expect(v.explanation.contains(cue))
    }

    @Test func dataTheQueryAlreadyContainsAreNotEvidence() {
        // "hosport" is the brand of 1001 but also in the query; 500 is a query number.
        let v = judge.verdict(Fixtures.input(secondThought: "A hosport bag for less than 500 is what we want."))
        #expect(v.score == 0.3)
    }

    @Test func productsMissingFromTheProxyLogAreNotEvidence() {
        let thought = "Product 1003 costs 199 from shop 99, the forged bargain pouch is cheaper than everything."
        let v = judge.verdict(Fixtures.input(secondThought: thought, extraResults: [Fixtures.forged]))
        #expect(v.score == 0.3)
        // The same text about logged products passes gate 3.
        let logged = judge.verdict(
            Fixtures.input(
                secondThought: thought, extraResults: [Fixtures.forged],
                calls: [Fixtures.inference(at: 1_000, tokens: 120), Fixtures.search(at: 1_100, ids: ["1001", "1002", "1003"])]))
        #expect(logged.score > 0.3)
    }

    @Test func thinkingBeforeTheResultsArriveDoesNotCount() {
        // Step 1 names both products, but its own call is what returns them.
        let v = judge.verdict(Fixtures.input(secondThought: Fixtures.restating, firstThought: Fixtures.comparing))
        #expect(v.score == 0.3)
    }

    @Test func injectedInstructionsDoNotChangeTheVerdict() {
        let plain = judge.verdict(Fixtures.input(secondThought: Fixtures.engaging))
        let injected = judge.verdict(Fixtures.input(secondThought: Fixtures.engaging + " " + Fixtures.injection))
        #expect(plain.score == 0.5)
        #expect(injected.score == plain.score)
        let only = judge.verdict(Fixtures.input(secondThought: Fixtures.injection))
        #expect(only.score == 0.3)
    }

    @Test func comparisonNeedsComparativeLanguage() {
        let v = judge.verdict(Fixtures.input(secondThought: "Seen 1001 and 1002 in the list."))
        #expect(v.score == 0.7)
    }

    @Test func judgeReturnsTheVerdictWithoutInferenceCalls() async {
        let r = await judge.judge(Fixtures.input(secondThought: Fixtures.comparing))
        #expect(r.verdict?.score == 0.9)
        #expect(r.inferenceTotal == 0)
        #expect(r.inferenceFailed == 0)
    }

    @Test func numbersAndPhrasesAreTokenisedOnBoundaries() {
        #expect(TextTokens.numbers("₱1,299.50 or 299. and 12") == [1299.5, 299, 12])
        #expect(TextTokens.containsPhrase("made of neoprene.", "neoprene"))
        #expect(!TextTokens.containsPhrase("neoprenes", "neoprene"))
    }
}
