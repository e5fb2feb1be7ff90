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

    /// Checks every parameter's range; call it when loading configuration.
    public func validate() throws(PolicyError) {
        func check(_ ok: Bool, _ what: String) throws(PolicyError) {
            if !ok { throw .invalidParameter(what) }
        }
        try check((0...1).contains(challenge.headroomFraction), "challenge headroom_fraction must be in 0...1")
        try check(challenge.halfLifeDays > 0 && challenge.halfLifeDays.isFinite, "challenge half_life_days must be > 0")
        try check(emission.graceDays >= 0 && emission.graceDays.isFinite, "emission grace_days must be ≥ 0")
        try check((0...1).contains(emission.decayPerDay), "emission decay_per_day must be in 0...1")
        try check((0...1).contains(emission.floor), "emission floor must be in 0...1")
        try check(qualification.ratio > 0 && qualification.ratio <= 1, "qualification ratio must be in (0, 1]")
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
