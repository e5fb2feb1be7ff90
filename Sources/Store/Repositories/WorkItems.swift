import ArenaModel

/// Evaluation phases of a work item (and of its runs): qualifying on the public suite, or a race on hidden
/// problems.
public enum EvaluationPhase: String, Sendable, CaseIterable {
    /// Qualifying on the active suite's public problems.
    case qualifying = "QUALIFYING"
    /// A race on hidden problems.
    case race = "RACE"
}

/// Creating work for validators. Shared by submission (a new version), admin re-evaluation, suite activation
/// with requeue, and races; the queue itself (claim, lease, complete) lives in `WorkQueue`.
public enum WorkItems {
    /// Queues one work item for `agentVersionID` inside the caller's transaction and returns its id. FIFO
    /// order is `seq`, from ``nextPosition(in:)``.
    @discardableResult
    public static func enqueue(in db: any SQLExecutor, workItemID: String, agentVersionID: String, suiteID: Int64,
                               phase: EvaluationPhase, raceID: String? = nil, raceNumber: Int64? = nil,
                               requiredSuccesses: Int, now: Int64) async throws -> String {
        let seq = try await nextPosition(in: db)
        try await db.execute(
            """
            INSERT INTO work_items (work_item_id, seq, agent_version_id, suite_id, phase, race_id, race_number,
                required_successes, included_success_count, is_closed, is_cancelled, queued_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)
            """,
            [.text(workItemID), .int(seq), .text(agentVersionID), .int(suiteID), .text(phase.rawValue),
             .optional(raceID), .optional(raceNumber), .int(Int64(requiredSuccesses)), .int(now)])
        return workItemID
    }

    /// The queue position of a new work item, inside the caller's transaction. PostgreSQL: the next value of
    /// `work_item_seq` (migration 10), which never waits for, or collides with, a concurrent transaction.
    /// SQLite: one more than the largest position, safe because SQLite runs one writing transaction at a time.
    public static func nextPosition(in db: any SQLExecutor) async throws -> Int64 {
        switch db.dialect {
        case .postgres:
            guard let next = try await db.scalarInt("SELECT nextval('work_item_seq')") else {
                throw StoreError.database(message: "nextval('work_item_seq') returned no value", sql: "nextval")
            }
            return next
        case .sqlite:
            return try await db.scalarInt("SELECT COALESCE(MAX(seq), 0) + 1 FROM work_items") ?? 1
        }
    }

    /// Parks an open work item inside the caller's transaction: claims skip it from now on and `reason` is
    /// shown with the version's status. For a `.minerCredential` reason the item resumes by itself once the
    /// miner stores a new credential (see `WorkQueue`); otherwise an operator re-evaluates the version.
    public static func park(in db: any SQLExecutor, workItemID: String, kind: RunFailureKind, reason: String, now: Int64) async throws {
        try await db.execute(
            """
            UPDATE work_items SET parked_at = ?, last_failure_at = ?, last_failure_kind = ?, last_failure_reason = ?
            WHERE work_item_id = ? AND is_closed = 0 AND is_cancelled = 0
            """, [.int(now), .int(now), .text(kind.rawValue), .text(reason), .text(workItemID)])
    }
}
