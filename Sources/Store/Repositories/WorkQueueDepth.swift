/// How much work the queue holds at one instant, for the backend's `/metrics` gauges.
public struct WorkQueueDepth: Sendable, Equatable {
    /// Open work items (neither closed nor cancelled) that are ready to hand out: not parked, not backing off.
    public var readyItems: Int64
    /// Open work items that are parked or backing off (`retry_at` in the future).
    public var heldItems: Int64
    /// Runs CLAIMED or RUNNING whose lease has not lapsed.
    public var activeRuns: Int64

    /// A snapshot of the three counts.
    public init(readyItems: Int64, heldItems: Int64, activeRuns: Int64) {
        self.readyItems = readyItems
        self.heldItems = heldItems
        self.activeRuns = activeRuns
    }
}

extension WorkQueue {
    /// Counts the queue's open, held-back and running work at `now` (three counts in one read).
    public func depth(now: Int64) async throws -> WorkQueueDepth {
        try await database.read { db in
            let open = try await db.scalarInt(
                "SELECT COUNT(*) FROM work_items w WHERE w.is_closed = 0 AND w.is_cancelled = 0", []) ?? 0
            let ready = try await db.scalarInt(
                "SELECT COUNT(*) FROM work_items w WHERE w.is_closed = 0 AND w.is_cancelled = 0 AND " + Self.readySQL,
                [.int(now)]) ?? 0
            let active = try await db.scalarInt(
                "SELECT COUNT(*) FROM evaluation_runs WHERE status IN ('CLAIMED', 'RUNNING') AND lease_expires_at >= ?",
                [.int(now)]) ?? 0
            return WorkQueueDepth(readyItems: ready, heldItems: open - ready, activeRuns: active)
        }
    }
}
