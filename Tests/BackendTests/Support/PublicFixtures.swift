import ArenaModel
import Backend
import HummingbirdTesting
import HTTPTypes
import Hummingbird
import Foundation
import ShopArenaTesting
import Store

/// Rows for the public-route tests: eligible (ranked) versions, runs with per-problem progress, stored log
/// objects and top-holder history. Raw SQL, like `Fixtures`.
enum PublicFixtures {
    /// A version of `miner` made ELIGIBLE with `score`, submitted at `submittedAt` (default: now); released at
    /// `codeAvailableAt` when given.
    @discardableResult
    static func eligibleVersion(_ arena: TestArena, miner: String, suiteID: Int64 = 1, score: Double,
                                submittedAt: Int64? = nil, codeAvailableAt: Int64? = nil, discarded: Bool = false,
                                name: String = "agent") async throws -> (agentVersionID: String, workItemID: String) {
        let created = try await Fixtures.queuedVersion(arena, miner: miner, suiteID: suiteID, name: name)
        let now = arena.clock.nowMillis()
        try await arena.services.database.transaction { db in
            try await db.execute(
                """
                UPDATE agent_versions SET state = 'ELIGIBLE', final_score = ?, submitted_at = ?, eligible_at = ?,
                    code_available_at = ?, is_discarded = ? WHERE agent_version_id = ?
                """,
                [.double(score), .int(submittedAt ?? now), .int(now), .optional(codeAvailableAt), .bool(discarded),
                 .text(created.agentVersionID)])
            try await db.execute("UPDATE work_items SET is_closed = 1, included_success_count = required_successes, closed_at = ? WHERE work_item_id = ?",
                                 [.int(now), .text(created.workItemID)])
        }
        return created
    }

    /// A run of `validator` on a work item; returns its id.
    @discardableResult
    static func run(_ arena: TestArena, workItemID: String, agentVersionID: String, suiteID: Int64 = 1,
                    validator: String, status: String, score: Double? = nil, included: Bool = false,
                    phase: String = "QUALIFYING", raceID: String? = nil, resultsKey: String? = nil) async throws -> String {
        let now = arena.clock.nowMillis()
        let runID = UUID().uuidString.lowercased()
        try await arena.services.database.transaction { db in
            try await db.execute(
                """
                INSERT INTO evaluation_runs (eval_run_id, work_item_id, agent_version_id, suite_id, validator_hotkey, status,
                    phase, race_id, claimed_at, lease_expires_at, is_included, validator_score, results_s3_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(runID), .text(workItemID), .text(agentVersionID), .int(suiteID), .text(validator), .text(status),
                 .text(phase), .optional(raceID), .int(now), .int(now + 120_000), .bool(included), .optional(score),
                 .optional(resultsKey)])
        }
        return runID
    }

    /// One problem's progress in a run.
    static func runProblem(_ arena: TestArena, runID: String, problemID: String, status: String = "SUCCESS",
                           score: Double? = 1, logsKey: String? = nil) async throws {
        let now = arena.clock.nowMillis()
        try await arena.services.database.transaction { db in
            try await db.execute(
                "INSERT INTO run_problems (eval_run_id, problem_id, status, score, logs_s3_key, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                [.text(runID), .text(problemID), .text(status), .optional(score), .optional(logsKey), .int(now)])
        }
    }

    /// A stored object under `key` holding `text`; returns its sha256.
    @discardableResult
    static func object(_ arena: TestArena, key: String, text: String) async throws -> String {
        let sha = try await arena.services.blobs.put(Array(text.utf8))
        let now = arena.clock.nowMillis()
        try await arena.services.database.transaction { db in
            try await db.execute("INSERT INTO objects (object_key, sha256, size, content_type, created_at) VALUES (?, ?, ?, 'application/json', ?)",
                                 [.text(key), .text(sha), .int(Int64(text.utf8.count)), .int(now)])
        }
        return sha
    }

    /// A top holder of `suiteID` (current when `endedAt` is nil).
    static func top(_ arena: TestArena, suiteID: Int64 = 1, agentVersionID: String, score: Double, topAt: Int64,
                    endedAt: Int64? = nil) async throws {
        try await arena.services.database.transaction { db in
            try await db.execute("INSERT INTO top_history (suite_id, agent_version_id, score, top_at, ended_at) VALUES (?, ?, ?, ?, ?)",
                                 [.int(suiteID), .text(agentVersionID), .double(score), .int(topAt), .optional(endedAt)])
        }
    }

    /// Runs raw SQL (for one-off tweaks such as a non-public suite).
    static func sql(_ arena: TestArena, _ statement: String, _ binds: [SQLValue] = []) async throws {
        try await arena.services.database.transaction { db in try await db.execute(statement, binds) }
    }
}


extension TestClientProtocol {
    /// GET `uri`; the status and the body parsed as JSON.
    func getJSON(_ uri: String) async throws -> (status: HTTPResponse.Status, json: JSONValue) {
        let response = try await execute(uri: uri, method: .get, headers: [:], body: nil)
        return (response.status, try response.json)
    }

    /// POST a JSON body; the status and the body parsed as JSON.
    func postJSON(_ uri: String, _ body: JSONValue) async throws -> (status: HTTPResponse.Status, json: JSONValue) {
        let response = try await execute(uri: uri, method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: JSONWriter().string(body)))
        return (response.status, try response.json)
    }
}
