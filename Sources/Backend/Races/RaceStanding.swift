import ArenaModel
import Foundation
import Store

/// Who would race if qualifying closed now: one version per miner, then the qualifying rule.
///
/// Each miner fields one challenger (oro-sdk 1.0.50's "active qualifier on its hotkey"): the version it pinned
/// with `oro pin` when that version can still race, otherwise its best candidate (highest `final_score`,
/// then the earlier submission, then the smaller id). The incumbent top agent always races as INCUMBENT and is
/// not counted as its miner's pick. The picks then go through `RaceQualification` (≥ ratio × reference).
///
/// The race engine decides qualifiers with this at qualifying close; the leaderboard, version status and the
/// miner's agent list show the same standing before the close (`is_active_qualifier`,
/// `outranked_by_agent_version_id`, `is_selected_for_race`).
public struct RaceStanding: Sendable {
    /// Why a pinned version does not race and the miner fell back to auto-pick (7.x `selection_fallback_reason`,
    /// also used as `pin_disabled_reason`).
    public enum Unpinnable: String, Sendable {
        case notEligible = "not_eligible"
        case discarded
        case eliminated
        /// Its score is under the current qualifying threshold: it could not qualify.
        case belowThreshold = "below_threshold"
    }

    public let candidates: [RaceCandidateRecord]
    public let pins: [String: String]
    public let incumbent: Incumbent?
    /// Per miner, the version it fields (incumbent excluded).
    public let picks: [String: RaceCandidateRecord]
    public let result: QualificationResult

    public init(candidates: [RaceCandidateRecord], pins: [String: String], incumbent: Incumbent?,
                qualification: RaceQualification) {
        self.candidates = candidates
        self.pins = pins
        self.incumbent = incumbent
        var byMiner: [String: [RaceCandidateRecord]] = [:]
        for candidate in candidates where candidate.agentVersionID != incumbent?.agentVersionID {
            byMiner[candidate.minerHotkey, default: []].append(candidate)
        }
        var picks: [String: RaceCandidateRecord] = [:]
        for (miner, versions) in byMiner {
            if let pinned = pins[miner], let version = versions.first(where: { $0.agentVersionID == pinned }) {
                picks[miner] = version
            } else {
                picks[miner] = versions.min(by: Self.ranksBefore)
            }
        }
        self.picks = picks
        let picked = picks.values.sorted { $0.agentVersionID < $1.agentVersionID }
            .map { QualifyingCandidate(agentVersionID: $0.agentVersionID, finalScore: $0.finalScore) }
        result = qualification.qualify(candidates: picked, incumbent: incumbent)
    }

    /// Auto-pick order: higher score, then earlier submission, then smaller id.
    static func ranksBefore(_ a: RaceCandidateRecord, _ b: RaceCandidateRecord) -> Bool {
        if a.finalScore != b.finalScore { return a.finalScore > b.finalScore }
        if a.submittedAt != b.submittedAt { return a.submittedAt < b.submittedAt }
        return a.agentVersionID < b.agentVersionID
    }

    /// The versions that would race (incumbent included).
    public var qualifierIDs: Set<String> { Set(result.qualifiers.map(\.agentVersionID)) }

    /// `is_active_qualifier`: the version would race for its hotkey.
    public func isActiveQualifier(_ agentVersionID: String) -> Bool { qualifierIDs.contains(agentVersionID) }

    /// `outranked_by_agent_version_id`: the version's score qualifies, but its miner fields another version that
    /// qualifies.
    public func outrankedBy(_ agentVersionID: String) -> String? {
        guard let candidate = candidates.first(where: { $0.agentVersionID == agentVersionID }),
              !isActiveQualifier(agentVersionID), let threshold = result.qualifyingThreshold,
              candidate.finalScore >= threshold - 1e-9,
              let pick = picks[candidate.minerHotkey], pick.agentVersionID != agentVersionID, isActiveQualifier(pick.agentVersionID)
        else { return nil }
        return pick.agentVersionID
    }

    /// The version the miner fields in the next race, qualifying or not (nil when it has no candidate).
    public func pick(ofMiner hotkey: String) -> RaceCandidateRecord? { picks[hotkey] }

    /// Why a version cannot be pinned (nil: it can). `activeSuiteID` is the suite races run on.
    public static func unpinnable(_ version: AgentVersionRecord, activeSuiteID: Int64?) -> Unpinnable? {
        if version.isDiscarded { return .discarded }
        if version.eliminatedAt != nil { return .eliminated }
        guard version.state == "ELIGIBLE", version.finalScore != nil, let suite = version.suiteID, suite == activeSuiteID else {
            return .notEligible
        }
        return nil
    }

    /// Why `version` cannot be pinned now: `unpinnable`, or a score under the qualifying threshold (the
    /// incumbent is never below it). Mirrors what `PUT /v1/miner/race-selection` accepts.
    public func pinRefusal(_ version: AgentVersionRecord, activeSuiteID: Int64?) -> Unpinnable? {
        if let reason = Self.unpinnable(version, activeSuiteID: activeSuiteID) { return reason }
        if version.agentVersionID != incumbent?.agentVersionID, let threshold = result.qualifyingThreshold,
           let score = version.finalScore, score < threshold - 1e-9 {
            return .belowThreshold
        }
        return nil
    }

    /// The version the miner would race with now: its pick when that qualifies, else its incumbent top agent.
    public func racing(ofMiner hotkey: String) -> RaceCandidateRecord? {
        if let pick = picks[hotkey], isActiveQualifier(pick.agentVersionID) { return pick }
        return candidates.first { $0.minerHotkey == hotkey && $0.agentVersionID == incumbent?.agentVersionID }
    }

    /// The standing of `suiteID` now, read in one go.
    public static func load(suiteID: Int64, database: any SQLDatabase, qualification: RaceQualification) async throws -> RaceStanding {
        try await database.read { db in try await load(suiteID: suiteID, in: db, qualification: qualification) }
    }

    /// As `load(suiteID:database:qualification:)` inside the caller's transaction (the race engine's close).
    static func load(suiteID: Int64, in db: any SQLExecutor, qualification: RaceQualification) async throws -> RaceStanding {
        let candidates = try await RaceSelections.candidates(suiteID: suiteID, in: db)
        let pins = try await RaceSelections.pins(in: db)
        let incumbent = try await RaceRepository.incumbent(suiteID: suiteID, in: db)
        return RaceStanding(candidates: candidates, pins: pins, incumbent: incumbent, qualification: qualification)
    }
}
