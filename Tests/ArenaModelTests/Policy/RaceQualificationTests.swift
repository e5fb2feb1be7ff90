import Foundation
import Testing

@testable import ArenaModel

@Suite("Race qualification: incumbent auto-qualifies, others need 95 % of the reference")
struct RaceQualificationTests {
    let incumbent = Incumbent(agentVersionID: "top", score: 0.80, topSince: instant("2026-11-01T19:00:00Z"))

    @Test func ninetyFivePercentRuleAgainstTheIncumbent() throws {
        let result = RaceQualification.default.qualify(
            candidates: [
                .init(agentVersionID: "exactly95", finalScore: 0.76),  // 0.95 × 0.80, qualifies despite 0.7600000000000001
                .init(agentVersionID: "below", finalScore: 0.7599),
                .init(agentVersionID: "better", finalScore: 0.90),
                .init(agentVersionID: "top", finalScore: 0.80),  // the incumbent itself is not SCORED again
                .init(agentVersionID: "zero", finalScore: 0),
            ], incumbent: incumbent)
        #expect(result.referenceScore == 0.80)
        #expect(approx(try #require(result.qualifyingThreshold), 0.76))
        #expect(result.qualifiers.map(\.agentVersionID) == ["top", "better", "exactly95"])
        #expect(result.qualifiers.map(\.type) == [.incumbent, .scored, .scored])
        #expect(result.qualifiers[0].qualifyingScore == 0.80)
        #expect(!result.isCancelled)
    }

    @Test func incumbentAutoQualifiesButAloneTheRaceIsCancelled() {
        let result = RaceQualification.default.qualify(
            candidates: [.init(agentVersionID: "weak", finalScore: 0.5)], incumbent: incumbent)
        #expect(result.qualifiers.map(\.agentVersionID) == ["top"])
        #expect(result.qualifiers.first?.type == .incumbent)
        #expect(result.challengers.isEmpty && result.isCancelled)
    }

    @Test func withoutAnIncumbentTheBestCandidateIsTheReference() throws {
        let result = RaceQualification.default.qualify(
            candidates: [
                .init(agentVersionID: "b", finalScore: 0.57),  // 0.95 × 0.60 exactly
                .init(agentVersionID: "a", finalScore: 0.60),
                .init(agentVersionID: "c", finalScore: 0.56),
                .init(agentVersionID: "d", finalScore: 0.60),
            ], incumbent: nil)
        #expect(result.referenceScore == 0.60)
        #expect(approx(try #require(result.qualifyingThreshold), 0.57))
        // Equal scores in agent_version_id order.
        #expect(result.qualifiers.map(\.agentVersionID) == ["a", "d", "b"])
        #expect(result.qualifiers.allSatisfy { $0.type == .scored })
        #expect(!result.isCancelled)
    }

    @Test func nobodyAtAllIsCancelledWithoutThreshold() {
        let result = RaceQualification.default.qualify(candidates: [], incumbent: nil)
        #expect(result.isCancelled && result.qualifiers.isEmpty)
        #expect(result.qualifyingThreshold == nil && result.referenceScore == nil)
    }

    @Test func configurableRatio() throws {
        let result = RaceQualification(ratio: 0.5).qualify(
            candidates: [.init(agentVersionID: "x", finalScore: 0.41), .init(agentVersionID: "y", finalScore: 0.39)],
            incumbent: incumbent)
        #expect(approx(try #require(result.qualifyingThreshold), 0.40))
        #expect(result.challengers.map(\.agentVersionID) == ["x"])
    }
}
