/// Every race and emission parameter in one value, as the backend configures it and as
/// `/v1/public/top` publishes it in `policy`.
public struct ArenaPolicy: Sendable, Hashable {
    public var challenge: ChallengePolicy
    public var emission: EmissionSchedule
    public var qualification: RaceQualification

    public static let `default` = ArenaPolicy()

    public init(
        challenge: ChallengePolicy = .default, emission: EmissionSchedule = .default,
        qualification: RaceQualification = .default
    ) {
        self.challenge = challenge
        self.emission = emission
        self.qualification = qualification
    }

    /// The `policy` object of `TopAgentResponse`, with snake_case keys:
    ///
    ///     {"challenge": {"formula": "…", "headroom_fraction": 0.2, "half_life_days": 3.5},
    ///      "emission": {"grace_days": 2.0, "decay": "linear", "decay_per_day": 0.03, "floor": 0.5},
    ///      "qualification": {"ratio": 0.95}}
    public var jsonValue: JSONValue {
        [
            "challenge": [
                "formula": "T = S + headroom_fraction * (1 - S) * 0.5^(days_as_top / half_life_days)",
                "headroom_fraction": .double(challenge.headroomFraction),
                "half_life_days": .double(challenge.halfLifeDays),
            ],
            "emission": [
                "grace_days": .double(emission.graceDays),
                "decay": .string(emission.decay.rawValue),
                "decay_per_day": .double(emission.decayPerDay),
                "floor": .double(emission.floor),
            ],
            "qualification": [
                "ratio": .double(qualification.ratio)
            ],
        ]
    }
}
