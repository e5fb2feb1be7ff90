/// An agent version that could race for its miner: ELIGIBLE on the suite, not discarded, not eliminated, scored.
public struct RaceCandidateRecord: Sendable, Hashable {
    /// The candidate version.
    public var agentVersionID: String
    /// Its agent.
    public var agentID: String
    /// Its miner.
    public var minerHotkey: String
    /// Its qualifying score.
    public var finalScore: Double
    /// When it was submitted, epoch milliseconds.
    public var submittedAt: Int64

    /// A candidate as read.
    public init(agentVersionID: String, agentID: String, minerHotkey: String, finalScore: Double, submittedAt: Int64) {
        self.agentVersionID = agentVersionID
        self.agentID = agentID
        self.minerHotkey = minerHotkey
        self.finalScore = finalScore
        self.submittedAt = submittedAt
    }
}

/// A miner's race pin (`oro pin`): the version it locks into the next race.
public struct RaceSelectionRecord: Sendable, Hashable {
    /// The miner who pinned.
    public var minerHotkey: String
    /// The pinned version.
    public var agentVersionID: String
    /// When it was pinned, epoch milliseconds.
    public var selectedAt: Int64
}

/// The `race_selections` table and the rows the race selection needs (oro-sdk 7.x `PUT|DELETE
/// /v1/miner/race-selection`). One pin per miner; without one the miner's best candidate races (auto-pick).
public struct RaceSelections: Sendable {
    /// The database holding the pins.
    public let database: any SQLDatabase

    /// Pins in `database`.
    public init(database: any SQLDatabase) { self.database = database }

    /// The miner's pin, or nil (auto-pick).
    public func selection(ofMiner hotkey: String) async throws -> RaceSelectionRecord? {
        try await database.read { db in
            try await db.first("SELECT miner_hotkey, agent_version_id, selected_at FROM race_selections WHERE miner_hotkey = ?",
                               [.text(hotkey)]).map(Self.record)
        }
    }

    /// Pins `agentVersionID` for the miner (replacing an older pin).
    public func pin(_ agentVersionID: String, forMiner hotkey: String, now: Int64) async throws {
        try await database.transaction { db in
            try await db.execute(
                """
                INSERT INTO race_selections (miner_hotkey, agent_version_id, selected_at) VALUES (?, ?, ?)
                ON CONFLICT (miner_hotkey) DO UPDATE SET agent_version_id = excluded.agent_version_id, selected_at = excluded.selected_at
                """, [.text(hotkey), .text(agentVersionID), .int(now)])
        }
    }

    /// Removes the miner's pin; false when there was none.
    @discardableResult
    public func clear(forMiner hotkey: String) async throws -> Bool {
        try await database.transaction { db in
            let existed = try await db.first("SELECT miner_hotkey FROM race_selections WHERE miner_hotkey = ?", [.text(hotkey)]) != nil
            try await db.execute("DELETE FROM race_selections WHERE miner_hotkey = ?", [.text(hotkey)])
            return existed
        }
    }

    /// Every pin, by miner hotkey.
    public static func pins(in db: any SQLExecutor) async throws -> [String: String] {
        var pins: [String: String] = [:]
        for row in try await db.query("SELECT miner_hotkey, agent_version_id FROM race_selections", []) {
            pins[try row.string("miner_hotkey")] = try row.string("agent_version_id")
        }
        return pins
    }

    /// The versions of `suiteID` that may race (ELIGIBLE, scored, neither discarded nor eliminated), optionally of
    /// one miner only.
    public static func candidates(suiteID: Int64, miner: String? = nil, in db: any SQLExecutor) async throws
        -> [RaceCandidateRecord]
    {
        var sql = """
            SELECT agent_version_id, agent_id, miner_hotkey, final_score, submitted_at FROM agent_versions
            WHERE suite_id = ? AND state = 'ELIGIBLE' AND is_discarded = 0 AND final_score IS NOT NULL AND eliminated_at IS NULL
            """
        var binds: [SQLValue] = [.int(suiteID)]
        if let miner { sql += " AND miner_hotkey = ?"; binds.append(.text(miner)) }
        return try await db.query(sql + " ORDER BY agent_version_id", binds).map { row throws(StoreError) in
            RaceCandidateRecord(agentVersionID: try row.string("agent_version_id"), agentID: try row.string("agent_id"),
                                minerHotkey: try row.string("miner_hotkey"), finalScore: try row.double("final_score"),
                                submittedAt: try row.int("submitted_at"))
        }
    }

    /// The suite's race that is RACE_RUNNING, if any (pins are locked while it runs).
    public func runningRace(suiteID: Int64) async throws -> RaceRecord? {
        try await database.read { db in
            try await RaceRepository.races(statuses: [.raceRunning], suiteID: suiteID, limit: 1, in: db).first
        }
    }

    static func record(_ row: SQLRow) throws(StoreError) -> RaceSelectionRecord {
        RaceSelectionRecord(minerHotkey: try row.string("miner_hotkey"), agentVersionID: try row.string("agent_version_id"),
                            selectedAt: try row.int("selected_at"))
    }
}
