import ArenaModel

/// Race statuses, as the API spells them.
public enum RaceStatus: String, Sendable, CaseIterable {
    case qualifyingOpen = "QUALIFYING_OPEN"
    case raceRunning = "RACE_RUNNING"
    case raceComplete = "RACE_COMPLETE"
    case cancelled = "CANCELLED"
}

/// A race row.
public struct RaceRecord: Sendable, Equatable {
    public var raceID: String
    public var suiteID: Int64
    public var raceNumber: Int64
    public var status: RaceStatus
    public var qualifyingClosesAt: Int64
    public var raceStartedAt: Int64?
    public var raceCompletedAt: Int64?
    public var winnerAgentVersionID: String?
    public var winnerScore: Double?
    public var qualifyingThreshold: Double?
    public var incumbentAgentVersionID: String?
    public var problemSeed: UInt64?
    public var problemCount: Int
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
    public var raceID: String
    public var agentVersionID: String
    public var qualificationType: String
    public var qualifyingScore: Double?
    public var raceScore: Double?
    public var raceRank: Int?
    public var eliminatedAt: Int64?
    public var agentName: String?
    public var minerHotkey: String?
    public var versionNumber: Int
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
