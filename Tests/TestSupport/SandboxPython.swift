import Foundation

/// The sandbox venv's interpreter for tests that run agents: `$SHOPARENA_SANDBOX_PYTHON` (scripts/test sets
/// it), else `.build/sandbox-venv/bin/python` made by `scripts/setup-sandbox-venv` (which the tests run once).
public enum SandboxPython {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    public static func url() throws -> URL {
        if let env = ProcessInfo.processInfo.environment["SHOPARENA_SANDBOX_PYTHON"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        let root = SharedData.repositoryRoot()
        let venv = root.appendingPathComponent(".build/sandbox-venv")
        let python = venv.appendingPathComponent("bin/python")
        if FileManager.default.isExecutableFile(atPath: python.path) { return python }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("scripts/setup-sandbox-venv").path, venv.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Missing(description: "scripts/setup-sandbox-venv failed (exit \(process.terminationStatus)); run scripts/test")
        }
        return python
    }
}
