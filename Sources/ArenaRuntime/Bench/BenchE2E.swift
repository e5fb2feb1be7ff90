import ArenaModel
import Foundation

/// `shoparena bench e2e`: the wall time of evaluating one agent on a suite end to end — backend, validators,
/// sandboxes, proxies, scoring, judging, progress, uploads, complete — through ``LocalArena`` with a stub LLM, and the
/// peak memory of the sandboxes meanwhile.
public struct BenchE2E: Sendable {
    /// The local arena to time (its suite, validators, agent, stub latency and steps).
    public var configuration: LocalArena.Configuration

    /// `configuration` with every validator's success required and a per-problem timeout that fits `steps` answers of
    /// `llmLatencyMillis` each.
    public init(configuration: LocalArena.Configuration) {
        var configuration = configuration
        configuration.requiredSuccesses = configuration.validators
        configuration.problemTimeout = max(configuration.problemTimeout,
                                           Double((configuration.steps ?? 1) * configuration.llmLatencyMillis) / 1000 * 3 + 60)
        self.configuration = configuration
    }

    /// Prepares the files first (so the timing covers the evaluation, not catalog generation), runs the arena and
    /// returns the report.
    public func run(log: @escaping @Sendable (String) -> Void) async throws -> JSONValue {
        try await ArenaFiles(directory: configuration.directory).prepare(
            products: configuration.products, problems: configuration.problems, seed: configuration.seed, log: { _ in })
        let memory = SandboxMemorySampler()
        memory.start()
        let outcome = try await LocalArena(configuration: configuration, log: log).run()
        return Self.report(state: outcome.agents.first?.state ?? "?", finalScore: outcome.agents.first?.finalScore,
                           evaluationSeconds: outcome.evaluationSeconds, totalSeconds: outcome.seconds, configuration: configuration,
                           sandboxes: memory.stop())
    }

    /// The JSON report of one timed evaluation: the first agent's final `state` and `finalScore`, the seconds from
    /// submission to eligible (`evaluationSeconds`) and in all, and the sandboxes' peak memory.
    public static func report(state: String, finalScore: Double?, evaluationSeconds: Double, totalSeconds: Double,
                              configuration: LocalArena.Configuration,
                              sandboxes: (processes: Int, meanMiB: Double, maxMiB: Double)) -> JSONValue {
        let problems = configuration.problems
        let evaluation = evaluationSeconds
        // Each validator runs the whole suite: one trajectory per problem per validator.
        let perHour = Double(problems) / evaluation * 3600
        return .object([
            ("benchmark", "e2e"),
            ("problems", .int(Int64(problems))),
            ("validators", .int(Int64(configuration.validators))),
            ("workers_per_validator", .int(Int64(configuration.workersPerValidator))),
            ("cores", .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
            ("state", .string(state)),
            ("final_score", finalScore.map(JSONValue.double) ?? .null),
            ("wall_seconds_submit_to_eligible", .double((evaluation * 1000).rounded() / 1000)),
            ("problems_per_minute_per_validator", .double((Double(problems) / evaluation * 60 * 10).rounded() / 10)),
            ("wall_seconds_total", .double((totalSeconds * 1000).rounded() / 1000)),
            ("target_seconds", 15),
            ("llm_latency_ms", .int(Int64(configuration.llmLatencyMillis))),
            ("steps", configuration.steps.map { JSONValue.int(Int64($0)) } ?? .null),
            ("trajectories_per_hour_per_validator", .double(perHour.rounded())),
            ("trajectories_per_day_per_validator", .double((perHour * 24).rounded())),
            ("target_trajectories_per_day", 50_000),
            ("sandbox_processes_sampled", .int(Int64(sandboxes.processes))),
            ("sandbox_peak_rss_mib_mean", .double((sandboxes.meanMiB * 10).rounded() / 10)),
            ("sandbox_peak_rss_mib_max", .double((sandboxes.maxMiB * 10).rounded() / 10)),
        ])
    }
}
