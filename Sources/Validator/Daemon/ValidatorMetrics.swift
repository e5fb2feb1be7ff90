import Synchronization

/// The validator's Prometheus metrics (names after the reference's `:9100` exporter), rendered in the text
/// exposition format by `prometheusText()`.
public final class ValidatorMetrics: Sendable {
    private struct State {
        var activeRuns = 0
        var claims: [String: Int] = [:]
        var heartbeats: [String: Int] = [:]
        var judgeCalls = 0
        var judgeFailures = 0
        var sandboxDurations: [Double] = []
        var problems: [String: Int] = [:]
    }

    private let state = Mutex(State())
    public static let durationBuckets: [Double] = [1, 5, 30, 60, 120, 180, 300, 600, 1200, 1800, 3600]

    public init() {}

    public func setActiveRuns(_ n: Int) { state.withLock { $0.activeRuns = n } }
    public func claim(_ result: String) { state.withLock { $0.claims[result, default: 0] += 1 } }
    public func heartbeat(_ result: String) { state.withLock { $0.heartbeats[result, default: 0] += 1 } }
    public func judge(calls: Int, failures: Int) { state.withLock { $0.judgeCalls += calls; $0.judgeFailures += failures } }
    public func problem(status: String, seconds: Double) {
        state.withLock {
            $0.problems[status, default: 0] += 1
            $0.sandboxDurations.append(seconds)
        }
    }

    public var claimCounts: [String: Int] { state.withLock { $0.claims } }

    public func prometheusText() -> String {
        state.withLock { s in
            var lines: [String] = []
            lines.append("# TYPE validator_active_runs gauge")
            lines.append("validator_active_runs \(s.activeRuns)")
            lines.append("# TYPE validator_claim_work_total counter")
            for result in ["success", "empty", "error", "at_capacity"] {
                lines.append("validator_claim_work_total{result=\"\(result)\"} \(s.claims[result, default: 0])")
            }
            lines.append("# TYPE validator_heartbeat_total counter")
            for result in ["success", "failure"] {
                lines.append("validator_heartbeat_total{result=\"\(result)\"} \(s.heartbeats[result, default: 0])")
            }
            lines.append("# TYPE validator_judge_calls_total counter")
            lines.append("validator_judge_calls_total \(s.judgeCalls)")
            lines.append("# TYPE validator_judge_failures_total counter")
            lines.append("validator_judge_failures_total \(s.judgeFailures)")
            lines.append("# TYPE validator_problems_total counter")
            for (status, n) in s.problems.sorted(by: { $0.key < $1.key }) {
                lines.append("validator_problems_total{status=\"\(status)\"} \(n)")
            }
            lines.append("# TYPE validator_sandbox_duration_seconds histogram")
            for bucket in Self.durationBuckets {
                let n = s.sandboxDurations.filter { $0 <= bucket }.count
                lines.append("validator_sandbox_duration_seconds_bucket{le=\"\(Self.format(bucket))\"} \(n)")
            }
            lines.append("validator_sandbox_duration_seconds_bucket{le=\"+Inf\"} \(s.sandboxDurations.count)")
            lines.append("validator_sandbox_duration_seconds_sum \(s.sandboxDurations.reduce(0, +))")
            lines.append("validator_sandbox_duration_seconds_count \(s.sandboxDurations.count)")
            return lines.joined(separator: "\n") + "\n"
        }
    }

    private static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}
