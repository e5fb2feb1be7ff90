import ArenaModel
import Foundation

/// Why an admin action was refused; the HTTP layer maps each case to its `error_code`.
public enum AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No agent version has this id.
    case agentVersionNotFound(String)
    /// No evaluation run has this id.
    case evalRunNotFound(String)
    /// No miner is registered under this hotkey.
    case minerNotFound(String)
    /// No validator is registered under this hotkey.
    case validatorNotFound(String)
    /// No suite has this id.
    case suiteNotFound(Int64)
    /// The action needs the active suite and none is active.
    case noActiveSuite
    /// The evaluation run was invalidated before.
    case alreadyInvalidated(String)
    /// set-top without `force` for a candidate that does not beat the challenge threshold.
    case scoreBelowThreshold(candidate: Double, required: Double, currentTop: Double, margin: Double)

    /// The refusal in words an operator can act on.
    public var description: String {
        switch self {
        case .agentVersionNotFound(let id): return "agent version \(id) not found"
        case .evalRunNotFound(let id): return "evaluation run \(id) not found"
        case .minerNotFound(let hotkey): return "miner \(hotkey) not found"
        case .validatorNotFound(let hotkey): return "validator \(hotkey) not found"
        case .suiteNotFound(let id): return "suite \(id) not found"
        case .noActiveSuite: return "no active suite: pass suite_id or activate a suite first"
        case .alreadyInvalidated(let id): return "evaluation run \(id) is already invalidated"
        case .scoreBelowThreshold(let candidate, let required, _, _):
            return "candidate score \(candidate) does not beat the challenge threshold \(required); pass force=true to override"
        }
    }
}

/// Who performs an admin action and why: recorded in the audit log with the action.
public struct AdminActor: Sendable {
    /// The admin's hotkey.
    public var hotkey: String
    /// Why, as the admin gave it.
    public var reason: String?
    /// When, epoch milliseconds.
    public var now: Int64

    /// An actor for one admin request.
    public init(hotkey: String, reason: String?, now: Int64) {
        self.hotkey = hotkey
        self.reason = reason
        self.now = now
    }
}

/// A page of rows and the total before paging.
public struct AdminPage: Sendable {
    /// Matching rows before `LIMIT` / `OFFSET`.
    public var total: Int
    /// The rows of this page.
    public var rows: [SQLRow]
}

/// Filters for listing agent versions (nil = no filter).
public struct AgentVersionFilter: Sendable {
    /// Only ELIGIBLE versions (true) or only the others (false).
    public var isEligible: Bool?
    /// Only discarded (true) or only kept (false) versions.
    public var isDiscarded: Bool?
    /// Only this miner's versions.
    public var minerHotkey: String?
    /// Only versions on this suite.
    public var suiteID: Int64?
    /// Submitted at or after, epoch milliseconds.
    public var since: Int64?
    /// Submitted at or before, epoch milliseconds.
    public var until: Int64?
    /// No filter: every version.
    public init() {}
}

/// Filters for listing evaluation runs (nil = no filter).
public struct EvaluationRunFilter: Sendable {
    /// Only runs with this status.
    public var status: String?
    /// Only runs of this agent version.
    public var agentVersionID: String?
    /// Only runs of this validator.
    public var validatorHotkey: String?
    /// Only runs of this phase (QUALIFYING or RACE).
    public var phase: String?
    /// Only runs of this race.
    public var raceID: String?
    /// Only runs of this work item.
    public var workItemID: String?
    /// Claimed at or after, epoch milliseconds.
    public var since: Int64?
    /// Claimed at or before, epoch milliseconds.
    public var until: Int64?
    /// No filter: every run.
    public init() {}
}

/// The operator's actions on agent versions, runs, miners and validators. Every mutating call writes its audit
/// event in the same transaction.
public struct AdminRepository: Sendable {
    /// The database the actions run on.
    public let database: any SQLDatabase
    /// Makes ids of the rows actions create (work items, audit events).
    public let makeID: @Sendable () -> String

    /// A repository over `database`; `makeID` defaults to random lower-case UUIDs.
    public init(database: any SQLDatabase, makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) {
        self.database = database
        self.makeID = makeID
    }

    static let versionColumns = """
        v.agent_version_id, v.agent_id, a.agent_name, v.miner_hotkey, v.version_number, v.submitted_at, v.suite_id,
        v.code_sha256, v.code_size, v.state, v.final_score, v.eligible_at, v.code_available_at, v.is_discarded,
        v.discard_reason, v.eliminated_at, v.eliminated_in_race_number, v.race_score, v.reasoning_coefficient
        """

    static let runColumns = """
        eval_run_id, work_item_id, agent_version_id, suite_id, validator_hotkey, status, phase, race_id, race_number,
        claimed_at, lease_expires_at, last_heartbeat_at, completed_at, is_included, validator_score, reasoning_quality,
        reasoning_coefficient, score_components, failure_reason, sandbox_metadata, service_versions, invalidated_at,
        invalidated_by, invalidation_reason
        """

    func audit(_ db: any SQLExecutor, _ actor: AdminActor, action: String, targetType: String, targetID: String,
               details: JSONValue?) async throws {
        try await AuditLog.record(in: db, eventID: makeID(), action: action, targetType: targetType, targetID: targetID,
                                  actorHotkey: actor.hotkey, reason: actor.reason,
                                  details: details.map { JSONWriter().string($0) }, now: actor.now)
    }

    /// Records an action that changed nothing in the arena tables (e.g. a code download) in its own transaction.
    public func audit(_ actor: AdminActor, action: String, targetType: String, targetID: String, details: JSONValue?) async throws {
        try await database.transaction { db in
            try await audit(db, actor, action: action, targetType: targetType, targetID: targetID, details: details)
        }
    }

    // MARK: agent versions

    /// Agent versions matching `filter`, newest submission first, one page.
    public func listVersions(_ filter: AgentVersionFilter, limit: Int, offset: Int) async throws -> AdminPage {
        var clause = " WHERE 1 = 1"
        var binds: [SQLValue] = []
        if let v = filter.isEligible { clause += v ? " AND v.state = 'ELIGIBLE'" : " AND v.state <> 'ELIGIBLE'" }
        if let v = filter.isDiscarded { clause += " AND v.is_discarded = ?"; binds.append(.bool(v)) }
        if let v = filter.minerHotkey { clause += " AND v.miner_hotkey = ?"; binds.append(.text(v)) }
        if let v = filter.suiteID { clause += " AND v.suite_id = ?"; binds.append(.int(v)) }
        if let v = filter.since { clause += " AND v.submitted_at >= ?"; binds.append(.int(v)) }
        if let v = filter.until { clause += " AND v.submitted_at <= ?"; binds.append(.int(v)) }
        let (c, b) = (clause, binds)
        return try await database.read { db in
            let total = try await db.scalarInt("SELECT COUNT(*) FROM agent_versions v" + c, b) ?? 0
            let rows = try await db.query(
                "SELECT \(Self.versionColumns) FROM agent_versions v JOIN agents a ON a.agent_id = v.agent_id" + c
                    + " ORDER BY v.submitted_at DESC, v.agent_version_id LIMIT ? OFFSET ?",
                b + [.int(Int64(limit)), .int(Int64(offset))])
            return AdminPage(total: Int(total), rows: rows)
        }
    }

    /// One agent version's admin columns, or nil.
    public func version(_ id: String) async throws -> SQLRow? {
        try await database.read { db in try await Self.version(id, in: db) }
    }

    static func version(_ id: String, in db: any SQLExecutor) async throws -> SQLRow? {
        try await db.first("SELECT \(versionColumns) FROM agent_versions v JOIN agents a ON a.agent_id = v.agent_id WHERE v.agent_version_id = ?",
                           [.text(id)])
    }

    /// Cancels the version's open work items and active runs (CLAIMED/RUNNING → CANCELLED); a version that is not
    /// yet eligible becomes CANCELLED. Returns the number of runs cancelled.
    public func cancel(_ versionID: String, actor: AdminActor) async throws -> Int {
        try await database.transaction { db in
            guard let version = try await Self.version(versionID, in: db) else { throw AdminError.agentVersionNotFound(versionID) }
            let active = try await db.scalarInt(
                "SELECT COUNT(*) FROM evaluation_runs WHERE agent_version_id = ? AND status IN ('CLAIMED', 'RUNNING')",
                [.text(versionID)]) ?? 0
            try await db.execute(
                "UPDATE evaluation_runs SET status = 'CANCELLED', completed_at = ? WHERE agent_version_id = ? AND status IN ('CLAIMED', 'RUNNING')",
                [.int(actor.now), .text(versionID)])
            let items = try await db.scalarInt(
                "SELECT COUNT(*) FROM work_items WHERE agent_version_id = ? AND is_closed = 0 AND is_cancelled = 0", [.text(versionID)]) ?? 0
            try await db.execute(
                "UPDATE work_items SET is_cancelled = 1, closed_at = ? WHERE agent_version_id = ? AND is_closed = 0 AND is_cancelled = 0",
                [.int(actor.now), .text(versionID)])
            let state = try version.string("state")
            if state != "ELIGIBLE" {
                try await db.execute("UPDATE agent_versions SET state = 'CANCELLED' WHERE agent_version_id = ?", [.text(versionID)])
            }
            try await audit(db, actor, action: "agent_version.cancel", targetType: "agent_version", targetID: versionID,
                            details: .object([("cancelled_runs", .int(active)), ("cancelled_work_items", .int(items)),
                                              ("previous_state", .string(state))]))
            return Int(active)
        }
    }

    /// Sets or clears `is_discarded` (a discarded version leaves the leaderboard and cannot be top). The suite is
    /// `suiteID`, else the version's, else the active one. Returns the suite id.
    public func setDiscarded(_ versionID: String, discarded: Bool, suiteID: Int64?, actor: AdminActor) async throws -> Int64 {
        try await database.transaction { db in
            guard let version = try await Self.version(versionID, in: db) else { throw AdminError.agentVersionNotFound(versionID) }
            let suite = try await Self.resolveSuite(suiteID ?? version.optionalInt("suite_id"), in: db)
            try await db.execute("UPDATE agent_versions SET is_discarded = ?, discard_reason = ? WHERE agent_version_id = ?",
                                 [.bool(discarded), discarded ? .optional(actor.reason) : .null, .text(versionID)])
            try await audit(db, actor, action: discarded ? "agent_version.discard" : "agent_version.reinstate",
                            targetType: "agent_version", targetID: versionID, details: .object([("suite_id", .int(suite))]))
            return suite
        }
    }

    /// Queues a new QUALIFYING work item for the version (state → QUEUED). Returns the work item id.
    public func reevaluate(_ versionID: String, suiteID: Int64?, requiredSuccesses: Int, actor: AdminActor) async throws -> String {
        try await database.transaction { db in
            guard let version = try await Self.version(versionID, in: db) else { throw AdminError.agentVersionNotFound(versionID) }
            let suite = try await Self.resolveSuite(suiteID ?? version.optionalInt("suite_id"), in: db)
            let itemID = try await WorkItems.enqueue(in: db, workItemID: makeID(), agentVersionID: versionID, suiteID: suite,
                                                     phase: .qualifying, requiredSuccesses: requiredSuccesses, now: actor.now)
            try await db.execute("UPDATE agent_versions SET state = 'QUEUED', suite_id = ? WHERE agent_version_id = ?",
                                 [.int(suite), .text(versionID)])
            try await audit(db, actor, action: "agent_version.reevaluate", targetType: "agent_version", targetID: versionID,
                            details: .object([("suite_id", .int(suite)), ("work_item_id", .string(itemID)),
                                              ("required_successes", .int(Int64(requiredSuccesses)))]))
            return itemID
        }
    }

    /// The outcome of set-top.
    public struct TopChange: Sendable {
        /// The suite whose top changed.
        public var suiteID: Int64
        /// When the version took the top, epoch milliseconds.
        public var topAt: Int64
        /// The version that held it before, if any.
        public var previousTopVersionID: String?
    }

    /// Makes the version the top agent of the suite: ends the current holder's `top_history` row and adds one for
    /// the version. Without `force` the version's final score must beat `policy`'s challenge threshold.
    public func setTop(_ versionID: String, suiteID: Int64?, force: Bool, policy: ChallengePolicy,
                       actor: AdminActor) async throws -> TopChange {
        try await database.transaction { db in
            guard let version = try await Self.version(versionID, in: db) else { throw AdminError.agentVersionNotFound(versionID) }
            let suite = try await Self.resolveSuite(suiteID ?? version.optionalInt("suite_id"), in: db)
            let candidate = version.optionalDouble("final_score") ?? 0
            let current = try await db.first(
                "SELECT agent_version_id, score, top_at FROM top_history WHERE suite_id = ? AND ended_at IS NULL ORDER BY top_at DESC LIMIT 1\(db.dialect.forUpdate)",
                [.int(suite)])
            if let current, !force {
                let score = try current.double("score")
                let topAt = try current.int("top_at")
                let days = Double(actor.now - topAt) / 86_400_000
                let threshold = policy.threshold(incumbentScore: score, daysAsTop: days)
                if !threshold.isBeaten(by: candidate) {
                    throw AdminError.scoreBelowThreshold(candidate: candidate, required: threshold.threshold,
                                                         currentTop: score, margin: threshold.margin)
                }
            }
            try await db.execute("UPDATE top_history SET ended_at = ? WHERE suite_id = ? AND ended_at IS NULL",
                                 [.int(actor.now), .int(suite)])
            try await db.execute("INSERT INTO top_history (suite_id, agent_version_id, score, top_at) VALUES (?, ?, ?, ?)",
                                 [.int(suite), .text(versionID), .double(candidate), .int(actor.now)])
            let previous = current?.optionalString("agent_version_id")
            try await audit(db, actor, action: "agent_version.set_top", targetType: "agent_version", targetID: versionID,
                            details: .object([("suite_id", .int(suite)), ("force", .bool(force)), ("score", .double(candidate)),
                                              ("previous_top_agent_version_id", previous.map(JSONValue.string) ?? .null)]))
            return TopChange(suiteID: suite, topAt: actor.now, previousTopVersionID: previous)
        }
    }

    static func resolveSuite(_ suiteID: Int64?, in db: any SQLExecutor) async throws -> Int64 {
        if let suiteID {
            guard try await SuiteRepository.find(suiteID, in: db) != nil else { throw AdminError.suiteNotFound(suiteID) }
            return suiteID
        }
        guard let active = try await SuiteRepository.activeSuiteID(in: db) else { throw AdminError.noActiveSuite }
        return active
    }

    // MARK: evaluation runs

    /// Evaluation runs matching `filter`, one page.
    public func listRuns(_ filter: EvaluationRunFilter, limit: Int, offset: Int) async throws -> AdminPage {
        var clause = " WHERE 1 = 1"
        var binds: [SQLValue] = []
        if let v = filter.status { clause += " AND status = ?"; binds.append(.text(v)) }
        if let v = filter.agentVersionID { clause += " AND agent_version_id = ?"; binds.append(.text(v)) }
        if let v = filter.validatorHotkey { clause += " AND validator_hotkey = ?"; binds.append(.text(v)) }
        if let v = filter.phase { clause += " AND phase = ?"; binds.append(.text(v)) }
        if let v = filter.raceID { clause += " AND race_id = ?"; binds.append(.text(v)) }
        if let v = filter.workItemID { clause += " AND work_item_id = ?"; binds.append(.text(v)) }
        if let v = filter.since { clause += " AND claimed_at >= ?"; binds.append(.int(v)) }
        if let v = filter.until { clause += " AND claimed_at <= ?"; binds.append(.int(v)) }
        let (c, b) = (clause, binds)
        return try await database.read { db in
            let total = try await db.scalarInt("SELECT COUNT(*) FROM evaluation_runs" + c, b) ?? 0
            let rows = try await db.query("SELECT \(Self.runColumns) FROM evaluation_runs" + c
                                            + " ORDER BY claimed_at DESC, eval_run_id LIMIT ? OFFSET ?",
                                          b + [.int(Int64(limit)), .int(Int64(offset))])
            return AdminPage(total: Int(total), rows: rows)
        }
    }

    /// Excludes a run from scoring (`is_included` = 0) and recomputes its work item: the included SUCCESS count,
    /// whether it is still closed, and the version's final score (mean of the included scores) or, when the item
    /// reopens, the version back to QUEUED. Returns the updated run row.
    public func invalidate(_ runID: String, actor: AdminActor) async throws -> SQLRow {
        try await database.transaction { db in
            guard let run = try await db.first("SELECT \(Self.runColumns) FROM evaluation_runs WHERE eval_run_id = ?\(db.dialect.forUpdate)",
                                               [.text(runID)]) else { throw AdminError.evalRunNotFound(runID) }
            if run.optionalInt("invalidated_at") != nil { throw AdminError.alreadyInvalidated(runID) }
            try await db.execute(
                "UPDATE evaluation_runs SET is_included = 0, invalidated_at = ?, invalidated_by = ?, invalidation_reason = ? WHERE eval_run_id = ?",
                [.int(actor.now), .text(actor.hotkey), .optional(actor.reason), .text(runID)])
            let itemID = try run.string("work_item_id")
            let versionID = try run.string("agent_version_id")
            var details: [(String, JSONValue)] = [("work_item_id", .string(itemID))]
            if let item = try await db.first("SELECT required_successes, is_closed, is_cancelled, phase FROM work_items WHERE work_item_id = ?",
                                             [.text(itemID)]) {
                let stats = try await db.first(
                    "SELECT COUNT(*) AS n, AVG(validator_score) AS mean FROM evaluation_runs WHERE work_item_id = ? AND is_included = 1 AND status = 'SUCCESS'",
                    [.text(itemID)])
                let included = stats?.optionalInt("n") ?? 0
                let mean = stats?.optionalDouble("mean")
                let required = try item.int("required_successes")
                let wasClosed = try item.bool("is_closed")
                let closed = included >= required
                try await db.execute("UPDATE work_items SET included_success_count = ?, is_closed = ?, closed_at = CASE WHEN ? = 1 THEN closed_at ELSE NULL END WHERE work_item_id = ?",
                                     [.int(included), .bool(closed), .bool(closed), .text(itemID)])
                if try item.string("phase") == EvaluationPhase.qualifying.rawValue {
                    if closed {
                        try await db.execute("UPDATE agent_versions SET final_score = ? WHERE agent_version_id = ?",
                                             [.optional(mean), .text(versionID)])
                    } else if wasClosed, try !item.bool("is_cancelled") {
                        try await db.execute(
                            "UPDATE agent_versions SET state = 'QUEUED', final_score = NULL, eligible_at = NULL WHERE agent_version_id = ? AND state = 'ELIGIBLE'",
                            [.text(versionID)])
                    }
                }
                details += [("included_success_count", .int(included)), ("work_item_closed", .bool(closed)),
                            ("reopened", .bool(wasClosed && !closed))]
            }
            try await audit(db, actor, action: "evaluation_run.invalidate", targetType: "evaluation_run", targetID: runID,
                            details: .object(details))
            guard let updated = try await db.first("SELECT \(Self.runColumns) FROM evaluation_runs WHERE eval_run_id = ?", [.text(runID)]) else {
                throw AdminError.evalRunNotFound(runID)
            }
            return updated
        }
    }

    // MARK: miners and validators

    /// Identities of `role` with, for miners, their agent count and, for validators, whether they hold an active run.
    public func listIdentities(role: Role, isBanned: Bool?, since: Int64?, until: Int64?, limit: Int, offset: Int) async throws -> AdminPage {
        var clause = " WHERE i.role = ?"
        var binds: [SQLValue] = [.text(role.rawValue)]
        if let v = isBanned { clause += " AND i.is_banned = ?"; binds.append(.bool(v)) }
        if let v = since { clause += " AND i.registered_at >= ?"; binds.append(.int(v)) }
        if let v = until { clause += " AND i.registered_at <= ?"; binds.append(.int(v)) }
        let (c, b) = (clause, binds)
        return try await database.read { db in
            let total = try await db.scalarInt("SELECT COUNT(*) FROM identities i" + c, b) ?? 0
            let rows = try await db.query(
                """
                SELECT i.hotkey, i.role, i.name, i.is_banned, i.ban_reason, i.banned_at, i.registered_at, i.cooldown_until,
                    i.last_submit_at, i.last_claim_at, i.last_seen_at, i.service_versions,
                    (SELECT COUNT(*) FROM agents a WHERE a.miner_hotkey = i.hotkey) AS agent_count,
                    (SELECT COUNT(*) FROM agent_versions v WHERE v.miner_hotkey = i.hotkey) AS version_count,
                    (SELECT COUNT(*) FROM evaluation_runs r WHERE r.validator_hotkey = i.hotkey AND r.status IN ('CLAIMED', 'RUNNING')) AS active_runs
                FROM identities i
                """ + c + " ORDER BY i.registered_at, i.hotkey LIMIT ? OFFSET ?",
                b + [.int(Int64(limit)), .int(Int64(offset))])
            return AdminPage(total: Int(total), rows: rows)
        }
    }

    /// Bans or unbans a hotkey of `role`; throws the role's not-found error for an unknown hotkey.
    public func setBanned(_ hotkey: String, role: Role, banned: Bool, actor: AdminActor) async throws {
        try await database.transaction { db in
            guard let record = try await IdentityRepository.find(hotkey, in: db), record.role == role else {
                throw role == .validator ? AdminError.validatorNotFound(hotkey) : AdminError.minerNotFound(hotkey)
            }
            try await db.execute("UPDATE identities SET is_banned = ?, ban_reason = ?, banned_at = ? WHERE hotkey = ?",
                                 [.bool(banned), banned ? .optional(actor.reason) : .null, banned ? .int(actor.now) : .null, .text(hotkey)])
            if banned, role == .validator {
                // A banned validator's Chutes tokens are revoked with it (reference: validators/{hotkey}/ban).
                try await db.execute("UPDATE identities SET inference_credential = NULL WHERE hotkey = ?", [.text(hotkey)])
            }
            try await audit(db, actor, action: "\(role.rawValue).\(banned ? "ban" : "unban")", targetType: role.rawValue,
                            targetID: hotkey, details: .object([("was_banned", .bool(record.isBanned))]))
        }
    }

    /// Clears a miner's submission cooldown. Returns the seconds that were left (nil when the hotkey is unknown
    /// or had no cooldown running).
    public func clearCooldown(_ hotkey: String, cooldownSeconds: Double, actor: AdminActor) async throws -> (known: Bool, secondsRemaining: Int64?) {
        try await database.transaction { db in
            guard let record = try await IdentityRepository.find(hotkey, in: db) else { return (false, nil) }
            var until = record.cooldownUntil ?? 0
            if let last = record.lastSubmitAt { until = max(until, last + Int64(cooldownSeconds * 1000)) }
            let remaining = until > actor.now ? (until - actor.now + 999) / 1000 : nil
            try await db.execute("UPDATE identities SET cooldown_until = NULL, last_submit_at = NULL WHERE hotkey = ?", [.text(hotkey)])
            try await audit(db, actor, action: "miner.clear_cooldown", targetType: "miner", targetID: hotkey,
                            details: .object([("seconds_remaining_was", remaining.map(JSONValue.int) ?? .null)]))
            return (true, remaining)
        }
    }

    /// Runs the reaper has marked STALE so far.
    public func staleRunCount() async throws -> Int64 {
        try await database.read { db in try await db.scalarInt("SELECT COUNT(*) FROM evaluation_runs WHERE status = 'STALE'") ?? 0 }
    }
}
