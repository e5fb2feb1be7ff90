import Foundation
import Testing

@testable import ArenaModel

@Suite("Challenge threshold T = S + m(1−S)·0.5^(d/h)")
struct ChallengeThresholdTests {
    // Expected T computed by hand from the formula with m = 0.20, h = 3.5.
    @Test(arguments: [
        (0.70, 0.0, 0.76),  // 0.70 + 0.2·0.30
        (0.70, 3.5, 0.73),  // half the margin after one half-life
        (0.70, 7.0, 0.715),  // a quarter after two
        (0.70, 10.5, 0.7075),  // an eighth after three
        (0.50, 0.0, 0.60),
        (0.50, 1.75, 0.5 + 0.1 * 0.7071067811865476),  // 0.5^(1/2) after half a half-life
        (0.00, 3.5, 0.10),
        (1.00, 0.0, 1.00),  // no headroom, no margin
        (0.90, -2.0, 0.92),  // "became top" in the future counts as day 0
    ])
    func table(s: Double, days: Double, expected: Double) {
        let t = ChallengePolicy.default.threshold(incumbentScore: s, daysAsTop: days)
        #expect(approx(t.threshold, expected), "S=\(s) d=\(days): \(t.threshold) ≠ \(expected)")
        #expect(approx(t.margin, expected - s))
        #expect(approx(t.incumbentScore + t.margin, t.threshold))
        #expect(t.daysAsTop == max(0, days))
    }

    @Test func headroomShareHalvesEveryHalfLife() {
        let p = ChallengePolicy.default
        #expect(approx(p.threshold(incumbentScore: 0.3, daysAsTop: 0).headroomShare, 0.20))
        #expect(approx(p.threshold(incumbentScore: 0.3, daysAsTop: 3.5).headroomShare, 0.10))
        #expect(approx(p.threshold(incumbentScore: 0.3, daysAsTop: 7).headroomShare, 0.05))
    }

    @Test func thresholdFromInjectedClock() {
        let topSince = instant("2026-11-01T19:00:00Z")
        let now = topSince.addingTimeInterval(3.5 * day)
        let t = ChallengePolicy.default.threshold(incumbentScore: 0.7, topSince: topSince, now: now)
        #expect(approx(t.threshold, 0.73) && approx(t.daysAsTop, 3.5))
    }

    @Test func configurableConstants() {
        let p = ChallengePolicy(headroomFraction: 0.5, halfLifeDays: 1)
        #expect(approx(p.threshold(incumbentScore: 0.6, daysAsTop: 0).threshold, 0.8))  // 0.6 + 0.5·0.4
        #expect(approx(p.threshold(incumbentScore: 0.6, daysAsTop: 2).threshold, 0.65))  // 0.6 + 0.5·0.4/4
    }

    @Test func beatingIsStrict() {
        let t = ChallengePolicy.default.threshold(incumbentScore: 0.7, daysAsTop: 0)
        #expect(!t.isBeaten(by: 0.76))
        #expect(!t.isBeaten(by: 0.75))
        #expect(t.isBeaten(by: 0.7601))
        let perfect = ChallengePolicy.default.threshold(incumbentScore: 1, daysAsTop: 0)
        #expect(!perfect.isBeaten(by: 1))
    }
}
