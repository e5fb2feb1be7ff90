import ArenaModel
import Foundation
import Sandbox
import Testing

/// Agents that try to get out, outlive their run, flood the host or break the result contract. Every test
/// checks the envelope and that nothing of the run is left running (no process, no cgroup).
@Suite("Hostile agents", .timeLimit(.minutes(5)))
struct HostileAgentTests {
    struct Run {
        var envelope: Envelope
        var id: String
    }

    static let limits = SandboxLimits(wallClockSeconds: 8, killGraceSeconds: 0.5, memoryBytes: 1 << 30)

    /// Runs `source` as the agent of a problem with a unique id (`PROBLEM_ID` in the source is replaced by it).
    static func run(_ name: String, _ source: String, limits: SandboxLimits = limits) async throws -> Run {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let id = SandboxLeftovers.uniqueID(name)
        let agent = try SandboxFixture.agent(source.replacingOccurrences(of: "PROBLEM_ID", with: id), in: scratch)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(id: id), limits: limits)
        return Run(envelope: envelope, id: id)
    }

    static func expectNothingLeft(_ run: Run, sourceLocation: SourceLocation = #_sourceLocation) async {
        let left = await SandboxLeftovers.nothingLeft(problemID: run.id)
        #expect(left.processes.isEmpty, "processes of the run still alive: \(left.processes)", sourceLocation: sourceLocation)
        #expect(left.cgroups.isEmpty, "cgroups of the run not removed: \(left.cgroups)", sourceLocation: sourceLocation)
    }

    @Test("DNS resolution fails at once: there is no network and no resolver")
    func dns() async throws {
        let run = try await Self.run(
            "dns",
            SandboxFixture.reportingAgent(
                """
                import socket
                def report(p):
                    try:
                        return {"resolved": [a[4][0] for a in socket.getaddrinfo("example.com", 80)]}
                    except OSError as exc:
                        return {"error": type(exc).__name__}
                """))
        #expect(run.envelope.status == .success, "\(run.envelope.error?.message ?? "")")
        let report = SandboxFixture.report(run.envelope)
        #expect(report?["resolved"] == nil)
        #expect(report?["error"]?.stringValue == "gaierror")
        await Self.expectNothingLeft(run)
    }

    @Test("a CPU spin past the wall clock is TIMED_OUT and killed")
    func cpuSpin() async throws {
        let run = try await Self.run(
            "spin", "def agent_main(p):\n    while True:\n        pass\n",
            limits: SandboxLimits(wallClockSeconds: 2, killGraceSeconds: 0.5, memoryBytes: 1 << 30))
        #expect(run.envelope.status == .timedOut)
        #expect(run.envelope.error?.type == "TimeoutError")
        await Self.expectNothingLeft(run)
    }

    @Test("a double-forked setsid daemon does not outlive the run, even when agent_main succeeds")
    func daemon() async throws {
        let run = try await Self.run(
            "daemon",
            """
            import os, sys, time
            CODE = "import signal, time\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\nwhile True: time.sleep(1)"
            def running():
                count = 0
                for pid in filter(str.isdigit, os.listdir("/proc")):
                    try:
                        with open(f"/proc/{pid}/cmdline", "rb") as fh:
                            count += b"daemon-PROBLEM_ID" in fh.read()
                    except OSError:
                        pass
                return count
            def agent_main(p):
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        os.execv(sys.executable, [sys.executable, "-c", CODE, "daemon-PROBLEM_ID"])
                    os._exit(0)
                for _ in range(100):
                    if running():
                        break
                    time.sleep(0.02)
                return [{"completion": {"message": {"response": f"daemons running: {running()}"}}, "extra_info": {}}]
            """)
        #expect(run.envelope.status == .success, "\(run.envelope.error?.message ?? "")")
        #expect(SandboxFixture.response(run.envelope) == "daemons running: 1")
        await Self.expectNothingLeft(run)
    }

    @Test("killing the parent process (the namespace init) neither escapes nor leaks")
    func killParent() async throws {
        let run = try await Self.run(
            "killparent",
            """
            import os, time
            def agent_main(p):
                os.kill(os.getppid(), 9)
                time.sleep(2)
                return [{"completion": {"message": {"response": "survived"}}, "extra_info": {}}]
            """)
        // The parent is the pid namespace's init (bwrap): a signal from inside its own namespace is
        // ignored, so the agent carries on and finishes normally — and nothing leaks either way.
        #expect(run.envelope.status == .success, "\(run.envelope.error?.message ?? "")")
        #expect(SandboxFixture.response(run.envelope) == "survived")
        await Self.expectNothingLeft(run)
    }

    @Test("megabytes on stdout and stderr: the run still succeeds and error text stays bounded")
    func floodOutput() async throws {
        let ok = try await Self.run(
            "flood",
            """
            import sys
            def agent_main(p):
                line = "x" * 1023 + "\\n"
                for _ in range(8 * 1024):
                    sys.stdout.write(line)
                    sys.stderr.write(line)
                return [{"completion": {"message": {"response": "done"}}, "extra_info": {}}]
            """)
        #expect(ok.envelope.status == .success, "\(ok.envelope.error?.message.prefix(300) ?? "")")
        #expect(SandboxFixture.response(ok.envelope) == "done")
        await Self.expectNothingLeft(ok)

        let crash = try await Self.run(
            "floodcrash",
            """
            import sys
            def agent_main(p):
                line = "y" * 1023 + "\\n"
                for _ in range(4 * 1024):
                    sys.stderr.write(line)
                raise RuntimeError("after the flood")
            """)
        #expect(crash.envelope.status == .failed)
        #expect(crash.envelope.error?.type == "RuntimeError")
        #expect((crash.envelope.error?.message.utf8.count ?? 0) < 64 << 10)
        await Self.expectNothingLeft(crash)
    }

    @Test("non-list and non-JSON returns are FAILED TypeError", arguments: [
        "{'steps': []}", "'a string'", "None", "[object()]", "[{'completion': {'message': {'response': {1, 2}}}}]",
    ])
    func badReturns(_ value: String) async throws {
        let run = try await Self.run("badreturn", "def agent_main(p):\n    return \(value)\n")
        #expect(run.envelope.status == .failed)
        #expect(run.envelope.error?.type == "TypeError", "\(value): \(run.envelope.error?.message ?? "")")
        #expect(run.envelope.dialogue == nil)
        await Self.expectNothingLeft(run)
    }
}
