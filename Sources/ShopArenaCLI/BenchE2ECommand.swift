import ArenaRuntime
import ArgumentParser
import Foundation

/// `shoparena bench e2e`: the wall time of evaluating one agent on a 30-problem suite end to end with a zero-latency
/// stub LLM. Parsing and printing only; the driver is `BenchE2E`.
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
        let directory = dir.map { URL(fileURLWithPath: $0, relativeTo: cwd) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-bench-e2e-\(getpid())")
        defer { if dir == nil { try? FileManager.default.removeItem(at: directory) } }
        let agent = self.agent ?? (steps == nil ? "examples/agents/baseline_agent.py" : "examples/agents/react_agent.py")
        var configuration = LocalArena.Configuration(
            directory: directory, agents: [URL(fileURLWithPath: agent, relativeTo: cwd).standardizedFileURL],
            python: try sandbox.pythonURL(cwd: cwd), runtime: try sandbox.checkedRuntimeURL(cwd: cwd))
        configuration.problems = problems
        configuration.products = products
        configuration.validators = validators
        configuration.workersPerValidator = workers
        configuration.llmLatencyMillis = llmLatencyMs
        configuration.steps = steps
        printJSON(try await BenchE2E(configuration: configuration).run(log: { printError("bench e2e: \($0)") }))
    }
}
