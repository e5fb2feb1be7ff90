/// Miners' agents and their versions: the submit transaction, the per-hotkey cooldown, and the reads behind
/// the miner routes.
///
/// An agent is unique per (miner, name); each accepted submission adds a version numbered one more than the
/// agent's last, stored QUEUED with a qualifying work item on the active suite. The cooldown lives on the
/// identity (`cooldown_until`), so it survives restarts and an admin can clear it.
public struct AgentRepository: Sendable {
    /// The database holding agents, versions and identities.
    public let database: any SQLDatabase

    /// A repository over `database`.
    public init(database: any SQLDatabase) { self.database = database }

    /// One agent (a miner's name for a line of versions).
    public struct Agent: Sendable, Equatable {
        /// The agent's id.
        public var agentID: String
        /// The miner who owns it.
        public var minerHotkey: String
        /// Its name, unique per miner.
        public var agentName: String
        /// When its first version was submitted, epoch milliseconds.
        public var createdAt: Int64

        init(row: SQLRow) throws(StoreError) {
            agentID = try row.string("agent_id")
            minerHotkey = try row.string("miner_hotkey")
            agentName = try row.string("agent_name")
            createdAt = try row.int("created_at")
        }
    }

    /// One submitted version of an agent: the same row type the public queries read.
    public typealias Version = AgentVersionRecord

    /// An analysed file that passed every check, ready to become a version.
    public struct Submission: Sendable {
        /// The submitting miner.
        public var minerHotkey: String
        /// The agent the version is added to (created on first use).
        public var agentName: String
        /// Address of the code in the blob store (stored before the transaction).
        public var codeSHA256: String
        /// Bytes of the agent file.
        public var codeSize: Int64
        /// The cooldown an accepted submission starts, in milliseconds.
        public var cooldownMillis: Int64
        /// Included successful runs the qualifying work item needs.
        public var requiredSuccesses: Int
        /// When, epoch milliseconds.
        public var now: Int64

        /// A submission as the miner route checked it.
        public init(minerHotkey: String, agentName: String, codeSHA256: String, codeSize: Int64,
                    cooldownMillis: Int64, requiredSuccesses: Int, now: Int64) {
            self.minerHotkey = minerHotkey
            self.agentName = agentName
            self.codeSHA256 = codeSHA256
            self.codeSize = codeSize
            self.cooldownMillis = cooldownMillis
            self.requiredSuccesses = requiredSuccesses
            self.now = now
        }
    }

    /// What the submit transaction decided.
    public enum SubmitOutcome: Sendable, Equatable {
        /// Stored: the new version, its queued work item and when this hotkey may submit again.
        case accepted(agentID: String, agentVersionID: String, versionNumber: Int64, suiteID: Int64,
                      workItemID: String, nextAllowedAt: Int64)
        /// Another submission of this hotkey started a cooldown meanwhile.
        case cooldown(until: Int64)
        /// There is no active suite to evaluate on.
        case noActiveSuite
    }

    static let versionColumns = """
        v.agent_version_id, v.agent_id, a.agent_name, v.miner_hotkey, v.version_number, v.submitted_at, v.suite_id,
        v.code_sha256, v.code_size, v.state, v.final_score, v.eligible_at, v.code_available_at, v.is_discarded,
        v.eliminated_at, v.eliminated_in_race_number, v.race_score, v.reasoning_coefficient
        """

    // MARK: Cooldown and suite

    /// The id of the active suite (the newest active one if several are flagged), or nil.
    public func activeSuiteID() async throws -> Int64? {
        try await database.read { db in try await Self.activeSuiteID(in: db) }
    }

    static func activeSuiteID(in db: any SQLExecutor) async throws -> Int64? {
        try await SuiteRepository.activeSuiteID(in: db)
    }

    /// When `hotkey` may submit again, if that is after `now` (nil: it may submit now).
    public func cooldownUntil(_ hotkey: String, now: Int64) async throws -> Int64? {
        try await database.read { db in
            let until = try await db.first("SELECT cooldown_until FROM identities WHERE hotkey = ?", [.text(hotkey)])?
                .optionalInt("cooldown_until")
            return until.flatMap { $0 > now ? $0 : nil }
        }
    }

    /// Starts (or lengthens) a cooldown without a submission: a file refused for rule violations still uses
    /// up the miner's turn. Never shortens a running cooldown. Returns the cooldown end now in force.
    @discardableResult
    public func applyCooldown(_ hotkey: String, until: Int64, now: Int64) async throws -> Int64 {
        try await database.transaction { db in
            let current = try await db.first("SELECT cooldown_until FROM identities WHERE hotkey = ?\(db.dialect.forUpdate)",
                                             [.text(hotkey)])?.optionalInt("cooldown_until")
            let end = max(current ?? 0, until)
            try await db.execute("UPDATE identities SET cooldown_until = ?, last_submit_at = ? WHERE hotkey = ?",
                                 [.int(end), .int(now), .text(hotkey)])
            return end
        }
    }

    // MARK: Submit

    /// The submit transaction: re-checks the cooldown under a row lock (two racing submissions of one hotkey
    /// cannot both pass), requires an active suite, creates or reuses the agent, adds version n+1 as QUEUED,
    /// queues its qualifying work item and starts the cooldown.
    public func submit(_ submission: Submission, workItemID: String, newID: @escaping @Sendable () -> String)
        async throws -> SubmitOutcome
    {
        try await database.transaction { db in
            let now = submission.now
            let until = try await db.first(
                "SELECT cooldown_until FROM identities WHERE hotkey = ?\(db.dialect.forUpdate)",
                [.text(submission.minerHotkey)])?.optionalInt("cooldown_until")
            if let until, until > now { return .cooldown(until: until) }
            guard let suiteID = try await Self.activeSuiteID(in: db) else { return .noActiveSuite }

            let agentID: String
            if let row = try await db.first("SELECT agent_id FROM agents WHERE miner_hotkey = ? AND agent_name = ?",
                                            [.text(submission.minerHotkey), .text(submission.agentName)]) {
                agentID = try row.string("agent_id")
            } else {
                agentID = newID()
                try await db.execute("INSERT INTO agents (agent_id, miner_hotkey, agent_name, created_at) VALUES (?, ?, ?, ?)",
                                     [.text(agentID), .text(submission.minerHotkey), .text(submission.agentName), .int(now)])
            }
            let versionNumber = try await db.scalarInt(
                "SELECT COALESCE(MAX(version_number), 0) + 1 FROM agent_versions WHERE agent_id = ?", [.text(agentID)]) ?? 1
            let versionID = newID()
            try await db.execute(
                """
                INSERT INTO agent_versions (agent_version_id, agent_id, miner_hotkey, version_number, submitted_at, suite_id,
                    code_sha256, code_size, state, is_discarded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', 0)
                """,
                [.text(versionID), .text(agentID), .text(submission.minerHotkey), .int(versionNumber), .int(now),
                 .int(suiteID), .text(submission.codeSHA256), .int(submission.codeSize)])
            try await WorkItems.enqueue(in: db, workItemID: workItemID, agentVersionID: versionID, suiteID: suiteID,
                                        phase: .qualifying, requiredSuccesses: submission.requiredSuccesses, now: now)
            let next = now + submission.cooldownMillis
            try await db.execute("UPDATE identities SET cooldown_until = ?, last_submit_at = ? WHERE hotkey = ?",
                                 [.int(next), .int(now), .text(submission.minerHotkey)])
            return .accepted(agentID: agentID, agentVersionID: versionID, versionNumber: versionNumber, suiteID: suiteID,
                             workItemID: workItemID, nextAllowedAt: next)
        }
    }

    // MARK: Reads

    /// The miner's agents, newest first, each with its latest version (nil when it has none).
    public func agents(ofMiner hotkey: String) async throws -> [(agent: Agent, latest: Version?)] {
        let pairs = try await database.read { db -> [AgentWithLatest] in
            let agents = try await db.query(
                "SELECT agent_id, miner_hotkey, agent_name, created_at FROM agents WHERE miner_hotkey = ? ORDER BY created_at DESC, agent_id",
                [.text(hotkey)]).map(Agent.init(row:))
            let latest = try await db.query(
                """
                SELECT \(Self.versionColumns) FROM agent_versions v JOIN agents a ON a.agent_id = v.agent_id
                WHERE v.miner_hotkey = ? AND v.version_number = (
                    SELECT MAX(w.version_number) FROM agent_versions w WHERE w.agent_id = v.agent_id)
                """, [.text(hotkey)]).map(Version.init(row:))
            var byAgent: [String: Version] = [:]
            for version in latest { byAgent[version.agentID] = version }
            return agents.map { AgentWithLatest(agent: $0, latest: byAgent[$0.agentID]) }
        }
        return pairs.map { ($0.agent, $0.latest) }
    }

    private struct AgentWithLatest: Sendable {
        var agent: Agent
        var latest: Version?
    }

    /// The agent with this id, or nil.
    public func agent(_ agentID: String) async throws -> Agent? {
        try await database.read { db in
            try await db.first("SELECT agent_id, miner_hotkey, agent_name, created_at FROM agents WHERE agent_id = ?",
                               [.text(agentID)]).map(Agent.init(row:))
        }
    }

    /// Every version of an agent, newest first.
    public func versions(ofAgent agentID: String) async throws -> [Version] {
        try await database.read { db in
            try await db.query(
                """
                SELECT \(Self.versionColumns) FROM agent_versions v JOIN agents a ON a.agent_id = v.agent_id
                WHERE v.agent_id = ? ORDER BY v.version_number DESC
                """, [.text(agentID)]).map(Version.init(row:))
        }
    }

    /// The version with this id, or nil.
    public func version(_ agentVersionID: String) async throws -> Version? {
        try await database.read { db in try await Self.version(agentVersionID, in: db) }
    }

    /// The version with this id, or nil, inside the caller's transaction or read.
    public static func version(_ agentVersionID: String, in db: any SQLExecutor) async throws -> Version? {
        try await db.first(
            """
            SELECT \(versionColumns) FROM agent_versions v JOIN agents a ON a.agent_id = v.agent_id
            WHERE v.agent_version_id = ?
            """, [.text(agentVersionID)]).map(Version.init(row:))
    }
}
