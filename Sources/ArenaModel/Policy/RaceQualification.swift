import Foundation

/// How an agent entered a race (`RaceQualifierPublic.qualification_type`).
public enum QualificationType: String, Sendable, Hashable, CaseIterable {
    /// The current top agent: qualifies without a score check.
    case incumbent = "INCUMBENT"
    /// Qualified by its qualifying `final_score`.
    case scored = "SCORED"
}

/// An eligible agent version at qualifying close, with its qualifying `final_score`.
public struct QualifyingCandidate: Sendable, Hashable {
    public var agentVersionID: String
    public var finalScore: Double

    public init(agentVersionID: String, finalScore: Double) {
        self.agentVersionID = agentVersionID
        self.finalScore = finalScore
    }
}

/// The current top agent going into a race.
public struct Incumbent: Sendable, Hashable {
    public var agentVersionID: String
    /// Its `top_score`: the reference score for qualifying.
    public var score: Double
    /// When it became top (`top_at`): drives the challenge threshold and the emission decay.
    public var topSince: Date

    public init(agentVersionID: String, score: Double, topSince: Date) {
        self.agentVersionID = agentVersionID
        self.score = score
        self.topSince = topSince
    }
}

/// One entrant of a race, as recorded on the race's qualifier list.
public struct RaceQualifier: Sendable, Hashable {
    public var agentVersionID: String
    public var type: QualificationType
    /// `qualifying_score`: the candidate's final_score (the incumbent's top score for INCUMBENT).
    public var qualifyingScore: Double

    public init(agentVersionID: String, type: QualificationType, qualifyingScore: Double) {
        self.agentVersionID = agentVersionID
        self.type = type
        self.qualifyingScore = qualifyingScore
    }
}

/// The qualifiers of one race, decided at qualifying close.
public struct QualificationResult: Sendable, Hashable {
    /// The score the ratio applies to: the incumbent's top score, else the best candidate's score.
    public var referenceScore: Double?
    /// `qualifying_threshold` = ratio × reference score (nil when there is nothing to compare with).
    public var qualifyingThreshold: Double?
    /// The incumbent first (if any), then SCORED qualifiers by score descending, agent_version_id ascending.
    public var qualifiers: [RaceQualifier]

    /// The SCORED qualifiers: the challengers.
    public var challengers: [RaceQualifier] { qualifiers.filter { $0.type == .scored } }

    /// True when no challenger qualified: the race is CANCELLED. An incumbent alone is no race (it would
    /// only defend against nobody), which is the reference's "CANCELLED when nobody reaches
    /// qualifying_threshold".
    public var isCancelled: Bool { challengers.isEmpty }
}

/// The qualifying rule: the incumbent auto-qualifies (INCUMBENT); any other candidate qualifies (SCORED)
/// when its final_score ≥ `ratio` × the reference score.
///
/// The reference score is the incumbent's top score. **Without an incumbent** (the first race of a
/// suite, or after a top agent was discarded) it is the best candidate's final_score, so the leader always
/// qualifies and everyone within the ratio of it joins.
///
/// The comparison forgives 1e-9 of floating-point error, so a score of exactly 95 % of the reference
/// qualifies even when 0.95 × S rounds up in binary (0.95 × 0.8 = 0.7600000000000001).
public struct RaceQualification: Sendable, Hashable {
    /// The share of the reference score a candidate needs (0.95).
    public var ratio: Double

    public static let `default` = RaceQualification()
    static let tolerance = 1e-9

    public init(ratio: Double = 0.95) {
        self.ratio = ratio
    }

    /// Qualifies `candidates` against `incumbent`. A candidate with the incumbent's agent_version_id is the
    /// incumbent and is not counted twice.
    public func qualify(candidates: [QualifyingCandidate], incumbent: Incumbent?) -> QualificationResult {
        let others = candidates.filter { $0.agentVersionID != incumbent?.agentVersionID }
        let reference = incumbent?.score ?? others.map(\.finalScore).max()
        guard let reference else {
            return QualificationResult(referenceScore: nil, qualifyingThreshold: nil, qualifiers: [])
        }
        let threshold = ratio * reference
        let scored = others
            .filter { $0.finalScore >= threshold - Self.tolerance }
            .sorted {
                $0.finalScore != $1.finalScore
                    ? $0.finalScore > $1.finalScore : idPrecedes($0.agentVersionID, $1.agentVersionID)
            }
            .map { RaceQualifier(agentVersionID: $0.agentVersionID, type: .scored, qualifyingScore: $0.finalScore) }
        var qualifiers: [RaceQualifier] = []
        if let incumbent {
            qualifiers.append(
                RaceQualifier(agentVersionID: incumbent.agentVersionID, type: .incumbent, qualifyingScore: incumbent.score))
        }
        qualifiers += scored
        return QualificationResult(referenceScore: reference, qualifyingThreshold: threshold, qualifiers: qualifiers)
    }
}
