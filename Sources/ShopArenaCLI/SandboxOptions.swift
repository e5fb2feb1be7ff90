import ArgumentParser
import Foundation
import Sandbox

/// The options every command that runs agents shares: which Python runs them, where the runtime is, and
/// whether bubblewrap isolates them.
struct SandboxOptions: ParsableArguments {
    @Option(help: "Sandbox venv interpreter (default: $SHOPARENA_SANDBOX_PYTHON or ./.venv-sandbox/bin/python).")
    var python: String?

    @Option(help: "The runtime folder holding run_harness.py, relative to the current directory.")
    var runtime: String = "python"

    @Flag(help: "Run agents without bubblewrap isolation (development only; agents then see the host).")
    var insecure = false

    /// The interpreter, checked to exist, or a one-sentence setup error.
    func pythonURL(cwd: URL) throws -> URL {
        let path = python ?? ProcessInfo.processInfo.environment["SHOPARENA_SANDBOX_PYTHON"]
            ?? cwd.appendingPathComponent(".venv-sandbox/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw EvalSetupError("The sandbox python \(path) does not exist; run scripts/setup-sandbox-venv or pass --python.")
        }
        return URL(fileURLWithPath: path)
    }

    func runtimeURL(cwd: URL) -> URL { URL(fileURLWithPath: runtime, relativeTo: cwd).standardizedFileURL }

    /// ``runtimeURL(cwd:)``, checked to hold `run_harness.py`, or a setup error that names the folder looked in.
    func checkedRuntimeURL(cwd: URL) throws -> URL {
        let url = runtimeURL(cwd: cwd)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("run_harness.py").path) else {
            throw EvalSetupError(
                "The agent runtime was looked for in \(url.path) (--runtime \(runtime), relative to \(cwd.path)) and "
                    + "that folder has no run_harness.py. Run shoparena from the repository root, or pass "
                    + "--runtime /path/to/shoparena/python.")
        }
        return url
    }

    var isolation: SandboxConfiguration.Isolation { insecure ? .insecure : .bubblewrap }
}
