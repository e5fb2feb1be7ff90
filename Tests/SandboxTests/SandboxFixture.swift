import ArenaModel
import Foundation
import Sandbox
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Shared pieces of the sandbox tests: the sandbox venv (created once per test process with
/// `scripts/setup-sandbox-venv` under `.build/sandbox-venv`, or `$SHOPARENA_SANDBOX_PYTHON`), a runner, agent
/// files and problems.
enum SandboxFixture {
    struct SetupFailure: Error, CustomStringConvertible {
        var description: String
    }

    static let repository = SharedData.repositoryRoot()

    /// The venv interpreter, or why it could not be made.
    static let python: Result<URL, SetupFailure> = {
        if let env = ProcessInfo.processInfo.environment["SHOPARENA_SANDBOX_PYTHON"] {
            return .success(URL(fileURLWithPath: env))
        }
        let venv = repository.appendingPathComponent(".build/sandbox-venv")
        let python = venv.appendingPathComponent("bin/python")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [repository.appendingPathComponent("scripts/setup-sandbox-venv").path, venv.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return .failure(SetupFailure(description: "cannot run scripts/setup-sandbox-venv: \(error)"))
        }
        guard process.terminationStatus == 0 else {
            return .failure(
                SetupFailure(
                    description: "scripts/setup-sandbox-venv \(venv.path) failed (exit \(process.terminationStatus)); "
                        + "it needs python3-venv and PyPI access for requests/ujson"))
        }
        return .success(python)
    }()

    /// A fresh scratch directory for one test.
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sbx-test-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func runner(scratch: URL, isolation: SandboxConfiguration.Isolation = .bubblewrap) throws -> SandboxRunner {
        let python = try python.get()
        return try SandboxRunner(
            configuration: SandboxConfiguration(
                python: python, runtimeDirectory: repository.appendingPathComponent("python"),
                workDirectory: scratch.appendingPathComponent("work"), isolation: isolation,
                agentEnvironment: ["CHUTES_ACCESS_TOKEN": "test-token"]))
    }

    /// Writes `source` as an agent file in `scratch`.
    static func agent(_ source: String, in scratch: URL, name: String = "agent.py") throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try Data(source.utf8).write(to: url)
        return url
    }

    /// A problem whose `original` record carries a reward (which must never reach the agent) and `extra`.
    static func problem(id: String = "p-1", extra: [(String, JSONValue)] = []) -> Problem {
        let original = JSONValue.object(
            [
                ("query", .string("find red shoes")), ("category", .string("Product")), ("problem_id", .string(id)),
                ("reward", .array([.object([("product_id", .string("SECRET-REWARD-ID"))])])),
                ("voucher", .object([("budget", .int(10))])),
            ] + extra)
        return Problem(id: id, query: "find red shoes", category: .product, rewards: [], original: original)
    }

    /// The `response` text of the first step.
    static func response(_ envelope: Envelope) -> String? {
        envelope.steps?.first?.response
    }

    /// The first step's response parsed as JSON (agents in these tests report their findings that way).
    static func report(_ envelope: Envelope) -> JSONValue? {
        guard let text = response(envelope) else { return nil }
        return try? JSONParser.parse(text)
    }

    /// Host processes whose command line contains `marker`.
    static func processes(containing marker: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name),
                let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"),
                String(decoding: data, as: UTF8.self).contains(marker)
            else { return nil }
            return pid
        }
    }

    /// Python source of an agent whose `agent_main` returns one step with `json.dumps(report())` as the response.
    static func reportingAgent(_ body: String) -> String {
        """
        import json, os, sys
        \(body)
        def agent_main(problem_data):
            return [{"completion": {"reasoning_content": "", "content": "", "message": {"response": json.dumps(report(problem_data))}},
                     "extra_info": {}}]
        """
    }
}
