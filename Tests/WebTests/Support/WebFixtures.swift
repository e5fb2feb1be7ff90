import ArenaModel
import Backend
import Foundation
import Store

/// Arena rows for the page tests, written with raw SQL against the shared schema (like the backend tests'
/// fixtures), so each test starts from exactly the state it needs.
enum WebFixtures {
    static func uuid() -> String { UUID().uuidString.lowercased() }

    /// A random 48-character address in the SS58 alphabet, starting with 5 like a real hotkey.
    static func hotkey() -> String {
        let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
        return "5" + String((0..<47).map { _ in alphabet.randomElement()! })
    }

    /// A suite with `visible` public problems and `hidden` race problems. Hidden queries contain
    /// `SECRET-HIDDEN-QUERY` so tests can check they never reach a page.
    @discardableResult
    static func suite(_ arena: WebArena, id: Int64 = 1, visible: Int = 3, hidden: Int = 0, active: Bool = true) async throws
        -> (suiteID: Int64, visible: [String], hidden: [String])
    {
        let visibleIDs = (0..<visible).map { _ in uuid() }
        let hiddenIDs = (0..<hidden).map { _ in uuid() }
        try await arena.database.transaction { db in
            try await db.execute(
                "INSERT INTO suites (suite_id, suite_version, is_active, is_public, source_uri, problem_count, created_at) VALUES (?, ?, ?, 1, 'fixture', ?, ?)",
                [.int(id), .int(id), .bool(active), .int(Int64(visible)), .int(arena.now)])
            for (index, problemID) in (visibleIDs + hiddenIDs).enumerated() {
                let isHidden = index >= visible
                let query = isHidden ? "SECRET-HIDDEN-QUERY \(index)" : "red running shoes size \(index) under 2000 pesos"
                let metadata = JSONWriter().string(.object([
                    ("problem_id", .string(problemID)), ("query", .string(query)), ("category", "product"),
                    ("reward", .array([.object([("product_id", .string("1000\(index)"))])])),
                ]))
                try await db.execute(
                    "INSERT INTO problems (suite_id, problem_id, position, category, is_hidden, metadata) VALUES (?, ?, ?, 'product', ?, ?)",
                    [.int(id), .text(problemID), .int(Int64(index)), .bool(isHidden), .text(metadata)])
            }
        }
        return (id, visibleIDs, hiddenIDs)
    }

    static func miner(_ arena: WebArena, _ hotkey: String = WebFixtures.hotkey(), cooldownUntil: Int64? = nil) async throws -> String {
        _ = try await IdentityRepository(database: arena.database).register(hotkey, role: .miner, now: arena.now)
        if let cooldownUntil {
            try await arena.sql("UPDATE identities SET cooldown_until = ?, last_submit_at = ? WHERE hotkey = ?",
                                [.int(cooldownUntil), .int(arena.now), .text(hotkey)])
        }
        return hotkey
    }

    static func validator(_ arena: WebArena, name: String, lastSeen: Int64? = nil) async throws -> String {
        let hotkey = WebFixtures.hotkey()
        _ = try await IdentityRepository(database: arena.database).register(hotkey, role: .validator, name: name, now: arena.now)
        if let lastSeen { try await arena.sql("UPDATE identities SET last_seen_at = ? WHERE hotkey = ?", [.int(lastSeen), .text(hotkey)]) }
        return hotkey
    }

    struct Version { var versionID: String; var workItemID: String; var agentID: String }

    /// A version of `miner`'s agent `name` (created when new), in `state` with the given scores; ELIGIBLE
    /// versions get `eligible_at` and a closed work item.
    @discardableResult
    static func version(_ arena: WebArena, miner: String, name: String, number: Int64 = 1, suiteID: Int64 = 1,
                        state: String = "ELIGIBLE", score: Double? = nil, raceScore: Double? = nil,
                        submittedAt: Int64? = nil, codeAvailableAt: Int64? = nil, discarded: Bool = false,
                        code: String = "def agent_main(problem):\n    return []\n") async throws -> Version {
        let now = arena.now
        let sha = try await arena.services.blobs.put(Array(code.utf8))
        let versionID = uuid(), workItemID = uuid()
        let agentID = try await arena.database.transaction { db -> String in
            if let existing = try await db.first("SELECT agent_id FROM agents WHERE miner_hotkey = ? AND agent_name = ?",
                                                 [.text(miner), .text(name)])?.optionalString("agent_id") {
                return existing
            }
            let agentID = uuid()
            try await db.execute("INSERT INTO agents (agent_id, miner_hotkey, agent_name, created_at) VALUES (?, ?, ?, ?)",
                                 [.text(agentID), .text(miner), .text(name), .int(now)])
            return agentID
        }
        try await arena.database.transaction { db in
            try await db.execute(
                """
                INSERT INTO agent_versions (agent_version_id, agent_id, miner_hotkey, version_number, submitted_at, suite_id,
                    code_sha256, code_size, state, final_score, race_score, eligible_at, code_available_at, is_discarded)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(versionID), .text(agentID), .text(miner), .int(number), .int(submittedAt ?? now), .int(suiteID), .text(sha),
                 .int(Int64(code.utf8.count)), .text(state), .optional(score), .optional(raceScore),
                 state == "ELIGIBLE" ? .int(now) : .null, .optional(codeAvailableAt), .bool(discarded)])
            try await WorkItems.enqueue(in: db, workItemID: workItemID, agentVersionID: versionID, suiteID: suiteID,
                                        phase: .qualifying, requiredSuccesses: 2, now: now)
            if state == "ELIGIBLE" {
                try await db.execute("UPDATE work_items SET is_closed = 1, included_success_count = 2, closed_at = ? WHERE work_item_id = ?",
                                     [.int(now), .text(workItemID)])
            }
        }
        return Version(versionID: versionID, workItemID: workItemID, agentID: agentID)
    }

    /// A run of `validator` on a version's work item; returns its id.
    @discardableResult
    static func run(_ arena: WebArena, _ version: Version, validator: String, status: String, score: Double? = nil,
                    included: Bool = false, phase: String = "QUALIFYING", raceID: String? = nil, suiteID: Int64 = 1,
                    failureReason: String? = nil, claimedAt: Int64? = nil) async throws -> String {
        let runID = uuid()
        let claimed = claimedAt ?? arena.now
        try await arena.sql(
            """
            INSERT INTO evaluation_runs (eval_run_id, work_item_id, agent_version_id, suite_id, validator_hotkey, status,
                phase, race_id, claimed_at, lease_expires_at, is_included, validator_score, failure_reason, completed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(runID), .text(version.workItemID), .text(version.versionID), .int(suiteID), .text(validator), .text(status),
             .text(phase), .optional(raceID), .int(claimed), .int(claimed + 120_000), .bool(included), .optional(score),
             .optional(failureReason), ["SUCCESS", "FAILED"].contains(status) ? .int(arena.now) : .null])
        return runID
    }

    /// One problem's progress in a run.
    static func runProblem(_ arena: WebArena, runID: String, problemID: String, status: String = "SUCCESS", score: Double? = 1,
                           reasoning: Double? = nil, summary: JSONValue? = nil, logsKey: String? = nil,
                           executionTime: Double? = 12.5, inferenceTotal: Int64? = nil) async throws {
        try await arena.sql(
            """
            INSERT INTO run_problems (eval_run_id, problem_id, status, score, reasoning_score, score_components_summary,
                logs_s3_key, inference_failure_count, inference_total, execution_time, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(runID), .text(problemID), .text(status), .optional(score), .optional(reasoning),
             .optional(summary.map { JSONWriter().string($0) }), .optional(logsKey), inferenceTotal == nil ? .null : .int(0),
             .optional(inferenceTotal), .optional(executionTime), .int(arena.now)])
    }

    /// Stores `bytes` as the object `key`; returns its sha256.
    @discardableResult
    static func object(_ arena: WebArena, key: String, bytes: [UInt8]) async throws -> String {
        let sha = try await arena.services.blobs.put(bytes)
        try await arena.sql("INSERT INTO objects (object_key, sha256, size, content_type, created_at) VALUES (?, ?, ?, 'application/gzip', ?)",
                            [.text(key), .text(sha), .int(Int64(bytes.count)), .int(arena.now)])
        return sha
    }

    static func top(_ arena: WebArena, versionID: String, score: Double, topAt: Int64, endedAt: Int64? = nil) async throws {
        try await arena.sql("INSERT INTO top_history (suite_id, agent_version_id, score, top_at, ended_at) VALUES (1, ?, ?, ?, ?)",
                            [.text(versionID), .double(score), .int(topAt), .optional(endedAt)])
    }

    /// A race on suite 1 with qualifiers `(versionID, type, qualifying score, race score, rank)`.
    @discardableResult
    static func race(_ arena: WebArena, number: Int64, status: String, closesAt: Int64, winner: String? = nil,
                     winnerScore: Double? = nil, qualifiers: [(String, String, Double, Double?, Int64?)] = [],
                     problems: [String] = []) async throws -> String {
        let raceID = uuid()
        try await arena.database.transaction { db in
            try await db.execute(
                """
                INSERT INTO races (race_id, suite_id, race_number, status, qualifying_closes_at, race_started_at, race_completed_at,
                    winner_agent_version_id, winner_score, qualifying_threshold, problem_count, created_at)
                VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(raceID), .int(number), .text(status), .int(closesAt), status == "QUALIFYING_OPEN" ? .null : .int(closesAt),
                 status == "RACE_COMPLETE" ? .int(closesAt + 3_600_000) : .null, .optional(winner), .optional(winnerScore),
                 .double(0.5), .int(Int64(problems.count)), .int(arena.now - Int64(10 - number) * 1000)])
            for (version, type, qualifying, race, rank) in qualifiers {
                try await db.execute(
                    "INSERT INTO race_qualifiers (race_id, agent_version_id, qualification_type, qualifying_score, race_score, race_rank) VALUES (?, ?, ?, ?, ?, ?)",
                    [.text(raceID), .text(version), .text(type), .double(qualifying), .optional(race), .optional(rank)])
            }
            for (position, problem) in problems.enumerated() {
                try await db.execute("INSERT INTO race_problems (race_id, problem_id, position) VALUES (?, ?, ?)",
                                     [.text(raceID), .text(problem), .int(Int64(position))])
            }
        }
        return raceID
    }

    /// A gzip file holding `bytes` in stored blocks (what ShopArena validators upload).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        var offset = 0
        repeat {
            let count = min(65_535, bytes.count - offset)
            out.append(offset + count == bytes.count ? 1 : 0)
            out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += bytes[offset..<(offset + count)]
            offset += count
        } while offset < bytes.count
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        crc ^= 0xFFFF_FFFF
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((crc >> UInt32(shift)) & 0xFF)) }
        let size = UInt32(bytes.count)
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((size >> UInt32(shift)) & 0xFF)) }
        return out
    }
}
