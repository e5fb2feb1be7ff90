import Backend
import Foundation
import ShopArenaTesting
import Store

/// Rows for tests that need arena state without going through other routes: a suite with problems, a miner's
/// agent version with its queued work item. Raw SQL against the shared schema, so each test can start from
/// exactly the state it needs.
enum Fixtures {
    /// An active suite with `problems` simple product problems; returns the suite id and problem ids.
    @discardableResult
    static func suite(_ arena: TestArena, id: Int64 = 1, problems: Int = 3, active: Bool = true,
                      hiddenProblems: Int = 0) async throws -> (suiteID: Int64, problemIDs: [String]) {
        let now = arena.clock.nowMillis()
        let ids = (0..<(problems + hiddenProblems)).map { _ in UUID().uuidString.lowercased() }
        try await arena.services.database.transaction { db in
            try await db.execute(
                "INSERT INTO suites (suite_id, suite_version, is_active, is_public, source_uri, problem_count, created_at) VALUES (?, ?, ?, 1, 'fixture', ?, ?)",
                [.int(id), .int(id), .bool(active), .int(Int64(problems)), .int(now)])
            for (index, problemID) in ids.enumerated() {
                let hidden = index >= problems
                let metadata = #"{"problem_id":"\#(problemID)","query":"red running shoes \#(index)","category":"product","reward":[{"product_id":"1000\#(index)"}]}"#
                try await db.execute(
                    "INSERT INTO problems (suite_id, problem_id, position, category, is_hidden, metadata) VALUES (?, ?, ?, 'product', ?, ?)",
                    [.int(id), .text(problemID), .int(Int64(index)), .bool(hidden), .text(metadata)])
            }
        }
        return (id, Array(ids.prefix(problems)))
    }

    /// A submitted agent version of `miner` on `suiteID`, QUEUED with a work item needing `required` successes.
    @discardableResult
    static func queuedVersion(_ arena: TestArena, miner: String, suiteID: Int64 = 1, name: String = "agent",
                              required: Int = 2, code: String = "def agent_main(problem):\n    return []\n")
        async throws -> (agentVersionID: String, workItemID: String)
    {
        let now = arena.clock.nowMillis()
        let sha = try await arena.services.blobs.put(Array(code.utf8))
        let agentID = UUID().uuidString.lowercased()
        let versionID = UUID().uuidString.lowercased()
        let workItemID = UUID().uuidString.lowercased()
        try await arena.services.database.transaction { db in
            try await db.execute("INSERT INTO agents (agent_id, miner_hotkey, agent_name, created_at) VALUES (?, ?, ?, ?)",
                                 [.text(agentID), .text(miner), .text(name + "-" + agentID.prefix(6)), .int(now)])
            try await db.execute(
                """
                INSERT INTO agent_versions (agent_version_id, agent_id, miner_hotkey, version_number, submitted_at, suite_id,
                    code_sha256, code_size, state) VALUES (?, ?, ?, 1, ?, ?, ?, ?, 'QUEUED')
                """,
                [.text(versionID), .text(agentID), .text(miner), .int(now), .int(suiteID), .text(sha), .int(Int64(code.utf8.count))])
            try await WorkItems.enqueue(in: db, workItemID: workItemID, agentVersionID: versionID, suiteID: suiteID,
                                        phase: .qualifying, requiredSuccesses: required, now: now)
        }
        return (versionID, workItemID)
    }
}
