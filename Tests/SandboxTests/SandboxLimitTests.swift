import ArenaModel
import Foundation
@testable import Sandbox
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Sandbox limits: wall clock, processes, memory", .timeLimit(.minutes(5)))
struct SandboxLimitTests {
    @Test("past the wall clock the status is TIMED_OUT and the whole tree, SIGTERM-immune grandchildren included, is gone")
    func timeoutKillsTree() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let marker = "shoparena-grandchild-\(UInt64.random(in: 0...UInt64.max))"
        let agent = try SandboxFixture.agent(
            """
            import os, sys, time
            CODE = "import signal, time\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\nwhile True: time.sleep(1)"
            def spawn():
                if os.fork() == 0:
                    if os.fork() == 0:
                        os.setsid()
                        os.execv(sys.executable, [sys.executable, "-c", CODE, "\(marker)"])
                    os._exit(0)
            def agent_main(problem_data):
                import signal
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                for _ in range(3):
                    spawn()
                while True:
                    time.sleep(1)
            """, in: scratch)
        let limits = SandboxLimits(wallClockSeconds: 2, killGraceSeconds: 0.5, memoryBytes: 1 << 30)

        // The grandchildren must be seen running before the deadline's kill, however slowly the machine starts
        // them. The run awaits `whenSpawned` before its deadline wait, so the test waits there for the event itself —
        // the three grandchildren in the host's process table — rather than racing a 2 s wall clock with a
        // sampling watcher (an agent that never spawns them fails on the suite's time limit, which cancels the wait).
        // No duration assertion either: the status and the empty process table are what matter.
        let seenCount = Mutex(0)
        let envelope = await runner.run(
            agentFile: agent, problem: SandboxFixture.problem(), proxy: nil, limits: limits,
            whenSpawned: {
                var count = SandboxFixture.processes(containing: marker).count
                while count < 3, !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(20))
                    count = SandboxFixture.processes(containing: marker).count
                }
                seenCount.withLock { $0 = count }
                return nil
            })
        let seen = seenCount.withLock { $0 }

        #expect(envelope.status == .timedOut)
        #expect(envelope.error?.type == "TimeoutError")
        #expect(envelope.error?.message == "Execution exceeded timeout of 2.0s")
        #expect(envelope.dialogue == nil)
        #expect(seen == 3, "the agent's grandchildren should have been running")
        #expect(SandboxFixture.processes(containing: marker).isEmpty, "a sandboxed process outlived the timeout")
    }

    @Test("a fork bomb is stopped by the process limit")
    func forkBomb() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            SandboxFixture.reportingAgent(
                """
                import time
                def report(p):
                    made, error = 0, None
                    for _ in range(500):
                        try:
                            pid = os.fork()
                        except OSError as exc:
                            error = type(exc).__name__
                            break
                        if pid == 0:
                            time.sleep(30)
                            os._exit(0)
                        made += 1
                    return {"made": made, "error": error}
                """), in: scratch)
        let limits = SandboxLimits(wallClockSeconds: 20, killGraceSeconds: 1, memoryBytes: 1 << 30, maxProcesses: 32)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(), limits: limits)
        #expect(envelope.status == .success, "\(envelope.error?.message ?? "")")
        let report = try #require(SandboxFixture.report(envelope))
        let made = report["made"]?.intValue ?? -1
        #expect(made > 0 && made < 32, "made \(made) processes")
        #expect(report["error"]?.stringValue == "BlockingIOError")
    }

    @Test("a memory hog is stopped and reported as MemoryError")
    func memoryHog() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            """
            def agent_main(problem_data):
                hog = []
                for _ in range(48):
                    hog.append(bytearray(b"x" * (32 << 20)))
                return []
            """, in: scratch)
        let limits = SandboxLimits(
            wallClockSeconds: 20, killGraceSeconds: 1, memoryBytes: 256 << 20, addressSpaceBytes: 4 << 30)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(), limits: limits)
        #expect(envelope.status == .failed)
        #expect(envelope.error?.type == "MemoryError", "\(envelope.error?.message ?? "")")
        if runner.capabilities.memoryCgroup {
            #expect(envelope.error?.message.contains("256 MiB") == true)
        }
    }

    @Test("without a memory cgroup the address-space limit still stops the hog")
    func addressSpaceBackstop() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            "def agent_main(problem_data):\n    return [bytearray(3 << 30)]\n", in: scratch)
        let limits = SandboxLimits(
            wallClockSeconds: 20, killGraceSeconds: 1, memoryBytes: 8 << 30, addressSpaceBytes: 1 << 30)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(), limits: limits)
        #expect(envelope.status == .failed)
        #expect(envelope.error?.type == "MemoryError")
    }

    @Test("the private /tmp is size-capped")
    func tmpIsCapped() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            SandboxFixture.reportingAgent(
                """
                def report(p):
                    written, error = 0, None
                    try:
                        with open("/tmp/fill", "wb") as fh:
                            for _ in range(64):
                                fh.write(b"x" * (1 << 20)); fh.flush(); written += 1
                    except OSError as exc:
                        error = exc.errno
                    return {"mib": written, "errno": error}
                """), in: scratch)
        let limits = SandboxLimits(wallClockSeconds: 20, killGraceSeconds: 1, memoryBytes: 1 << 30, tmpSizeBytes: 8 << 20)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(), limits: limits)
        let report = try #require(SandboxFixture.report(envelope))
        #expect((report["mib"]?.intValue ?? 99) <= 8)
        #expect(report["errno"]?.intValue == Int64(ENOSPC))
    }
}
