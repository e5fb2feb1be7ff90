import Foundation

/// A qualifier after the race phase: its mean race score over included validator runs, or nil (DNF).
public struct RaceEntrant: Sendable, Hashable {
    public var agentVersionID: String
    /// When the version was submitted: the tie-break between equal race scores (earlier wins).
    public var submittedAt: Date
    /// `race_score`; nil means did not finish.
    public var raceScore: Double?

    public init(agentVersionID: String, submittedAt: Date, raceScore: Double?) {
        self.agentVersionID = agentVersionID
        self.submittedAt = submittedAt
        self.raceScore = raceScore
    }
}

/// An entrant with its `race_rank` (nil for DNF).
public struct RankedEntrant: Sendable, Hashable {
    public var entrant: RaceEntrant
    public var rank: Int?
}

/// Why the race ended the way it did.
public enum RaceDecision: String, Sendable, Hashable {
    /// No incumbent: the best finisher becomes top.
    case firstTop = "FIRST_TOP"
    /// The best challenger's race score beat the challenge threshold.
    case challengerWon = "CHALLENGER_WON"
    /// No challenger beat the threshold: the incumbent stays top and wins the race.
    case incumbentDefended = "INCUMBENT_DEFENDED"
    /// The incumbent did not finish: it cannot defend, so the best finishing challenger wins outright.
    case incumbentForfeited = "INCUMBENT_FORFEITED"
    /// Nobody finished: no winner; the top agent (if any) is unchanged.
    case noFinisher = "NO_FINISHER"
}

/// The result of a race: ranking, winner, and who is eliminated.
///
/// Rules:
/// - Finishers are ranked by race_score descending, then earlier `submitted_at`, then agent_version_id
///   ascending; DNFs (race_score nil) get no rank and are listed after the finishers.
/// - With an incumbent that finished with race score S, the best-ranked challenger wins only if its race
///   score is strictly greater than T = `ChallengePolicy.threshold(S, days since the incumbent became top)`;
///   otherwise the incumbent wins. A challenger can therefore outscore the incumbent and still lose.
/// - **An incumbent DNF forfeits**: having no race score it cannot set a threshold, so the best finishing
///   challenger wins without one. (A race score is the only fresh evidence on hidden problems; keeping a
///   top agent that could not run them would pay an agent that may no longer work.) If no challenger
///   finished either, nobody wins and the incumbent stays top.
/// - Without an incumbent the best finisher wins.
/// - `eliminated` holds every qualifier that is not the top agent after the race: losing challengers,
///   every DNF challenger, and a dethroned incumbent.
public struct RaceOutcome: Sendable, Hashable {
    /// Finishers by rank, then DNFs.
    public var ranking: [RankedEntrant]
    public var decision: RaceDecision
    /// `winner_agent_version_id` (nil only for `noFinisher`).
    public var winner: String?
    /// `winner_score`: the winner's race score.
    public var winnerScore: Double?
    /// The top agent after the race (the winner, or the unchanged incumbent, or nil).
    public var topAfterRace: String?
    /// The threshold the challengers faced (nil without a finishing incumbent).
    public var challenge: ChallengeThreshold?
    /// Qualifiers who lost (`eliminated_at` is set for them), sorted by agent_version_id.
    public var eliminated: [String]

    /// True when the top agent changes hands (a new top-history entry).
    public var topChanged: Bool { decision == .firstTop || decision == .challengerWon || decision == .incumbentForfeited }

    /// Decides a race at `now`. `incumbent` must be one of `entrants` to defend; an incumbent missing from
    /// the entrants is treated as a DNF.
    public static func decide(
        entrants: [RaceEntrant], incumbent: Incumbent?, challenge policy: ChallengePolicy = .default, now: Date
    ) -> RaceOutcome {
        let finishers = entrants.filter { $0.raceScore != nil }.sorted(by: finishesBefore)
        let dnfs = entrants.filter { $0.raceScore == nil }.sorted {
            $0.submittedAt != $1.submittedAt
                ? $0.submittedAt < $1.submittedAt : idPrecedes($0.agentVersionID, $1.agentVersionID)
        }
        let ranking = finishers.enumerated().map { RankedEntrant(entrant: $1, rank: $0 + 1) }
            + dnfs.map { RankedEntrant(entrant: $0, rank: nil) }

        let incumbentID = incumbent?.agentVersionID
        let bestChallenger = finishers.first { $0.agentVersionID != incumbentID }
        let incumbentEntry = finishers.first { $0.agentVersionID == incumbentID }

        let decision: RaceDecision
        var winner: RaceEntrant?
        var challenge: ChallengeThreshold?
        if let incumbent {
            if let incumbentEntry, let s = incumbentEntry.raceScore {
                let t = policy.threshold(incumbentScore: s, topSince: incumbent.topSince, now: now)
                challenge = t
                if let bestChallenger, let c = bestChallenger.raceScore, t.isBeaten(by: c) {
                    decision = .challengerWon
                    winner = bestChallenger
                } else {
                    decision = .incumbentDefended
                    winner = incumbentEntry
                }
            } else if let bestChallenger {
                decision = .incumbentForfeited
                winner = bestChallenger
            } else {
                decision = .noFinisher
            }
        } else if let first = finishers.first {
            decision = .firstTop
            winner = first
        } else {
            decision = .noFinisher
        }

        let top = winner?.agentVersionID ?? incumbentID
        let eliminated = Set(entrants.map(\.agentVersionID).filter { $0 != top }).sorted(by: idPrecedes)
        return RaceOutcome(
            ranking: ranking, decision: decision, winner: winner?.agentVersionID, winnerScore: winner?.raceScore,
            topAfterRace: top, challenge: challenge, eliminated: eliminated)
    }

    static func finishesBefore(_ a: RaceEntrant, _ b: RaceEntrant) -> Bool {
        let sa = a.raceScore ?? -.infinity
        let sb = b.raceScore ?? -.infinity
        if sa != sb { return sa > sb }
        if a.submittedAt != b.submittedAt { return a.submittedAt < b.submittedAt }
        return idPrecedes(a.agentVersionID, b.agentVersionID)
    }

    /// The `race_rank` of an agent version (nil for DNF or unknown).
    public func rank(of agentVersionID: String) -> Int? {
        ranking.first { $0.entrant.agentVersionID == agentVersionID }?.rank
    }
}
