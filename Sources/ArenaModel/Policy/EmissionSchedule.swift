import Foundation

/// The share of emissions paid to the top agent as it ages (the rest is burned to uid 0): full weight
/// during a grace period, then a decay per day down to a floor.
///
/// - linear (default): w(d) = max(floor, 1 − r · (d − grace))   — 0.91 at d = 5, the floor at d ≈ 18.7;
/// - compounding:      w(d) = max(floor, (1 − r)^(d − grace))   — 0.913 at d = 5, the floor at d ≈ 24.8.
///
/// `d` is fractional days since the agent became top (the decay is continuous, not stepped at midnight),
/// so two validators asking a second apart see almost the same weight. Defaults: grace 2 days, r = 0.03,
/// floor 0.5.
public struct EmissionSchedule: Sendable, Hashable {
    /// How the weight falls after the grace period.
    public enum Decay: String, Sendable, Hashable, CaseIterable {
        /// Minus `decayPerDay` of the full weight per day.
        case linear
        /// Times (1 − `decayPerDay`) per day.
        case compounding
    }

    /// Days at full weight after becoming top.
    public var graceDays: Double
    /// r: the daily decrease (0.03 = 3 %).
    public var decayPerDay: Double
    /// The lowest weight ever paid (0.5 = half the emissions, half burned).
    public var floor: Double
    public var decay: Decay

    public static let `default` = EmissionSchedule()

    public init(graceDays: Double = 2, decayPerDay: Double = 0.03, floor: Double = 0.5, decay: Decay = .linear) {
        self.graceDays = graceDays
        self.decayPerDay = decayPerDay
        self.floor = floor
        self.decay = decay
    }

    /// The emission weight (0…1) after `daysAsTop` days as top.
    public func weight(daysAsTop: Double) -> Double {
        let over = max(0, daysAsTop - graceDays)
        let raw: Double
        switch decay {
        case .linear: raw = 1 - decayPerDay * over
        case .compounding: raw = pow(1 - decayPerDay, over)
        }
        return min(1, max(floor, raw, 0))
    }

    /// The emission weight at `now` for an agent that became top at `topSince`.
    public func weight(topSince: Date, now: Date) -> Double {
        weight(daysAsTop: PolicyClock.days(from: topSince, to: now))
    }

    /// Days as top after which the weight stays at the floor (nil when it never decays to it).
    public var daysToFloor: Double? {
        guard decayPerDay > 0, floor < 1 else { return nil }
        switch decay {
        case .linear: return graceDays + (1 - max(0, floor)) / decayPerDay
        case .compounding:
            guard floor > 0, decayPerDay < 1 else { return graceDays }
            return graceDays + log(floor) / log(1 - decayPerDay)
        }
    }
}
