/// One recorded admin action.
public struct AuditEvent: Sendable, Equatable {
    /// The event's id.
    public var eventID: String
    /// What was done, as `<target>.<verb>` (e.g. `agent_version.cancel`, `agent_version.reevaluate`).
    public var action: String
    /// The kind of thing acted on (agent_version, evaluation_run, identity, miner, race, suite).
    public var targetType: String
    /// The id of the thing acted on.
    public var targetID: String
    /// The admin who acted.
    public var actorHotkey: String
    /// When, epoch milliseconds.
    public var createdAt: Int64
    /// Why, as the admin gave it.
    public var reason: String?
    /// JSON text of the action's details (what changed), if any.
    public var details: String?

    init(row: SQLRow) throws(StoreError) {
        eventID = try row.string("event_id")
        action = try row.string("action")
        targetType = try row.string("target_type")
        targetID = try row.string("target_id")
        actorHotkey = try row.string("actor_hotkey")
        createdAt = try row.int("created_at")
        reason = row.optionalString("reason")
        details = row.optionalString("details")
    }
}

/// Filters of the audit-event listing; nil fields do not filter.
public struct AuditEventFilter: Sendable {
    /// Only events of this action.
    public var action: String?
    /// Only events on this kind of target.
    public var targetType: String?
    /// Only events on this target.
    public var targetID: String?
    /// Only events by this admin.
    public var actorHotkey: String?
    /// Recorded at or after, epoch milliseconds.
    public var since: Int64?
    /// Recorded at or before, epoch milliseconds.
    public var until: Int64?

    /// A filter; every field defaults to none.
    public init(action: String? = nil, targetType: String? = nil, targetID: String? = nil, actorHotkey: String? = nil,
                since: Int64? = nil, until: Int64? = nil) {
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.actorHotkey = actorHotkey
        self.since = since
        self.until = until
    }
}

/// The append-only record of admin actions (who, what, on which target, why). Written inside the action's own
/// transaction, so an action and its audit event commit or fail together.
public enum AuditLog {
    /// Appends one event inside the caller's transaction.
    public static func record(in db: any SQLExecutor, eventID: String, action: String, targetType: String, targetID: String,
                              actorHotkey: String, reason: String?, details: String?, now: Int64) async throws(StoreError) {
        try await db.execute(
            """
            INSERT INTO audit_events (event_id, action, target_type, target_id, actor_hotkey, created_at, reason, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(eventID), .text(action), .text(targetType), .text(targetID), .text(actorHotkey), .int(now),
             .optional(reason), .optional(details)])
    }

    /// Appends one event by `actor` (its hotkey, reason and time) inside the caller's transaction.
    public static func record(in db: any SQLExecutor, eventID: String, actor: AdminActor, action: String, targetType: String,
                              targetID: String, details: String?) async throws(StoreError) {
        try await record(in: db, eventID: eventID, action: action, targetType: targetType, targetID: targetID,
                         actorHotkey: actor.hotkey, reason: actor.reason, details: details, now: actor.now)
    }

    /// Events matching `filter`, newest first, with the total count before paging.
    public static func list(_ database: any SQLDatabase, filter: AuditEventFilter, limit: Int, offset: Int) async throws
        -> (total: Int, events: [AuditEvent])
    {
        var clause = " WHERE 1 = 1"
        var binds: [SQLValue] = []
        if let v = filter.action { clause += " AND action = ?"; binds.append(.text(v)) }
        if let v = filter.targetType { clause += " AND target_type = ?"; binds.append(.text(v)) }
        if let v = filter.targetID { clause += " AND target_id = ?"; binds.append(.text(v)) }
        if let v = filter.actorHotkey { clause += " AND actor_hotkey = ?"; binds.append(.text(v)) }
        if let v = filter.since { clause += " AND created_at >= ?"; binds.append(.int(v)) }
        if let v = filter.until { clause += " AND created_at <= ?"; binds.append(.int(v)) }
        let finalClause = clause
        let finalBinds = binds
        return try await database.read { db in
            let total = try await db.scalarInt("SELECT COUNT(*) FROM audit_events" + finalClause, finalBinds) ?? 0
            let rows = try await db.query(
                "SELECT event_id, action, target_type, target_id, actor_hotkey, created_at, reason, details FROM audit_events"
                    + finalClause + " ORDER BY created_at DESC, event_id DESC LIMIT ? OFFSET ?",
                finalBinds + [.int(Int64(limit)), .int(Int64(offset))])
            return (Int(total), try rows.map(AuditEvent.init(row:)))
        }
    }
}
