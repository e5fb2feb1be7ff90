import ArenaModel

/// Bulk arena state for load benchmarks (`shoparena bench backend`): a suite of placeholder problems and many
/// queued agent versions, written in batches so a large seed never holds the writer for long. Not used by the
/// arena itself; kept here because it is SQL.
public struct LoadSeeding: Sendable {
    /// The database seeded.
    public let database: any SQLDatabase

    /// Seeding into `database`.
    public init(database: any SQLDatabase) { self.database = database }

    /// Creates an inactive public suite with `problemIDs` (category product) and returns its id.
    public func suite(problemIDs: [String], now: Int64) async throws -> Int64 {
        try await database.transaction { db in
            let suiteID = (try await db.scalarInt("SELECT COALESCE(MAX(suite_id), 0) + 1 FROM suites")) ?? 1
            try await db.execute(
                "INSERT INTO suites (suite_id, suite_version, is_active, is_public, problem_count, created_at) VALUES (?, ?, 0, 1, ?, ?)",
                [.int(suiteID), .int(suiteID), .int(Int64(problemIDs.count)), .int(now)])
            for (index, id) in problemIDs.enumerated() {
                let metadata = JSONWriter().string(.object([
                    ("problem_id", .string(id)), ("query", .string("bench query \(index)")), ("category", "product"),
                ]))
                try await db.execute(
                    "INSERT INTO problems (suite_id, problem_id, position, category, is_hidden, metadata) VALUES (?, ?, ?, 'product', 0, ?)",
                    [.int(suiteID), .text(id), .int(Int64(index)), .text(metadata)])
            }
            return suiteID
        }
    }

    /// Queues `count` fresh agents of `minerHotkey` (one version each, code `codeSHA256`) on `suiteID` as QUALIFYING
    /// work items needing two successes; `makeID` names every new row.
    public func queuedVersions(count: Int, minerHotkey: String, suiteID: Int64, codeSHA256: String, now: Int64,
                               makeID: @Sendable () -> String) async throws {
        var created = 0
        while created < count {
            let batch = min(500, count - created)
            try await database.transaction { db in
                for _ in 0..<batch {
                    let seq = try await WorkItems.nextPosition(in: db)
                    let agentID = makeID(), versionID = makeID()
                    try await db.execute("INSERT INTO agents (agent_id, miner_hotkey, agent_name, created_at) VALUES (?, ?, ?, ?)",
                                         [.text(agentID), .text(minerHotkey), .text("bench-" + agentID), .int(now)])
                    try await db.execute(
                        """
                        INSERT INTO agent_versions (agent_version_id, agent_id, miner_hotkey, version_number, submitted_at, suite_id,
                            code_sha256, code_size, state) VALUES (?, ?, ?, 1, ?, ?, ?, 40, 'QUEUED')
                        """, [.text(versionID), .text(agentID), .text(minerHotkey), .int(now), .int(suiteID), .text(codeSHA256)])
                    try await db.execute(
                        """
                        INSERT INTO work_items (work_item_id, seq, agent_version_id, suite_id, phase, required_successes,
                            included_success_count, is_closed, is_cancelled, queued_at) VALUES (?, ?, ?, ?, 'QUALIFYING', 2, 0, 0, 0, ?)
                        """, [.text(makeID()), .int(seq), .text(versionID), .int(suiteID), .int(now)])
                }
            }
            created += batch
        }
    }
}
