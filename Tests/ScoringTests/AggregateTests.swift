import ArenaModel
import Testing

@testable import Scoring

@Suite("Aggregates, denominators and the reasoning coefficient")
struct AggregateTests {
    static func suite() throws -> [Problem] {
        try (0..<4).map { i in
            try Fixture.problem(
                #"{"query": "q\#(i)", "category": "\#(i < 2 ? "Product" : "Shop")", "reward": \#(i < 2 ? #"{"product_id": "P\#(i)", "title": ["t"]}"# : #"[{"product_id": "P\#(i)", "title": ["t"]}]"#)}"#)
        }
    }

    /// P0 solved, P1 timed out, P2 recommends nothing, P3 has no envelope.
    static func run(_ denominator: ScoringProfile.Denominator) async throws -> SuiteScore {
        let problems = try suite()
        let products = (0..<4).map { Fixture.product("P\($0)", title: "t", price: 1) }
        var timedOut = Fixture.recommending(problems[1], "P1")
        timedOut.status = .timedOut
        let envelopes = [
            Fixture.recommending(problems[0], "P0"), timedOut,
            Fixture.envelope(problems[2], steps: [Fixture.terminateStep(step: 1)]),
            Envelope(problemID: "not-in-suite", status: .success),
        ]
        return await SuiteScorer(scorer: Fixture.scorer(products)).score(suite: problems, envelopes: envelopes, denominator: denominator)
    }

    @Test func fullSuiteDenominatorCountsMissingTimedOutAndFailedRuns() async throws {
        let r = try await Self.run(.suite)
        let a = r.aggregate.overall
        #expect(a.totalProblems == 4 && a.successfulProblems == 1 && a.scoredProblems == 2 && a.rolledOutProblems == 3)
        #expect(a.successRate == 0.25 && a.groundTruthRate == 0.25 && a.fieldMatching == 0.25)
        #expect(a.formatScore == (1.0 + 1.0) / 4)  // P0's two steps average 1, P2's one step 1
        #expect(r.problems.map(\.outcome) == [.scored, .runNotSuccessful, .scored, .notRolledOut])
        #expect(r.unmatchedEnvelopeIDs == ["not-in-suite"])
        let product = r.aggregate.byCategory.first { $0.0 == .product }!.1
        let shop = r.aggregate.byCategory.first { $0.0 == .shop }!.1
        #expect(product.totalProblems == 2 && product.successRate == 0.5)
        #expect(shop.totalProblems == 2 && shop.successRate == 0)
    }

    @Test func rolledOutDenominatorLeavesMissingRolloutsOut() async throws {
        let r = try await Self.run(.rolledOut)
        let a = r.aggregate.overall
        #expect(a.totalProblems == 3 && a.successRate == 1.0 / 3.0)
        let shop = r.aggregate.byCategory.first { $0.0 == .shop }!.1
        #expect(shop.totalProblems == 1)
    }

    @Test func ratesAreCappedAtOne() {
        var s = ProblemScore(problemID: "a", category: .product, outcome: .scored, envelopeStatus: .success)
        s.success = true
        s.components.rule = 1
        let a = OutcomeAggregate(scores: [s, s, s], suiteSize: 2, denominator: .suite)
        #expect(a.totalProblems == 3 && a.successRate == 1)
        let empty = OutcomeAggregate(scores: [], suiteSize: 0, denominator: .rolledOut)
        #expect(empty.successRate == 0 && empty.totalProblems == 0)
    }

    @Test func envelopesJoinByQueryWhenTheIdIsUnknown() throws {
        let problems = try Self.suite()
        let step = DialogueStep.make(think: "t", response: "r", query: "q2", step: 1)
        let byQuery = Envelope(problemID: "sandbox-generated-id", status: .success, dialogue: [step.raw])
        let dup1 = Envelope(problemID: problems[0].id, status: .failed)
        let dup2 = Envelope(problemID: problems[0].id, status: .success)
        let join = EnvelopeJoin(suite: problems, envelopes: [byQuery, dup1, dup2])
        #expect(join.matched[problems[2].id]?.problemID == "sandbox-generated-id")
        #expect(join.matched[problems[0].id]?.status == .success)
        #expect(join.duplicates == [problems[0].id])
    }

    @Test(
        "coefficient = 1 if q ≥ 0.8 else round(0.3 + q·0.7/0.8, 4), q clamped to [0, 1]",
        arguments: [
            (0.0, 0.3), (0.5, 0.7375), (0.79, 0.9912), (0.8, 1.0), (1.0, 1.0), (0.62, 0.8425), (0.1, 0.3875),
            (0.33, 0.5887), (0.77, 0.9737), (-0.5, 0.3), (1.7, 1.0), (.nan, 0.3),
        ])
    func coefficient(q: Double, expected: Double) {
        #expect(ReasoningCoefficient.coefficient(meanJudgeScore: q) == expected)
    }

    @Test func finalScoreRoundsToFourPlaces() {
        #expect(ReasoningCoefficient.finalScore(successRate: 0.6, meanJudgeScore: 0.62) == 0.5055)
        #expect(ReasoningCoefficient.finalScore(successRate: 1.0 / 3.0, meanJudgeScore: 0.5) == 0.2458)
        #expect(ReasoningCoefficient.finalScore(successRate: 0, meanJudgeScore: 1) == 0)
    }

    // Expected values printed by CPython 3.11's round().
    @Test(
        "Python's round() on the exact binary value",
        arguments: [
            (0.50555, 4, 0.5056), (0.12345, 4, 0.1235), (2.675, 2, 2.67), (1.00005, 4, 1.0001), (0.00005, 4, 0.0001),
            (0.99995, 4, 1.0), (0.4999999999999999, 4, 0.5), (1234.56785, 4, 1234.5678), (0.30000000000000004, 4, 0.3),
            (7.00000000005, 4, 7.0), (1.5e-5, 4, 0.0), (2.5e-5, 4, 0.0), (0.50555, 2, 0.51), (-2.675, 2, -2.67),
        ])
    func pythonRound(x: Double, digits: Int, expected: Double) {
        #expect(PythonRounding.round(x, digits) == expected)
    }
}
