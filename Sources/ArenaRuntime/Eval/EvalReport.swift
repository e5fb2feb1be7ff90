import ArenaModel
import Foundation

/// The closing summary of an eval run.
public struct EvalReport: Sendable {
    /// Every run's envelope (all samples).
    public var envelopes: [Envelope]
    public var wallClock: Duration
    public var output: String
    /// Runs per problem (`--samples`).
    public var samples: Int = 1

    public init(envelopes: [Envelope], wallClock: Duration, output: String, samples: Int = 1) {
        self.envelopes = envelopes
        self.wallClock = wallClock
        self.output = output
        self.samples = samples
    }

    public var text: String {
        var counts: [String: Int] = [:]
        for e in envelopes { counts[e.status?.rawValue ?? "?", default: 0] += 1 }
        let times = envelopes.compactMap(\.executionTime)
        let mean = times.isEmpty ? 0 : times.reduce(0, +) / Double(times.count)
        let calls = envelopes.map { $0.proxyCalls?.arrayValue?.count ?? 0 }.reduce(0, +)
        let inference = envelopes.map { $0.inferenceTotal ?? 0 }.reduce(0, +)
        let failedInference = envelopes.map { $0.inferenceFailureCount ?? 0 }.reduce(0, +)
        let seconds = Double(wallClock.components.seconds) + Double(wallClock.components.attoseconds) / 1e18
        let runs = samples == 1
            ? "problems:        \(envelopes.count)"
            : "runs:            \(envelopes.count) (\(envelopes.count / max(1, samples)) problems × \(samples) samples)"
        return """
            \(runs)
            SUCCESS:         \(counts["SUCCESS", default: 0])
            FAILED:          \(counts["FAILED", default: 0])
            TIMED_OUT:       \(counts["TIMED_OUT", default: 0])
            time per problem: mean \(String(format: "%.2f", mean)) s, max \(String(format: "%.2f", times.max() ?? 0)) s
            proxy calls:     \(calls) (inference \(inference), failed \(failedInference))
            wall clock:      \(String(format: "%.1f", seconds)) s
            envelopes:       \(output)
            """
    }

    /// The run's counts for summary.json.
    public var json: JSONValue {
        var counts: [String: Int] = [:]
        for e in envelopes { counts[e.status?.rawValue ?? "?", default: 0] += 1 }
        let seconds = Double(wallClock.components.seconds) + Double(wallClock.components.attoseconds) / 1e18
        return .object([
            ("problems", .int(Int64(envelopes.count / max(1, samples)))),
            ("samples", .int(Int64(samples))),
            ("success", .int(Int64(counts["SUCCESS", default: 0]))),
            ("failed", .int(Int64(counts["FAILED", default: 0]))),
            ("timed_out", .int(Int64(counts["TIMED_OUT", default: 0]))),
            ("wall_clock_seconds", .double((seconds * 1000).rounded() / 1000)),
        ])
    }
}
