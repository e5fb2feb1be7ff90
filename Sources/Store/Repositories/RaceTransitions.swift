import ArenaModel
import Foundation

/// The race lifecycle's writes (open, close qualifying, start, complete) and the reads its decisions rest on. Each
/// runs inside the caller's transaction, so `RaceEngine` composes one transition from several of them and keeps
/// only the decisions (who qualifies, which problems, who wins) outside SQL.
extension RaceRepository {
    /// Inserts race number N+1 of `suiteID` in QUALIFYING_OPEN; returns its number.
    @discardableResult
    public static func open(raceID: String, suiteID: Int64, qualifyingClosesAt: Int64, now: Int64,
                            in db: any SQLExecutor) async throws -> Int64 {
        let number = (try await db.scalarInt("SELECT COALESCE(MAX(race_number), 0) FROM races WHERE suite_id = ?", [.int(suiteID)]) ?? 0) + 1
        try await db.execute(
            """
            INSERT INTO races (race_id, suite_id, race_number, status, qualifying_closes_at, problem_count, created_at)
            VALUES (?, ?, ?, ?, ?, 0, ?)
            """,
            [.text(raceID), .int(suiteID), .int(number), .text(RaceStatus.qualifyingOpen.rawValue), .int(qualifyingClosesAt), .int(now)])
        return number
    }

    /// Moves the qualifying close of `raceID` (admin close-qualifying moves it to now).
    public static func setQualifyingClose(raceID: String, to closesAt: Int64, in db: any SQLExecutor) async throws {
        try await db.execute("UPDATE races SET qualifying_closes_at = ? WHERE race_id = ?", [.int(closesAt), .text(raceID)])
    }

    /// Records the qualifiers decided at the close.
    public static func addQualifiers(_ qualifiers: [RaceQualifier], raceID: String, in db: any SQLExecutor) async throws {
        for qualifier in qualifiers {
            try await db.execute(
                "INSERT INTO race_qualifiers (race_id, agent_version_id, qualification_type, qualifying_score) VALUES (?, ?, ?, ?)",
                [.text(raceID), .text(qualifier.agentVersionID), .text(qualifier.type.rawValue), .double(qualifier.qualifyingScore)])
        }
    }

    /// Marks a race CANCELLED at its qualifying close (nobody challenges).
    public static func cancel(raceID: String, qualifyingThreshold: Double?, incumbentAgentVersionID: String?, now: Int64,
                              in db: any SQLExecutor) async throws {
        try await db.execute(
            "UPDATE races SET status = ?, qualifying_threshold = ?, incumbent_agent_version_id = ?, race_completed_at = ? WHERE race_id = ?",
            [.text(RaceStatus.cancelled.rawValue), .optional(qualifyingThreshold), .optional(incumbentAgentVersionID), .int(now),
             .text(raceID)])
    }

    /// The hidden bank of `suiteID`: the problem ids races draw from.
    public static func hiddenBank(suiteID: Int64, in db: any SQLExecutor) async throws -> [String] {
        try await db.query("SELECT problem_id FROM problems WHERE suite_id = ? AND is_hidden = 1", [.int(suiteID)])
            .map { try $0.string("problem_id") }
    }

    /// Starts a race: its drawn problems in draw order, then RACE_RUNNING with the threshold, incumbent and seed.
    public static func start(raceID: String, problemIDs: [String], seed: UInt64, qualifyingThreshold: Double?,
                             incumbentAgentVersionID: String?, now: Int64, in db: any SQLExecutor) async throws {
        for (position, problemID) in problemIDs.enumerated() {
            try await db.execute("INSERT INTO race_problems (race_id, problem_id, position) VALUES (?, ?, ?)",
                                 [.text(raceID), .text(problemID), .int(Int64(position))])
        }
        try await db.execute(
            """
            UPDATE races SET status = ?, race_started_at = ?, qualifying_threshold = ?, incumbent_agent_version_id = ?,
                problem_seed = ?, problem_count = ? WHERE race_id = ?
            """,
            [.text(RaceStatus.raceRunning.rawValue), .int(now), .optional(qualifyingThreshold), .optional(incumbentAgentVersionID),
             .text(String(seed)), .int(Int64(problemIDs.count)), .text(raceID)])
    }

    /// RACE work items of `raceID` still to be evaluated (a parked item, whose runs keep failing, does not count).
    public static func openRaceWorkCount(raceID: String, in db: any SQLExecutor) async throws -> Int {
        Int(try await db.scalarInt(
            """
            SELECT COUNT(*) FROM work_items
            WHERE race_id = ? AND phase = 'RACE' AND is_closed = 0 AND is_cancelled = 0 AND parked_at IS NULL
            """, [.text(raceID)]) ?? 0)
    }

    /// A qualifier's race score: the mean of its included SUCCESS runs' validator scores in `raceID`; nil (DNF) without any.
    public static func raceScore(raceID: String, agentVersionID: String, in db: any SQLExecutor) async throws -> Double? {
        let row = try await db.first(
            """
            SELECT AVG(r.validator_score) AS score, COUNT(*) AS n FROM evaluation_runs r
            JOIN work_items w ON w.work_item_id = r.work_item_id
            WHERE w.race_id = ? AND w.agent_version_id = ? AND r.status = 'SUCCESS' AND r.is_included = 1
            """, [.text(raceID), .text(agentVersionID)])
        return (row?.optionalInt("n") ?? 0) > 0 ? row?.optionalDouble("score") : nil
    }

    /// Writes one entrant's result on the qualifier row and on its version (score, rank, elimination).
    public static func recordResult(raceID: String, raceNumber: Int64, agentVersionID: String, raceScore: Double?, rank: Int?,
                                    eliminatedAt: Int64?, in db: any SQLExecutor) async throws {
        try await db.execute(
            "UPDATE race_qualifiers SET race_score = ?, race_rank = ?, eliminated_at = ? WHERE race_id = ? AND agent_version_id = ?",
            [.optional(raceScore), .optional(rank), .optional(eliminatedAt), .text(raceID), .text(agentVersionID)])
        try await db.execute(
            "UPDATE agent_versions SET race_score = ?, eliminated_at = ?, eliminated_in_race_number = ? WHERE agent_version_id = ?",
            [.optional(raceScore), .optional(eliminatedAt), eliminatedAt == nil ? .null : .int(raceNumber), .text(agentVersionID)])
    }

    /// Makes `agentVersionID` the suite's top agent from `now` (ends the current top's tenure).
    public static func crownTop(suiteID: Int64, agentVersionID: String, score: Double, now: Int64, in db: any SQLExecutor) async throws {
        try await db.execute("UPDATE top_history SET ended_at = ? WHERE suite_id = ? AND ended_at IS NULL", [.int(now), .int(suiteID)])
        try await db.execute("INSERT INTO top_history (suite_id, agent_version_id, score, top_at) VALUES (?, ?, ?, ?)",
                             [.int(suiteID), .text(agentVersionID), .double(score), .int(now)])
    }

    /// Marks a race RACE_COMPLETE with its winner (nil: the incumbent held).
    public static func complete(raceID: String, winner: String?, winnerScore: Double?, now: Int64, in db: any SQLExecutor) async throws {
        try await db.execute(
            "UPDATE races SET status = ?, race_completed_at = ?, winner_agent_version_id = ?, winner_score = ? WHERE race_id = ?",
            [.text(RaceStatus.raceComplete.rawValue), .int(now), .optional(winner), .optional(winnerScore), .text(raceID)])
    }

    /// The suite's current top agent as an incumbent (score = its top score, since = when it became top).
    public static func incumbent(suiteID: Int64, in db: any SQLExecutor) async throws -> Incumbent? {
        guard let row = try await db.first(
            "SELECT agent_version_id, score, top_at FROM top_history WHERE suite_id = ? AND ended_at IS NULL ORDER BY top_at DESC LIMIT 1",
            [.int(suiteID)])
        else { return nil }
        return Incumbent(agentVersionID: try row.string("agent_version_id"), score: try row.double("score"),
                         topSince: Date(timeIntervalSince1970: Double(try row.int("top_at")) / 1000))
    }

    /// The work items of a race with their progress, in queue order (admin diagnostics).
    public static func workItems(raceID: String, in db: any SQLExecutor) async throws -> [RaceWorkItemRecord] {
        try await db.query(
            """
            SELECT w.agent_version_id, w.phase, w.is_closed, w.is_cancelled, w.included_success_count, w.required_successes,
                   (SELECT COUNT(*) FROM evaluation_runs r WHERE r.work_item_id = w.work_item_id AND r.status IN ('CLAIMED', 'RUNNING')) AS active_count,
                   a.agent_name
            FROM work_items w LEFT JOIN agent_versions v ON v.agent_version_id = w.agent_version_id
            LEFT JOIN agents a ON a.agent_id = v.agent_id
            WHERE w.race_id = ? ORDER BY w.seq
            """, [.text(raceID)]).map(RaceWorkItemRecord.init(row:))
    }
}

/// One RACE work item as the admin diagnostics show it.
public struct RaceWorkItemRecord: Sendable, Equatable {
    /// The version the item evaluates.
    public var agentVersionID: String
    /// The item's phase (`EvaluationPhase` raw value).
    public var phase: String
    /// Whether it got its required successes.
    public var isClosed: Bool
    /// Whether it was cancelled.
    public var isCancelled: Bool
    /// Included successful runs so far.
    public var includedSuccessCount: Int64
    /// Runs of the item currently CLAIMED or RUNNING.
    public var activeCount: Int64
    /// Included successful runs needed to close it.
    public var requiredSuccesses: Int64
    /// The agent's name (nil when the agent row is gone).
    public var agentName: String?

    init(row: SQLRow) throws(StoreError) {
        agentVersionID = try row.string("agent_version_id")
        phase = try row.string("phase")
        isClosed = try row.bool("is_closed")
        isCancelled = try row.bool("is_cancelled")
        includedSuccessCount = try row.int("included_success_count")
        activeCount = row.optionalInt("active_count") ?? 0
        requiredSuccesses = try row.int("required_successes")
        agentName = row.optionalString("agent_name")
    }
}
