import Foundation

/// The policy-derived fields of `/v1/public/top` (and the leaderboard's `challenge_threshold`) for the
/// current top agent at `now`.
///
/// Here S is the top agent's `top_score` (its qualifying score), so `challenge_threshold` is what a
/// challenger's score is compared with on the leaderboard. In a race the threshold is rebuilt from the
/// incumbent's *race* score on the hidden problems (`RaceOutcome`), which may differ.
public struct TopAgentStatus: Sendable, Hashable {
    /// `challenge_threshold`, `margin` and the days as top.
    public var challenge: ChallengeThreshold
    /// `emission_weight` (1.0 = full; the rest is burned).
    public var emissionWeight: Double
    /// `policy`.
    public var policy: JSONValue

    public init(topScore: Double, topSince: Date, now: Date, policy: ArenaPolicy = .default) {
        self.challenge = policy.challenge.threshold(incumbentScore: topScore, topSince: topSince, now: now)
        self.emissionWeight = policy.emission.weight(topSince: topSince, now: now)
        self.policy = policy.jsonValue
    }
}
