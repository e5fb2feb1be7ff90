import ArenaModel
import Store

/// The `AgentVersionStatus` JSON of oro-api §2.1, shared by `GET /v1/miner/agent-versions/{id}` (owner only)
/// and `GET /v1/public/agent-versions/{id}/status`.
///
/// Work-item counters come from the version's newest QUALIFYING work item on its suite: `success_count` is
/// its included successes, `active_count` its runs still CLAIMED or RUNNING, `per_validator_success_scores`
/// maps each validator with an included SUCCESS run to its score (null when there is none yet).
/// `release_state` is RELEASED once `code_available_at` has passed, HIDDEN before.
public enum AgentVersionStatusView {
    /// The status of `agentVersionID`, or nil when there is no such version.
    public static func load(_ agentVersionID: String, database: any SQLDatabase, now: Int64) async throws -> JSONValue? {
        try await database.read { db in
            guard let version = try await AgentRepository.version(agentVersionID, in: db) else { return nil }
            return try await build(version, in: db, now: now)
        }
    }

    /// The status of an already loaded version (reads its work item and runs through `db`).
    public static func build(_ version: AgentRepository.Version, in db: any SQLExecutor, now: Int64) async throws -> JSONValue {
        var required: Int64 = 1
        var successes: Int64 = 0
        var active: Int64 = 0
        var closed = false
        var perValidator: JSONValue = .null
        var itemSQL = "SELECT work_item_id, required_successes, included_success_count, is_closed FROM work_items WHERE agent_version_id = ? AND phase = 'QUALIFYING'"
        var binds: [SQLValue] = [.text(version.agentVersionID)]
        if let suiteID = version.suiteID {
            itemSQL += " AND suite_id = ?"
            binds.append(.int(suiteID))
        }
        if let item = try await db.first(itemSQL + " ORDER BY seq DESC LIMIT 1", binds) {
            let itemID = try item.string("work_item_id")
            required = try item.int("required_successes")
            successes = try item.int("included_success_count")
            closed = try item.bool("is_closed")
            active = try await db.scalarInt(
                "SELECT COUNT(*) FROM evaluation_runs WHERE work_item_id = ? AND status IN ('CLAIMED', 'RUNNING')",
                [.text(itemID)]) ?? 0
            let scored = try await db.query(
                """
                SELECT validator_hotkey, validator_score FROM evaluation_runs
                WHERE work_item_id = ? AND status = 'SUCCESS' AND is_included = 1 ORDER BY completed_at, validator_hotkey
                """, [.text(itemID)])
            if !scored.isEmpty {
                perValidator = .object(try scored.map { row in
                    (try row.string("validator_hotkey"), row.optionalDouble("validator_score").map(JSONValue.double) ?? .null)
                })
            }
        }
        let released = version.codeAvailableAt.map { $0 <= now } ?? false
        return .object([
            ("agent_version_id", .string(version.agentVersionID)),
            ("agent_name", .string(version.agentName)),
            ("miner_hotkey", .string(version.minerHotkey)),
            ("version_number", .int(version.versionNumber)),
            ("submitted_at", .string(Wire.timestamp(version.submittedAt))),
            ("state", .string(version.state)),
            ("eliminated_at", Wire.timestamp(version.eliminatedAt)),
            ("eliminated_in_race_number", version.eliminatedInRaceNumber.map(JSONValue.int) ?? .null),
            ("suite_id", version.suiteID.map(JSONValue.int) ?? .null),
            ("required_successes", .int(required)),
            ("success_count", .int(successes)),
            ("active_count", .int(active)),
            ("is_closed", .bool(closed)),
            ("final_score", version.finalScore.map(JSONValue.double) ?? .null),
            ("race_score", version.raceScore.map(JSONValue.double) ?? .null),
            ("reasoning_coefficient", version.reasoningCoefficient.map(JSONValue.double) ?? .null),
            ("release_state", .string(released ? "RELEASED" : "HIDDEN")),
            ("code_available_at", Wire.timestamp(version.codeAvailableAt)),
            ("per_validator_success_scores", perValidator),
        ])
    }
}
