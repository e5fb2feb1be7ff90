import Foundation
import Testing

@testable import ArenaModel

@Suite("Emission weight: grace, decay, floor")
struct EmissionScheduleTests {
    // Linear: max(0.5, 1 − 0.03·(d − 2)) after a 2-day grace.
    @Test(arguments: [
        (0.0, 1.0), (1.0, 1.0), (2.0, 1.0), (3.0, 0.97), (5.0, 0.91), (10.0, 0.76), (18.0, 0.52),
        (18.0 + 2.0 / 3.0, 0.5), (25.0, 0.5), (400.0, 0.5), (-1.0, 1.0),
    ])
    func linear(days: Double, expected: Double) {
        let w = EmissionSchedule.default.weight(daysAsTop: days)
        #expect(approx(w, expected, 1e-9), "d=\(days): \(w) ≠ \(expected)")
    }

    // Compounding: max(0.5, 0.97^(d − 2)).
    @Test(arguments: [
        (2.0, 1.0), (3.0, 0.97), (5.0, 0.912673), (12.0, 0.7374241268949281),  // 0.97^10
        (24.0, 0.5116560972597762),  // 0.97^22, just above the floor
        (25.0, 0.5), (60.0, 0.5),
    ])
    func compounding(days: Double, expected: Double) {
        let w = EmissionSchedule(decay: .compounding).weight(daysAsTop: days)
        #expect(approx(w, expected, 1e-9), "d=\(days): \(w) ≠ \(expected)")
    }

    @Test func daysToFloor() throws {
        #expect(approx(try #require(EmissionSchedule.default.daysToFloor), 2 + 0.5 / 0.03, 1e-9))
        let c = try #require(EmissionSchedule(decay: .compounding).daysToFloor)
        #expect(approx(c, 2 + log(0.5) / log(0.97), 1e-9))  // ≈ 24.76
        #expect(EmissionSchedule(decayPerDay: 0).daysToFloor == nil)
    }

    @Test func fromInjectedClockAndConfigured() {
        let since = instant("2026-11-01T19:00:00Z")
        let s = EmissionSchedule(graceDays: 1, decayPerDay: 0.1, floor: 0.25)
        #expect(approx(s.weight(topSince: since, now: since.addingTimeInterval(0.5 * day)), 1))
        #expect(approx(s.weight(topSince: since, now: since.addingTimeInterval(3 * day)), 0.8))
        #expect(approx(s.weight(topSince: since, now: since.addingTimeInterval(30 * day)), 0.25))
        // Continuous: half a day into the decay is half a day's decrease.
        #expect(approx(EmissionSchedule.default.weight(daysAsTop: 2.5), 0.985))
    }

    @Test func policyObjectForTheTopEndpoint() {
        let policy = ArenaPolicy(emission: EmissionSchedule(decay: .compounding))
        let json = policy.jsonValue
        #expect(json["challenge"]?["headroom_fraction"] == .double(0.2))
        #expect(json["challenge"]?["half_life_days"] == .double(3.5))
        #expect(json["emission"]?["grace_days"] == .double(2))
        #expect(json["emission"]?["decay"] == "compounding")
        #expect(json["emission"]?["decay_per_day"] == .double(0.03))
        #expect(json["emission"]?["floor"] == .double(0.5))
        #expect(json["qualification"]?["ratio"] == .double(0.95))
        #expect(
            JSONWriter().string(json["emission"]!)
                == #"{"grace_days":2.0,"decay":"compounding","decay_per_day":0.03,"floor":0.5}"#)
    }
}

@Suite("Top agent status for /v1/public/top")
struct TopAgentStatusTests {
    @Test(arguments: [
        // (days as top, challenge_threshold, margin, emission_weight) for top_score 0.70, by hand.
        (0.0, 0.76, 0.06, 1.0),
        (3.5, 0.73, 0.03, 0.955),  // 1 − 0.03 · 1.5
        (7.0, 0.715, 0.015, 0.85),
        (21.0, 0.70 + 0.06 / 64, 0.06 / 64, 0.5),
    ])
    func fieldsOverSimulatedDays(days: Double, threshold: Double, margin: Double, weight: Double) {
        let since = instant("2026-11-01T19:00:00Z")
        let status = TopAgentStatus(topScore: 0.70, topSince: since, now: since.addingTimeInterval(days * day))
        #expect(approx(status.challenge.threshold, threshold))
        #expect(approx(status.challenge.margin, margin))
        #expect(approx(status.emissionWeight, weight))
        #expect(status.policy == ArenaPolicy.default.jsonValue)
    }
}

@Suite("Policy parameter validation")
struct ArenaPolicyValidationTests {
    @Test func defaultsAreValid() throws {
        try ArenaPolicy.default.validate()
        try ArenaPolicy(emission: EmissionSchedule(graceDays: 0, decayPerDay: 1, floor: 0, decay: .compounding)).validate()
    }

    @Test(arguments: [
        ArenaPolicy(challenge: ChallengePolicy(headroomFraction: 1.5)),
        ArenaPolicy(challenge: ChallengePolicy(halfLifeDays: 0)),
        ArenaPolicy(emission: EmissionSchedule(graceDays: -1)),
        ArenaPolicy(emission: EmissionSchedule(decayPerDay: -0.1)),
        ArenaPolicy(emission: EmissionSchedule(floor: 2)),
        ArenaPolicy(qualification: RaceQualification(ratio: 0)),
    ])
    func outOfRangeIsRejected(policy: ArenaPolicy) {
        #expect(throws: PolicyError.self) { try policy.validate() }
    }
}
