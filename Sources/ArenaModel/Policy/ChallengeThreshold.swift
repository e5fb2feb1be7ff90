import Foundation

/// The decaying challenge threshold: the race score a challenger must exceed to take the top spot from
/// an incumbent whose score is S and who has been top for `days`:
///
///     T = S + m · (1 − S) · 0.5^(days / h)
///
/// i.e. the incumbent's score plus a share m of its remaining headroom, a share that halves every h days.
/// Defaults m = 0.20, h = 3.5 days (S = 0.70 ⇒ T = 0.76 at once, 0.73 after 3.5 days, 0.715 after 7).
public struct ChallengePolicy: Sendable, Hashable {
    /// m: the share of the incumbent's headroom (1 − S) added on the day it became top.
    public var headroomFraction: Double
    /// h: days after which the added share has halved. Must be > 0.
    public var halfLifeDays: Double

    public static let `default` = ChallengePolicy()

    public init(headroomFraction: Double = 0.20, halfLifeDays: Double = 3.5) {
        self.headroomFraction = headroomFraction
        self.halfLifeDays = halfLifeDays
    }

    /// The threshold for an incumbent with score `incumbentScore` that has been top for `daysAsTop` days
    /// (negative days count as 0; a score above 1 has no headroom).
    public func threshold(incumbentScore: Double, daysAsTop: Double) -> ChallengeThreshold {
        let days = max(0, daysAsTop)
        let share = headroomFraction * pow(0.5, days / halfLifeDays)
        let margin = share * max(0, 1 - incumbentScore)
        return ChallengeThreshold(
            incumbentScore: incumbentScore, daysAsTop: days, threshold: incumbentScore + margin, margin: margin,
            headroomShare: share)
    }

    /// The threshold at `now` for an incumbent that became top at `topSince`.
    public func threshold(incumbentScore: Double, topSince: Date, now: Date) -> ChallengeThreshold {
        threshold(incumbentScore: incumbentScore, daysAsTop: PolicyClock.days(from: topSince, to: now))
    }
}

/// One evaluation of `ChallengePolicy`: what `/v1/public/top` and the leaderboard report.
///
/// `margin` is **T − S**, the absolute score a challenger must add to the incumbent's score. The
/// reference describes `margin` as "the challenge margin as a fraction" and its docs call the margin
/// "20 % of remaining headroom"; since scores live in [0, 1], T − S is that fraction of the score scale,
/// and it keeps `challenge_threshold == top_score + margin` true for API readers (and for the
/// `SCORE_BELOW_THRESHOLD` error's `required_score = current_top_score + margin`). The decayed share of
/// the headroom itself is `headroomShare`.
public struct ChallengeThreshold: Sendable, Hashable {
    /// S: the incumbent's score the threshold is built on.
    public var incumbentScore: Double
    /// Days the incumbent has been top (≥ 0).
    public var daysAsTop: Double
    /// T (`challenge_threshold`): a challenger must score strictly more than this.
    public var threshold: Double
    /// T − S (`margin`).
    public var margin: Double
    /// m · 0.5^(days/h): the share of the headroom (1 − S) that `margin` is.
    public var headroomShare: Double

    /// Whether `score` beats the threshold. "Beat" is strict: reaching T exactly is not enough, so a
    /// perfect incumbent (S = 1, T = 1) cannot be displaced by another perfect score.
    public func isBeaten(by score: Double) -> Bool { score > threshold }
}
