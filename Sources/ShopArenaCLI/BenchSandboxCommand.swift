import ArenaModel
import ArenaRuntime
import ArgumentParser
import Foundation

/// `shoparena bench sandbox`: how long the sandbox takes before an agent runs and per problem, with a
/// trivial agent, through the real bubblewrap sandbox (with a per-problem proxy, as `eval` does).
struct BenchSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Benchmark sandbox spawn-to-agent_main latency and per-problem overhead; prints JSON.",
        discussion: """
            The agent records time.time() on entering agent_main and returns it; latency is that instant minus the instant the runner was asked to \
            run the problem (workspace, cgroups, proxy, bwrap, python startup, harness import). Overhead is the whole run of a problem whose agent \
            does nothing. Measured with 1 and 2 workers. Build with -c release.
            """)

    @Option(help: "Problems per worker setting.") var runs: Int = 50
    @Option(help: "Sandbox venv interpreter (default: $SHOPARENA_SANDBOX_PYTHON or ./.venv-sandbox/bin/python).") var python: String?
    @Option(help: "The runtime folder holding run_harness.py.") var runtime: String = "python"
    @Flag(help: "Run without a per-problem proxy.") var noProxy = false

    func run() async throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var bench = BenchSandbox(runs: runs, python: BenchSandbox.python(explicit: python, environment: ProcessInfo.processInfo.environment, cwd: cwd),
                                 runtime: URL(fileURLWithPath: runtime, relativeTo: cwd))
        bench.noProxy = noProxy
        printJSON(try await bench.run(), style: .python)
    }
}
