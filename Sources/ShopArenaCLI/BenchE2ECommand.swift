import ArenaModel
import ArgumentParser
import Foundation
import ArenaRuntime

/// `shoparena bench e2e`: the wall time of evaluating one agent on a 30-problem suite end to end — backend,
/// validators, sandboxes, proxies, scoring, judging, progress, uploads, complete — with a zero-latency stub LLM.
struct BenchE2ECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Time a whole evaluation (submit → ELIGIBLE) through the local arena; prints JSON.")

    @Option(help: "Problems in the suite.") var problems: Int = 30
    @Option(help: "Products in the catalog.") var products: Int = 2_000
    @Option(help: "Validators (each evaluates the whole suite; X = validators).") var validators: Int = 2
    @Option(help: "Problems each validator runs at once.") var workers: Int = 2
    @Option(help: "Agent file (default: the baseline agent; the ReAct agent with --steps).") var agent: String?
    @Option(help: "Milliseconds the stub LLM takes per answer.") var llmLatencyMs: Int = 0
    @Option(help: "Model calls per problem (the ReAct agent with a step-counting stub script).") var steps: Int?
    @Option(help: "Working folder (default: a temporary one).") var dir: String?
    @OptionGroup var sandbox: SandboxOptions

    func run() async throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let python = try sandbox.pythonURL(cwd: cwd)
        let directory = dir.map { URL(fileURLWithPath: $0, relativeTo: cwd) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-bench-e2e-\(getpid())")
        defer { if dir == nil { try? FileManager.default.removeItem(at: directory) } }
        let agent = self.agent ?? (steps == nil ? "examples/agents/baseline_agent.py" : "examples/agents/react_agent.py")
        var configuration = LocalArena.Configuration(
            directory: directory, agents: [URL(fileURLWithPath: agent, relativeTo: cwd).standardizedFileURL],
            python: python, runtime: try sandbox.checkedRuntimeURL(cwd: cwd))
        configuration.problems = problems
        configuration.products = products
        configuration.validators = validators
        configuration.requiredSuccesses = validators
        configuration.workersPerValidator = workers
        configuration.llmLatencyMillis = llmLatencyMs
        configuration.steps = steps
        configuration.problemTimeout = max(configuration.problemTimeout, Double((steps ?? 1) * llmLatencyMs) / 1000 * 3 + 60)
        // Prepare the files first so the timing covers the evaluation, not catalog generation.
        try await ArenaFiles(directory: directory).prepare(products: products, problems: problems, seed: configuration.seed,
                                                         log: { _ in })
        let memory = SandboxMemorySampler()
        memory.start()
        let outcome = try await LocalArena(configuration: configuration, log: { printError("bench e2e: \($0)") }).run()
        let sandboxes = memory.stop()
        let evaluation = outcome.evaluationSeconds
        // Each validator runs the whole suite: one trajectory per problem per validator.
        let perHour = Double(problems) / evaluation * 3600
        let result = JSONValue.object([
            ("benchmark", "e2e"),
            ("problems", .int(Int64(problems))),
            ("validators", .int(Int64(validators))),
            ("workers_per_validator", .int(Int64(workers))),
            ("cores", .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
            ("state", .string(outcome.agents.first?.state ?? "?")),
            ("final_score", outcome.agents.first?.finalScore.map(JSONValue.double) ?? .null),
            ("wall_seconds_submit_to_eligible", .double((evaluation * 1000).rounded() / 1000)),
            ("problems_per_minute_per_validator", .double((Double(problems) / evaluation * 60 * 10).rounded() / 10)),
            ("wall_seconds_total", .double((outcome.seconds * 1000).rounded() / 1000)),
            ("target_seconds", 15),
            ("llm_latency_ms", .int(Int64(llmLatencyMs))),
            ("steps", steps.map { JSONValue.int(Int64($0)) } ?? .null),
            ("trajectories_per_hour_per_validator", .double(perHour.rounded())),
            ("trajectories_per_day_per_validator", .double((perHour * 24).rounded())),
            ("target_trajectories_per_day", 50_000),
            ("sandbox_processes_sampled", .int(Int64(sandboxes.processes))),
            ("sandbox_peak_rss_mib_mean", .double((sandboxes.meanMiB * 10).rounded() / 10)),
            ("sandbox_peak_rss_mib_max", .double((sandboxes.maxMiB * 10).rounded() / 10)),
        ])
        print(JSONWriter().string(result))
    }
}
