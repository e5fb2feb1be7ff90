import Foundation
import Testing

@testable import ArenaModel

@Suite("Race outcome: ranking, challenge threshold, eliminations")
struct RaceOutcomeTests {
    static let topSince = instant("2026-11-01T19:00:00Z")
    let incumbent = Incumbent(agentVersionID: "inc", score: 0.80, topSince: topSince)
    let raceEnd = topSince.addingTimeInterval(1 * day + 6 * 3600)  // 1.25 days as top

    func entrant(_ id: String, _ score: Double?, submitted hour: Int = 0) -> RaceEntrant {
        RaceEntrant(
            agentVersionID: id, submittedAt: instant("2026-10-01T00:00:00Z").addingTimeInterval(Double(hour) * 3600),
            raceScore: score)
    }

    @Test func challengerBeatsTheScoreButNotTheThreshold() throws {
        // Incumbent race score 0.70 after 1.25 days: T = 0.70 + 0.2·0.3·0.5^(1.25/3.5).
        let expectedT = 0.70 + 0.06 * pow(0.5, 1.25 / 3.5)  // ≈ 0.7467
        let outcome = RaceOutcome.decide(
            entrants: [entrant("inc", 0.70), entrant("c1", 0.74, submitted: 5), entrant("c2", 0.60, submitted: 6)],
            incumbent: incumbent, now: raceEnd)
        let t = try #require(outcome.challenge)
        #expect(approx(t.threshold, expectedT) && approx(t.incumbentScore, 0.70))
        #expect(outcome.decision == .incumbentDefended)
        #expect(outcome.winner == "inc" && outcome.winnerScore == 0.70 && outcome.topAfterRace == "inc")
        #expect(!outcome.topChanged)
        // c1 outranks the incumbent and still loses.
        #expect(outcome.rank(of: "c1") == 1 && outcome.rank(of: "inc") == 2 && outcome.rank(of: "c2") == 3)
        #expect(outcome.eliminated == ["c1", "c2"])
    }

    @Test func challengerBeatsTheThreshold() {
        let outcome = RaceOutcome.decide(
            entrants: [entrant("inc", 0.70), entrant("c1", 0.75, submitted: 5), entrant("c2", 0.80, submitted: 6)],
            incumbent: incumbent, now: raceEnd)
        #expect(outcome.decision == .challengerWon && outcome.topChanged)
        #expect(outcome.winner == "c2" && outcome.winnerScore == 0.80 && outcome.topAfterRace == "c2")
        #expect(outcome.eliminated == ["c1", "inc"])
    }

    @Test func tiesGoToTheEarlierSubmissionThenTheSmallerID() {
        let outcome = RaceOutcome.decide(
            entrants: [
                entrant("late", 0.9, submitted: 9), entrant("early", 0.9, submitted: 3), entrant("b", 0.9, submitted: 1),
                entrant("a", 0.9, submitted: 1), entrant("low", 0.1, submitted: 0),
            ], incumbent: nil, now: raceEnd)
        #expect(outcome.ranking.map(\.entrant.agentVersionID) == ["a", "b", "early", "late", "low"])
        #expect(outcome.ranking.map(\.rank) == [1, 2, 3, 4, 5])
        #expect(outcome.decision == .firstTop && outcome.winner == "a")
        #expect(outcome.eliminated == ["b", "early", "late", "low"])
    }

    @Test func tiedChallengersAboveTheThresholdTheEarlierWins() {
        let outcome = RaceOutcome.decide(
            entrants: [entrant("inc", 0.5), entrant("c-late", 0.95, submitted: 8), entrant("c-early", 0.95, submitted: 2)],
            incumbent: incumbent, now: raceEnd)
        #expect(outcome.decision == .challengerWon && outcome.winner == "c-early")
    }

    @Test func dnfsAreUnrankedAndEliminated() {
        let outcome = RaceOutcome.decide(
            entrants: [entrant("inc", 0.70), entrant("dnf", nil, submitted: 1), entrant("c", 0.5, submitted: 2)],
            incumbent: incumbent, now: raceEnd)
        #expect(outcome.ranking.map(\.entrant.agentVersionID) == ["inc", "c", "dnf"])
        #expect(outcome.ranking.map(\.rank) == [1, 2, nil])
        #expect(outcome.decision == .incumbentDefended && outcome.eliminated == ["c", "dnf"])
    }

    @Test func incumbentDNFForfeitsToTheBestFinisher() {
        let outcome = RaceOutcome.decide(
            entrants: [entrant("inc", nil), entrant("c1", 0.30, submitted: 1), entrant("c2", 0.20, submitted: 2)],
            incumbent: incumbent, now: raceEnd)
        #expect(outcome.decision == .incumbentForfeited && outcome.topChanged)
        #expect(outcome.winner == "c1" && outcome.challenge == nil)
        #expect(outcome.eliminated == ["c2", "inc"])
    }

    @Test func nobodyFinishesTheIncumbentStays() {
        let outcome = RaceOutcome.decide(
            entrants: [entrant("inc", nil), entrant("c1", nil)], incumbent: incumbent, now: raceEnd)
        #expect(outcome.decision == .noFinisher && !outcome.topChanged)
        #expect(outcome.winner == nil && outcome.topAfterRace == "inc" && outcome.eliminated == ["c1"])
        let empty = RaceOutcome.decide(entrants: [entrant("x", nil)], incumbent: nil, now: raceEnd)
        #expect(empty.decision == .noFinisher && empty.topAfterRace == nil && empty.eliminated == ["x"])
    }

    /// Several simulated days with an injected clock: the first race crowns a top agent; a challenger that
    /// beats its score but not the fresh threshold loses; a week later the decayed threshold lets the same
    /// score win; emissions decay in between.
    @Test func severalSimulatedDays() throws {
        let schedule = QualifyingSchedule.default
        let policy = ArenaPolicy.default
        var now = instant("2026-11-02T08:00:00Z")  // Monday 00:00 PST

        // Day 1: no incumbent; A and B qualify (B within 95 % of A), C does not.
        let close1 = schedule.nextClose(after: now)
        #expect(close1 == instant("2026-11-02T20:00:00Z"))
        let q1 = policy.qualification.qualify(
            candidates: [
                .init(agentVersionID: "A", finalScore: 0.60), .init(agentVersionID: "B", finalScore: 0.58),
                .init(agentVersionID: "C", finalScore: 0.50),
            ], incumbent: nil)
        #expect(q1.challengers.map(\.agentVersionID) == ["A", "B"])
        now = close1.addingTimeInterval(3 * 3600)
        let r1 = RaceOutcome.decide(
            entrants: [entrant("A", 0.62, submitted: 1), entrant("B", 0.64, submitted: 2)], incumbent: nil,
            challenge: policy.challenge, now: now)
        #expect(r1.decision == .firstTop && r1.winner == "B")
        var top = Incumbent(agentVersionID: "B", score: 0.58, topSince: now)
        #expect(policy.emission.weight(topSince: top.topSince, now: now) == 1)

        // Day 2: D (0.90 qualifying) races B; D's 0.66 beats B's 0.64 but not T = 0.64 + 0.2·0.36·0.5^(d/3.5).
        let close2 = schedule.nextClose(after: now)
        #expect(close2 == instant("2026-11-03T20:00:00Z"))
        let q2 = policy.qualification.qualify(
            candidates: [.init(agentVersionID: "D", finalScore: 0.90), .init(agentVersionID: "E", finalScore: 0.50)],
            incumbent: top)
        #expect(q2.qualifiers.map(\.agentVersionID) == ["B", "D"] && approx(q2.qualifyingThreshold!, 0.551))
        now = close2.addingTimeInterval(3 * 3600)
        let r2 = RaceOutcome.decide(
            entrants: [entrant("B", 0.64, submitted: 2), entrant("D", 0.66, submitted: 3)], incumbent: top,
            challenge: policy.challenge, now: now)
        #expect(approx(try #require(r2.challenge).daysAsTop, 1))
        #expect(r2.decision == .incumbentDefended && r2.eliminated == ["D"])

        // Day 3 with nobody else eligible: cancelled.
        #expect(policy.qualification.qualify(candidates: [], incumbent: top).isCancelled)

        // Day 9 (7 days as top): emission 0.85, and F's 0.66 now beats T = 0.64 + 0.072/4 = 0.658.
        now = top.topSince.addingTimeInterval(7 * day)
        #expect(approx(policy.emission.weight(topSince: top.topSince, now: now), 0.85))
        let r3 = RaceOutcome.decide(
            entrants: [entrant("B", 0.64, submitted: 2), entrant("F", 0.66, submitted: 4)], incumbent: top,
            challenge: policy.challenge, now: now)
        #expect(approx(try #require(r3.challenge).threshold, 0.658))
        #expect(r3.decision == .challengerWon && r3.winner == "F" && r3.eliminated == ["B"])
        top = Incumbent(agentVersionID: "F", score: 0.7, topSince: now)
        #expect(policy.emission.weight(topSince: top.topSince, now: now) == 1)
    }
}
