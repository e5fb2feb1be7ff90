/// The host metrics a validator reports on heartbeat and claim (oro-sdk 1.0.50 `HeartbeatRequest`, 7.x
/// `ClaimWorkRequest`): CPU, RAM and disk use in percent and the number of running containers.
public struct HostMetrics: Sendable, Hashable {
    /// CPU use, percent.
    public var cpuPct: Double?
    /// RAM use, percent.
    public var ramPct: Double?
    /// Disk use, percent.
    public var diskPct: Double?
    /// Running containers.
    public var dockerContainerCount: Int64?
    /// When the backend received them (nil before a validator ever reported).
    public var reportedAt: Int64?

    /// Metrics as reported; nil fields were not sent.
    public init(cpuPct: Double? = nil, ramPct: Double? = nil, diskPct: Double? = nil, dockerContainerCount: Int64? = nil,
                reportedAt: Int64? = nil) {
        self.cpuPct = cpuPct
        self.ramPct = ramPct
        self.diskPct = diskPct
        self.dockerContainerCount = dockerContainerCount
        self.reportedAt = reportedAt
    }

    /// True when none of the four values is set.
    public var isEmpty: Bool { cpuPct == nil && ramPct == nil && diskPct == nil && dockerContainerCount == nil }
}

/// The latest `HostMetrics` per validator (table `validator_host_metrics`), one row each, replaced on report.
public struct ValidatorHostMetrics: Sendable {
    /// The database holding `validator_host_metrics`.
    public let database: any SQLDatabase

    /// Metrics in `database`.
    public init(database: any SQLDatabase) { self.database = database }

    /// Stores `metrics` as the validator's latest report, received at `now`.
    public func record(_ metrics: HostMetrics, validator hotkey: String, now: Int64) async throws {
        try await database.transaction { db in
            try await db.execute(
                """
                INSERT INTO validator_host_metrics (hotkey, cpu_pct, ram_pct, disk_pct, docker_container_count, reported_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (hotkey) DO UPDATE SET cpu_pct = excluded.cpu_pct, ram_pct = excluded.ram_pct,
                    disk_pct = excluded.disk_pct, docker_container_count = excluded.docker_container_count,
                    reported_at = excluded.reported_at
                """,
                [.text(hotkey), .optional(metrics.cpuPct), .optional(metrics.ramPct), .optional(metrics.diskPct),
                 .optional(metrics.dockerContainerCount), .int(now)])
        }
    }

    /// Every validator's latest report, by hotkey.
    public func all() async throws -> [String: HostMetrics] {
        try await database.read { db in
            var result: [String: HostMetrics] = [:]
            for row in try await db.query(
                "SELECT hotkey, cpu_pct, ram_pct, disk_pct, docker_container_count, reported_at FROM validator_host_metrics", [])
            {
                result[try row.string("hotkey")] = HostMetrics(
                    cpuPct: row.optionalDouble("cpu_pct"), ramPct: row.optionalDouble("ram_pct"),
                    diskPct: row.optionalDouble("disk_pct"), dockerContainerCount: row.optionalInt("docker_container_count"),
                    reportedAt: row.optionalInt("reported_at"))
            }
            return result
        }
    }
}
