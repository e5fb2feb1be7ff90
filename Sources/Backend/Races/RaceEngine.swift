import ArenaModel
import Foundation
import Store

/// The daily race, driven by the clock (reference/oro-docs.md §4, issue 8):
///
/// `QUALIFYING_OPEN` until `qualifying_closes_at` (the schedule's next close, default 12:00
/// America/Los_Angeles, or now on admin close-qualifying) → qualifiers are the incumbent top agent plus each
/// miner's pinned or best eligible version at ≥ 95 % of the reference score (`RaceStanding`) → `RACE_RUNNING` with RACE work items over problems drawn
/// from the hidden bank with a recorded seed (or `CANCELLED` when nobody challenges) → when every RACE work
/// item has closed, race scores (mean of included validator scores; none = DNF) decide the winner against the
/// decaying challenge threshold → `RACE_COMPLETE`, top agent updated, next qualifying window opened.
public struct RaceEngine: Sendable {
    public struct Settings: Sendable {
        public var policy: ArenaPolicy = .default
        public var schedule: QualifyingSchedule = .default
        /// Hidden problems drawn per race (all of the bank when it is smaller).
        public var problemsPerRace: Int = 30
        public var requiredSuccesses: Int = 2
        public init() {}

        /// The backend's policy, X, race size and qualifying schedule (an invalid time or zone keeps the default).
        public init(backend: BackendSettings) {
            policy = backend.policy
            requiredSuccesses = backend.requiredSuccesses
            problemsPerRace = backend.raceProblemCount
            let parts = backend.qualifyingCloseTime.split(separator: ":").compactMap { Int($0) }
            if parts.count == 2,
               let configured = try? QualifyingSchedule(hour: parts[0], minute: parts[1], timeZoneIdentifier: backend.qualifyingTimeZone) {
                schedule = configured
            }
        }
    }

    public let database: any SQLDatabase
    public let settings: Settings

    public init(database: any SQLDatabase, settings: Settings = Settings()) {
        self.database = database
        self.settings = settings
    }

    /// Advances every race that is due at `now`; returns the races whose status changed.
    @discardableResult
    public func tick(now: Int64) async throws -> [String] {
        var changed: [String] = []
        guard let suiteID = try await activeSuite() else { return [] }
        let open = try await database.read { db in
            try await RaceRepository.races(statuses: [.qualifyingOpen, .raceRunning], suiteID: suiteID, in: db)
        }
        if open.isEmpty {
            changed.append(try await openRace(suiteID: suiteID, now: now))
            return changed
        }
        for race in open {
            switch race.status {
            case .qualifyingOpen where race.qualifyingClosesAt <= now:
                try await closeQualifying(race.raceID, now: now)
                changed.append(race.raceID)
            case .raceRunning where try await allRaceWorkClosed(race.raceID):
                try await completeRace(race.raceID, now: now)
                changed.append(race.raceID)
            default:
                break
            }
        }
        return changed
    }

    /// Writes the audit event of an admin race action inside the action's own transaction: given the database
    /// connection of that transaction and the race as the action left it. Throwing rolls the action back.
    public typealias AuditWriter = @Sendable (_ db: any SQLExecutor, _ race: RaceRecord) async throws -> Void

    /// Admin close-qualifying: moves the open race's close time to now and closes it, and writes its audit event
    /// (`audit`) in the same transaction, so the closing and its record commit together or not at all.
    public func closeQualifyingNow(now: Int64, audit: AuditWriter? = nil) async throws
        -> (race: RaceRecord, previousClosesAt: Int64)?
    {
        guard let suiteID = try await activeSuite(),
              let race = try await database.read({ db in
                  try await RaceRepository.races(statuses: [.qualifyingOpen], suiteID: suiteID, in: db).first
              })
        else { return nil }
        let settings = self.settings
        let (after, cancelled): (RaceRecord?, Bool) = try await database.transaction { db in
            try await RaceRepository.setQualifyingClose(raceID: race.raceID, to: now, in: db)
            let cancelled = try await Self.closeQualifying(race.raceID, now: now, settings: settings, in: db)
            let after = try await RaceRepository.race(race.raceID, in: db)
            if let audit, let after { try await audit(db, after) }
            return (after, cancelled)
        }
        if cancelled, let suiteID = try await activeSuite() { _ = try await openRace(suiteID: suiteID, now: now) }
        return after.map { ($0, race.qualifyingClosesAt) }
    }

    // MARK: - Transitions (decisions here; every read and write goes through RaceRepository)

    func activeSuite() async throws -> Int64? {
        try await database.read { db in try await SuiteRepository.activeSuiteID(in: db) }
    }

    /// Opens the next numbered race of `suiteID` in QUALIFYING_OPEN.
    func openRace(suiteID: Int64, now: Int64) async throws -> String {
        let closes = Int64(settings.schedule.nextClose(after: Date(timeIntervalSince1970: Double(now) / 1000))
            .timeIntervalSince1970 * 1000)
        let id = UUID().uuidString.lowercased()
        try await database.transaction { db in
            try await RaceRepository.open(raceID: id, suiteID: suiteID, qualifyingClosesAt: closes, now: now, in: db)
        }
        return id
    }

    func closeQualifying(_ raceID: String, now: Int64) async throws {
        let settings = self.settings
        let opened: Bool = try await database.transaction { db in
            try await Self.closeQualifying(raceID, now: now, settings: settings, in: db)
        }
        if opened, let suiteID = try await activeSuite() { _ = try await openRace(suiteID: suiteID, now: now) }
    }

    /// Closes qualifying of `raceID` inside the caller's transaction; true when the race was cancelled (nobody
    /// challenges), so the caller opens the next one after committing.
    static func closeQualifying(_ raceID: String, now: Int64, settings: Settings, in db: any SQLExecutor) async throws -> Bool {
        guard let race = try await RaceRepository.race(raceID, in: db), race.status == .qualifyingOpen else { return false }
        // One version per miner (its pin, else its best), then the qualifying rule: see RaceStanding.
        let standing = try await RaceStanding.load(suiteID: race.suiteID, in: db, qualification: settings.policy.qualification)
        let incumbent = standing.incumbent
        let result = standing.result
        try await RaceRepository.addQualifiers(result.qualifiers, raceID: raceID, in: db)
        if result.isCancelled {
            try await RaceRepository.cancel(raceID: raceID, qualifyingThreshold: result.qualifyingThreshold,
                                            incumbentAgentVersionID: incumbent?.agentVersionID, now: now, in: db)
            return true
        }
        let bank = try await RaceRepository.hiddenBank(suiteID: race.suiteID, in: db)
        let seed = HiddenProblemDraw.makeSeed()
        let drawn = bank.isEmpty ? [] : try HiddenProblemDraw(bank: bank, count: min(settings.problemsPerRace, bank.count), seed: seed).problemIDs
        try await RaceRepository.start(raceID: raceID, problemIDs: drawn, seed: seed, qualifyingThreshold: result.qualifyingThreshold,
                                       incumbentAgentVersionID: incumbent?.agentVersionID, now: now, in: db)
        for qualifier in result.qualifiers {
            try await WorkItems.enqueue(in: db, workItemID: UUID().uuidString.lowercased(), agentVersionID: qualifier.agentVersionID,
                                        suiteID: race.suiteID, phase: .race, raceID: raceID, raceNumber: race.raceNumber,
                                        requiredSuccesses: settings.requiredSuccesses, now: now)
        }
        return false
    }

    /// Whether no race work item is still to be evaluated (a parked item, whose runs keep failing, does not
    /// hold the race up: its version just has no race score).
    func allRaceWorkClosed(_ raceID: String) async throws -> Bool {
        try await database.read { db in try await RaceRepository.openRaceWorkCount(raceID: raceID, in: db) == 0 }
    }

    func completeRace(_ raceID: String, now: Int64) async throws {
        let policy = settings.policy
        let completed: Bool = try await database.transaction { db in
            guard let race = try await RaceRepository.race(raceID, in: db), race.status == .raceRunning else { return false }
            var entrants: [RaceEntrant] = []
            for qualifier in try await RaceRepository.qualifiers(of: raceID, in: db) {
                let raceScore = try await RaceRepository.raceScore(raceID: raceID, agentVersionID: qualifier.agentVersionID, in: db)
                entrants.append(RaceEntrant(agentVersionID: qualifier.agentVersionID,
                                            submittedAt: Date(timeIntervalSince1970: Double(qualifier.submittedAt) / 1000),
                                            raceScore: raceScore))
            }
            let incumbent = try await RaceRepository.incumbent(suiteID: race.suiteID, in: db)
            let outcome = RaceOutcome.decide(entrants: entrants, incumbent: incumbent, challenge: policy.challenge,
                                             now: Date(timeIntervalSince1970: Double(now) / 1000))
            for ranked in outcome.ranking {
                let eliminated = outcome.eliminated.contains(ranked.entrant.agentVersionID)
                try await RaceRepository.recordResult(raceID: raceID, raceNumber: race.raceNumber,
                                                      agentVersionID: ranked.entrant.agentVersionID, raceScore: ranked.entrant.raceScore,
                                                      rank: ranked.rank, eliminatedAt: eliminated ? now : nil, in: db)
            }
            if outcome.topChanged, let winner = outcome.winner, let score = outcome.winnerScore {
                try await RaceRepository.crownTop(suiteID: race.suiteID, agentVersionID: winner, score: score, now: now, in: db)
            }
            try await RaceRepository.complete(raceID: raceID, winner: outcome.winner, winnerScore: outcome.winnerScore, now: now, in: db)
            return true
        }
        if completed, let suiteID = try await activeSuite() { _ = try await openRace(suiteID: suiteID, now: now) }
    }
}
