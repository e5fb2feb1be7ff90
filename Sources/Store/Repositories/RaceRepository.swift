import ArenaModel

/// Race statuses, as the API spells them.
public enum RaceStatus: String, Sendable, CaseIterable {
    /// Qualifying is open: versions on the suite can qualify until `qualifyingClosesAt`.
    case qualifyingOpen = "QUALIFYING_OPEN"
    /// Qualifiers are being evaluated on the race's hidden problems.
    case raceRunning = "RACE_RUNNING"
    /// Every qualifier was scored; the winner is recorded (none: the incumbent held).
    case raceComplete = "RACE_COMPLETE"
    /// Cancelled at its qualifying close: nobody challenged.
    case cancelled = "CANCELLED"
}

/// A race row.
public struct RaceRecord: Sendable, Equatable {
    /// The race's id.
    public var raceID: String
    /// The suite it qualifies on.
    public var suiteID: Int64
    /// Its number, counting up from 1.
    public var raceNumber: Int64
    /// Where it stands.
    public var status: RaceStatus
    /// When qualifying closes, epoch milliseconds.
    public var qualifyingClosesAt: Int64
    /// When the race phase started, epoch milliseconds.
    public var raceStartedAt: Int64?
    /// When it completed, epoch milliseconds.
    public var raceCompletedAt: Int64?
    /// The winning version, once complete.
    public var winnerAgentVersionID: String?
    /// The winner's race score.
    public var winnerScore: Double?
    /// The score a version needed to qualify, set at the qualifying close.
    public var qualifyingThreshold: Double?
    /// The suite's top version at the qualifying close (it qualifies without a score check).
    public var incumbentAgentVersionID: String?
    /// Seed that picks the race's hidden problems (deterministic).
    public var problemSeed: UInt64?
    /// Hidden problems the race runs.
    public var problemCount: Int
    /// When the race was created, epoch milliseconds.
    public var createdAt: Int64

    init(row: SQLRow) throws(StoreError) {
        raceID = try row.string("race_id")
        suiteID = try row.int("suite_id")
        raceNumber = try row.int("race_number")
        let text = try row.string("status")
        guard let status = RaceStatus(rawValue: text) else {
            throw .decoding(column: "status", expected: "race status", found: .text(text))
        }
        self.status = status
        qualifyingClosesAt = try row.int("qualifying_closes_at")
        raceStartedAt = row.optionalInt("race_started_at")
        raceCompletedAt = row.optionalInt("race_completed_at")
        winnerAgentVersionID = row.optionalString("winner_agent_version_id")
        winnerScore = row.optionalDouble("winner_score")
        qualifyingThreshold = row.optionalDouble("qualifying_threshold")
        incumbentAgentVersionID = row.optionalString("incumbent_agent_version_id")
        problemSeed = row.optionalString("problem_seed").flatMap { UInt64($0) }
        problemCount = Int(row.optionalInt("problem_count") ?? 0)
        createdAt = try row.int("created_at")
    }
}

/// A qualifier of a race, with the agent's public identity for the API.
public struct RaceQualifierRecord: Sendable, Equatable {
    /// The race.
    public var raceID: String
    /// The qualified version.
    public var agentVersionID: String
    /// `QualificationType` raw value: SCORED (by its qualifying score) or INCUMBENT (the top agent).
    public var qualificationType: String
    /// Its score when it qualified.
    public var qualifyingScore: Double?
    /// Its score in the race.
    public var raceScore: Double?
    /// Its rank in the race (1 = winner).
    public var raceRank: Int?
    /// When it was eliminated, epoch milliseconds.
    public var eliminatedAt: Int64?
    /// The agent's name.
    public var agentName: String?
    /// The miner's hotkey.
    public var minerHotkey: String?
    /// The version's number (0 when not joined).
    public var versionNumber: Int
    /// When the version was submitted, epoch milliseconds (0 when not joined).
    public var submittedAt: Int64

    init(row: SQLRow) throws(StoreError) {
        raceID = try row.string("race_id")
        agentVersionID = try row.string("agent_version_id")
        qualificationType = try row.string("qualification_type")
        qualifyingScore = row.optionalDouble("qualifying_score")
        raceScore = row.optionalDouble("race_score")
        raceRank = row.optionalInt("race_rank").map(Int.init)
        eliminatedAt = row.optionalInt("eliminated_at")
        agentName = row.optionalString("agent_name")
        minerHotkey = row.optionalString("miner_hotkey")
        versionNumber = Int(row.optionalInt("version_number") ?? 0)
        submittedAt = row.optionalInt("submitted_at") ?? 0
    }
}

/// SQL for races, run inside the caller's transaction or read.
public enum RaceRepository {
    static let raceColumns = """
        race_id, suite_id, race_number, status, qualifying_closes_at, race_started_at, race_completed_at,
        winner_agent_version_id, winner_score, qualifying_threshold, incumbent_agent_version_id, problem_seed,
        problem_count, created_at
        """

    /// The race with this id, or nil.
    public static func race(_ raceID: String, in db: any SQLExecutor) async throws -> RaceRecord? {
        try await db.first("SELECT \(raceColumns) FROM races WHERE race_id = ?", [.text(raceID)]).map(RaceRecord.init(row:))
    }

    /// Races of `statuses` (all when empty), newest first.
    public static func races(statuses: [RaceStatus], suiteID: Int64? = nil, limit: Int = 100, offset: Int = 0,
                             in db: any SQLExecutor) async throws -> [RaceRecord] {
        var sql = "SELECT \(raceColumns) FROM races WHERE 1 = 1"
        var binds: [SQLValue] = []
        if !statuses.isEmpty {
            sql += " AND status IN (" + statuses.map { _ in "?" }.joined(separator: ", ") + ")"
            binds += statuses.map { .text($0.rawValue) }
        }
        if let suiteID { sql += " AND suite_id = ?"; binds.append(.int(suiteID)) }
        sql += " ORDER BY created_at DESC, race_number DESC LIMIT ? OFFSET ?"
        binds += [.int(Int64(limit)), .int(Int64(offset))]
        return try await db.query(sql, binds).map(RaceRecord.init(row:))
    }

    /// Races of `statuses` (all when empty), optionally on one suite.
    public static func count(statuses: [RaceStatus], suiteID: Int64?, in db: any SQLExecutor) async throws -> Int {
        var sql = "SELECT COUNT(*) FROM races WHERE 1 = 1"
        var binds: [SQLValue] = []
        if !statuses.isEmpty {
            sql += " AND status IN (" + statuses.map { _ in "?" }.joined(separator: ", ") + ")"
            binds += statuses.map { .text($0.rawValue) }
        }
        if let suiteID { sql += " AND suite_id = ?"; binds.append(.int(suiteID)) }
        return Int(try await db.scalarInt(sql, binds) ?? 0)
    }

    /// The qualifiers of a race with their agents' public identity.
    public static func qualifiers(of raceID: String, in db: any SQLExecutor) async throws -> [RaceQualifierRecord] {
        try await db.query(
            """
            SELECT q.race_id, q.agent_version_id, q.qualification_type, q.qualifying_score, q.race_score, q.race_rank,
                   q.eliminated_at, a.agent_name, v.miner_hotkey, v.version_number, v.submitted_at
            FROM race_qualifiers q
            LEFT JOIN agent_versions v ON v.agent_version_id = q.agent_version_id
            LEFT JOIN agents a ON a.agent_id = v.agent_id
            WHERE q.race_id = ?
            ORDER BY CASE WHEN q.race_rank IS NULL THEN 1 ELSE 0 END, q.race_rank, q.qualifying_score DESC, q.agent_version_id
            """, [.text(raceID)]).map(RaceQualifierRecord.init(row:))
    }

    /// The hidden problems drawn for a race, in draw order (what RACE runs evaluate).
    public static func problemIDs(of raceID: String, in db: any SQLExecutor) async throws -> [String] {
        try await db.query("SELECT problem_id FROM race_problems WHERE race_id = ? ORDER BY position", [.text(raceID)])
            .map { try $0.string("problem_id") }
    }
}
