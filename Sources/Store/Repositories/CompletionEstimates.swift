/// What an estimate of "when will this work be done" is made from: the pace of recent runs and how many
/// validators are around (oro-sdk 1.0.50 `projected_completion_at` on races and the pending queue).
public struct ThroughputSample: Sendable, Equatable {
    /// Mean claim-to-complete time of the recent finished runs (nil when none finished yet).
    public var meanRunMillis: Double?
    /// Validators seen (claim or heartbeat) within the recent window; at least the ones that are busy.
    public var activeValidators: Int64

    /// A sample of a mean run duration (milliseconds) and a validator count.
    public init(meanRunMillis: Double?, activeValidators: Int64) {
        self.meanRunMillis = meanRunMillis
        self.activeValidators = activeValidators
    }

    /// `now` + the time `runsNeeded` runs take when spread over the active validators; nil when nothing is
    /// needed or there is no pace to go by.
    public func projectedCompletion(runsNeeded: Int64, now: Int64) -> Int64? {
        guard runsNeeded > 0, let mean = meanRunMillis, mean > 0 else { return nil }
        let lanes = max(1, activeValidators)
        let rounds = (runsNeeded + lanes - 1) / lanes
        return now + Int64((Double(rounds) * mean).rounded())
    }
}

/// Reads behind `ThroughputSample` and the runs still needed by a race.
public struct CompletionEstimates: Sendable {
    /// The database read.
    public let database: any SQLDatabase

    /// Estimates over `database`.
    public init(database: any SQLDatabase) { self.database = database }

    /// The last `recentRuns` finished runs' mean duration and the validators seen since `now - windowMillis`.
    public func sample(now: Int64, recentRuns: Int = 50, windowMillis: Int64 = 3_600_000) async throws -> ThroughputSample {
        try await database.read { db in
            let rows = try await db.query(
                """
                SELECT claimed_at, completed_at FROM evaluation_runs
                WHERE status IN ('SUCCESS', 'FAILED', 'TIMED_OUT') AND completed_at IS NOT NULL
                ORDER BY completed_at DESC LIMIT ?
                """, [.int(Int64(recentRuns))])
            var durations: [Double] = []
            for row in rows { durations.append(Double(try row.int("completed_at") - row.int("claimed_at"))) }
            let mean = durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count)
            let seen = try await db.scalarInt(
                "SELECT COUNT(*) FROM identities WHERE role = 'validator' AND is_banned = 0 AND last_seen_at >= ?",
                [.int(now - windowMillis)]) ?? 0
            return ThroughputSample(meanRunMillis: mean, activeValidators: seen)
        }
    }

    /// Included successes the race's open RACE work items still need.
    public func runsNeeded(raceID: String) async throws -> Int64 {
        try await database.read { db in
            let rows = try await db.query(
                """
                SELECT required_successes, included_success_count FROM work_items
                WHERE race_id = ? AND phase = 'RACE' AND is_closed = 0 AND is_cancelled = 0
                """, [.text(raceID)])
            var total: Int64 = 0
            for row in rows { total += max(0, try row.int("required_successes") - row.int("included_success_count")) }
            return total
        }
    }
}
