import ArenaRuntime
import ArgumentParser
import Foundation
import Sandbox

/// The options every command that runs agents shares: which Python runs them, where the runtime is, and
/// whether bubblewrap isolates them.
struct SandboxOptions: ParsableArguments {
    @Option(help: "Sandbox venv interpreter (default: $SHOPARENA_SANDBOX_PYTHON or ./.venv-sandbox/bin/python).") var python: String?
    @Option(help: "The runtime folder holding run_harness.py, relative to the current directory.") var runtime: String = "python"
    @Flag(help: "Run agents without bubblewrap isolation (development only; agents then see the host).") var insecure = false

    /// The interpreter, checked to exist, or a one-sentence setup error.
    func pythonURL(cwd: URL) throws -> URL {
        try EvaluationEnvironmentBuilder.sandboxPython(explicit: python, environment: ProcessInfo.processInfo.environment, cwd: cwd)
    }

    /// ``runtimeURL(cwd:)``, checked to hold `run_harness.py`, or a setup error that names the folder looked in.
    func checkedRuntimeURL(cwd: URL) throws -> URL { try EvaluationEnvironmentBuilder.runtimeFolder(runtime, cwd: cwd) }

    var isolation: SandboxConfiguration.Isolation { insecure ? .insecure : .bubblewrap }
}
