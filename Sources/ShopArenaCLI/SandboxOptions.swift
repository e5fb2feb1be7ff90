import ArgumentParser
import Foundation
import Sandbox

/// The options every command that runs agents shares: which Python runs them, where the runtime is, and
/// whether bubblewrap isolates them.
struct SandboxOptions: ParsableArguments {
    @Option(help: "Sandbox venv interpreter (default: $SHOPARENA_SANDBOX_PYTHON or ./.venv-sandbox/bin/python).")
    var python: String?

    @Option(help: "The runtime folder holding run_harness.py (default: ./python).")
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

    var isolation: SandboxConfiguration.Isolation { insecure ? .insecure : .bubblewrap }
}
