import ArenaModel
import Foundation
import Sandbox
import Testing

/// The sandbox's private /tmp must not hide what is bound from the host's /tmp: a checkout (and so
/// its venv) can live there, as in CI's fresh clones.
@Suite("Sandbox with an interpreter under the host's /tmp")
struct SandboxHostTmpTests {
    @Test("a venv whose folder is under /tmp still runs the agent")
    func venvUnderTmp() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(scratch.path.hasPrefix("/tmp/"), "the scratch folder must be under /tmp for this test to mean anything")
        // A minimal venv under /tmp: pyvenv.cfg plus bin/python pointing at the real interpreter.
        let real = try SandboxFixture.python.get()
        let realVenv = real.deletingLastPathComponent().deletingLastPathComponent()
        let venv = scratch.appendingPathComponent("venv")
        try FileManager.default.createDirectory(at: venv.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: realVenv.appendingPathComponent("pyvenv.cfg"), to: venv.appendingPathComponent("pyvenv.cfg"))
        try FileManager.default.createSymbolicLink(
            at: venv.appendingPathComponent("bin/python"), withDestinationURL: real.resolvingSymlinksInPath())
        let runner = try SandboxRunner(
            configuration: SandboxConfiguration(
                python: venv.appendingPathComponent("bin/python"),
                runtimeDirectory: SandboxFixture.repository.appendingPathComponent("python"),
                workDirectory: scratch.appendingPathComponent("work")))
        let agent = try SandboxFixture.agent(
            """
            def agent_main(problem_data):
                return [{"completion": {"message": {"think": "ok", "response": "done"}}}]
            """, in: scratch)
        let limits = SandboxLimits(wallClockSeconds: 20, killGraceSeconds: 1, memoryBytes: 1 << 30, addressSpaceBytes: 4 << 30)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(id: "tmp-1"), limits: limits)
        #expect(envelope.status == .success, "\(envelope.error.map { "\($0.type): \($0.message)" } ?? "")")
    }
}
