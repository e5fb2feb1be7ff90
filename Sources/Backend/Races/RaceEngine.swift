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
            try await db.execute("UPDATE races SET qualifying_closes_at = ? WHERE race_id = ?", [.int(now), .text(race.raceID)])
            let cancelled = try await Self.closeQualifying(race.raceID, now: now, settings: settings, in: db)
            let after = try await RaceRepository.race(race.raceID, in: db)
            if let audit, let after { try await audit(db, after) }
            return (after, cancelled)
        }
        if cancelled, let suiteID = try await activeSuite() { _ = try await openRace(suiteID: suiteID, now: now) }
        return after.map { ($0, race.qualifyingClosesAt) }
    }

    // MARK: - Transitions

    func activeSuite() async throws -> Int64? {
        try await database.read { db in try await db.scalarInt("SELECT suite_id FROM suites WHERE is_active = 1 ORDER BY suite_id DESC LIMIT 1") }
    }

    /// Opens the next numbered race of `suiteID` in QUALIFYING_OPEN.
    func openRace(suiteID: Int64, now: Int64) async throws -> String {
        let closes = Int64(settings.schedule.nextClose(after: Date(timeIntervalSince1970: Double(now) / 1000))
            .timeIntervalSince1970 * 1000)
        let id = UUID().uuidString.lowercased()
        try await database.transaction { db in
            let number = (try await db.scalarInt("SELECT COALESCE(MAX(race_number), 0) FROM races WHERE suite_id = ?", [.int(suiteID)]) ?? 0) + 1
            try await db.execute(
                "INSERT INTO races (race_id, suite_id, race_number, status, qualifying_closes_at, problem_count, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
                [.text(id), .int(suiteID), .int(number), .text(RaceStatus.qualifyingOpen.rawValue), .int(closes), .int(now)])
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
        for qualifier in result.qualifiers {
            try await db.execute(
                "INSERT INTO race_qualifiers (race_id, agent_version_id, qualification_type, qualifying_score) VALUES (?, ?, ?, ?)",
                [.text(raceID), .text(qualifier.agentVersionID), .text(qualifier.type.rawValue), .double(qualifier.qualifyingScore)])
        }
        if result.isCancelled {
            try await db.execute(
                "UPDATE races SET status = ?, qualifying_threshold = ?, incumbent_agent_version_id = ?, race_completed_at = ? WHERE race_id = ?",
                [.text(RaceStatus.cancelled.rawValue), .optional(result.qualifyingThreshold), .optional(incumbent?.agentVersionID),
                 .int(now), .text(raceID)])
            return true
        }
        let bank = try await db.query("SELECT problem_id FROM problems WHERE suite_id = ? AND is_hidden = 1", [.int(race.suiteID)])
            .map { try $0.string("problem_id") }
        let seed = HiddenProblemDraw.makeSeed()
        let drawn = bank.isEmpty ? [] : try HiddenProblemDraw(bank: bank, count: min(settings.problemsPerRace, bank.count), seed: seed).problemIDs
        for (position, problemID) in drawn.enumerated() {
            try await db.execute("INSERT INTO race_problems (race_id, problem_id, position) VALUES (?, ?, ?)",
                                 [.text(raceID), .text(problemID), .int(Int64(position))])
        }
        for qualifier in result.qualifiers {
            try await WorkItems.enqueue(in: db, workItemID: UUID().uuidString.lowercased(), agentVersionID: qualifier.agentVersionID,
                                        suiteID: race.suiteID, phase: .race, raceID: raceID, raceNumber: race.raceNumber,
                                        requiredSuccesses: settings.requiredSuccesses, now: now)
        }
        try await db.execute(
            """
            UPDATE races SET status = ?, race_started_at = ?, qualifying_threshold = ?, incumbent_agent_version_id = ?,
                problem_seed = ?, problem_count = ? WHERE race_id = ?
            """,
            [.text(RaceStatus.raceRunning.rawValue), .int(now), .optional(result.qualifyingThreshold),
             .optional(incumbent?.agentVersionID), .text(String(seed)), .int(Int64(drawn.count)), .text(raceID)])
        return false
    }

    /// Whether no race work item is still to be evaluated (a parked item, whose runs keep failing, does not
    /// hold the race up: its version just has no race score).
    func allRaceWorkClosed(_ raceID: String) async throws -> Bool {
        try await database.read { db in
            let open = try await db.scalarInt(
                "SELECT COUNT(*) FROM work_items WHERE race_id = ? AND phase = 'RACE' AND is_closed = 0 AND is_cancelled = 0 AND parked_at IS NULL",
                [.text(raceID)]) ?? 0
            return open == 0
        }
    }

    func completeRace(_ raceID: String, now: Int64) async throws {
        let policy = settings.policy
        let completed: Bool = try await database.transaction { db in
            guard let race = try await RaceRepository.race(raceID, in: db), race.status == .raceRunning else { return false }
            let qualifiers = try await RaceRepository.qualifiers(of: raceID, in: db)
            var entrants: [RaceEntrant] = []
            for qualifier in qualifiers {
                let score = try await db.first(
                    """
                    SELECT AVG(r.validator_score) AS score, COUNT(*) AS n FROM evaluation_runs r
                    JOIN work_items w ON w.work_item_id = r.work_item_id
                    WHERE w.race_id = ? AND w.agent_version_id = ? AND r.status = 'SUCCESS' AND r.is_included = 1
                    """, [.text(raceID), .text(qualifier.agentVersionID)])
                let raceScore = (score?.optionalInt("n") ?? 0) > 0 ? score?.optionalDouble("score") : nil
                entrants.append(RaceEntrant(agentVersionID: qualifier.agentVersionID,
                                            submittedAt: Date(timeIntervalSince1970: Double(qualifier.submittedAt) / 1000),
                                            raceScore: raceScore))
            }
            let incumbent = try await Self.incumbent(suiteID: race.suiteID, in: db)
            let outcome = RaceOutcome.decide(entrants: entrants, incumbent: incumbent, challenge: policy.challenge,
                                             now: Date(timeIntervalSince1970: Double(now) / 1000))
            for ranked in outcome.ranking {
                let eliminated = outcome.eliminated.contains(ranked.entrant.agentVersionID)
                try await db.execute(
                    "UPDATE race_qualifiers SET race_score = ?, race_rank = ?, eliminated_at = ? WHERE race_id = ? AND agent_version_id = ?",
                    [.optional(ranked.entrant.raceScore), .optional(ranked.rank), eliminated ? .int(now) : .null, .text(raceID),
                     .text(ranked.entrant.agentVersionID)])
                try await db.execute(
                    "UPDATE agent_versions SET race_score = ?, eliminated_at = ?, eliminated_in_race_number = ? WHERE agent_version_id = ?",
                    [.optional(ranked.entrant.raceScore), eliminated ? .int(now) : .null, eliminated ? .int(race.raceNumber) : .null,
                     .text(ranked.entrant.agentVersionID)])
            }
            if outcome.topChanged, let winner = outcome.winner, let score = outcome.winnerScore {
                try await db.execute("UPDATE top_history SET ended_at = ? WHERE suite_id = ? AND ended_at IS NULL", [.int(now), .int(race.suiteID)])
                try await db.execute("INSERT INTO top_history (suite_id, agent_version_id, score, top_at) VALUES (?, ?, ?, ?)",
                                     [.int(race.suiteID), .text(winner), .double(score), .int(now)])
            }
            try await db.execute(
                "UPDATE races SET status = ?, race_completed_at = ?, winner_agent_version_id = ?, winner_score = ? WHERE race_id = ?",
                [.text(RaceStatus.raceComplete.rawValue), .int(now), .optional(outcome.winner), .optional(outcome.winnerScore), .text(raceID)])
            return true
        }
        if completed, let suiteID = try await activeSuite() { _ = try await openRace(suiteID: suiteID, now: now) }
    }

    /// The suite's current top agent as an incumbent (score = its top score, since = when it became top).
    static func incumbent(suiteID: Int64, in db: any SQLExecutor) async throws -> Incumbent? {
        guard let row = try await db.first(
            "SELECT agent_version_id, score, top_at FROM top_history WHERE suite_id = ? AND ended_at IS NULL ORDER BY top_at DESC LIMIT 1",
            [.int(suiteID)])
        else { return nil }
        return Incumbent(agentVersionID: try row.string("agent_version_id"), score: try row.double("score"),
                         topSince: Date(timeIntervalSince1970: Double(try row.int("top_at")) / 1000))
    }
}
