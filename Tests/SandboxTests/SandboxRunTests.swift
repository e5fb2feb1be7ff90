import ArenaModel
import Foundation
import Sandbox
import Testing

@Suite("Sandbox runs: statuses and errors", .timeLimit(.minutes(5)))
struct SandboxRunTests {
    let limits = SandboxLimits(wallClockSeconds: 20, killGraceSeconds: 1, memoryBytes: 1 << 30, addressSpaceBytes: 4 << 30)

    @Test("host detection finds bubblewrap with working user namespaces")
    func detection() {
        let caps = HostCapabilities.detect()
        #expect(caps.canIsolate, "\(caps.problem ?? "")")
        #expect(caps.userNamespaces)
    }

    @Test("a runner refuses to start without isolation unless insecure is asked for")
    func refusesWithoutIsolation() throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let python = try SandboxFixture.python.get()
        var config = SandboxConfiguration(
            python: python, runtimeDirectory: SandboxFixture.repository.appendingPathComponent("python"),
            workDirectory: scratch, bwrapPath: "/nonexistent/bwrap")
        #expect {
            _ = try SandboxRunner(configuration: config)
        } throws: { error in
            guard case SandboxError.isolationUnavailable(let why) = error else { return false }
            return why.contains("not installed")
        }
        config.isolation = .insecure
        #expect(throws: Never.self) { _ = try SandboxRunner(configuration: config) }
    }

    @Test("a working agent gives SUCCESS with its dialogue, without the reward")
    func success() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            SandboxFixture.reportingAgent(
                """
                def report(p):
                    return {"keys": sorted(p), "uid": os.getuid(), "env": os.environ.get("PROBLEM_DATA", ""),
                            "token": os.environ.get("CHUTES_ACCESS_TOKEN"), "cwd": os.getcwd()}
                """), in: scratch)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(id: "ok-1"), limits: limits)
        #expect(envelope.status == .success, "\(envelope.error.map { "\($0.type): \($0.message)" } ?? "")")
        #expect(envelope.problemID == "ok-1")
        #expect(envelope.error == nil)
        #expect((envelope.executionTime ?? 0) > 0)
        let report = try #require(SandboxFixture.report(envelope))
        let keys = report["keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(keys == ["category", "problem_id", "query"])
        #expect(report["uid"]?.intValue == 65534)
        #expect(report["token"]?.stringValue == "test-token")
        let problemData = try #require(report["env"]?.stringValue)
        #expect(problemData.contains("find red shoes"))
        #expect(!problemData.contains("SECRET-REWARD-ID"))
        let step = try #require(envelope.steps?.first)
        #expect(step.stepNumber == 1)
        #expect(step.query == "find red shoes")
        #expect(step.timestamp != nil)
        // The envelope line round-trips through the shared reader.
        let reread = try Envelope(jsonLine: envelope.jsonLine)
        #expect(reread == envelope)
    }

    @Test("an agent that raises gives FAILED with the exception type and message")
    func agentRaises() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            "def agent_main(problem_data):\n    raise ValueError('boom at step 3')\n", in: scratch)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(), limits: limits)
        #expect(envelope.status == .failed)
        #expect(envelope.error?.type == "ValueError")
        #expect(envelope.error?.message.contains("boom at step 3") == true)
        #expect(envelope.dialogue == nil)
    }

    @Test("an agent without agent_main gives FAILED ImportError")
    func missingEntry() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent("x = 1\n", in: scratch)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(), limits: limits)
        #expect(envelope.status == .failed)
        #expect(envelope.error?.type == "ImportError")
    }

    @Test("a process that dies without a result gives FAILED with its exit code and the end of its output")
    func diesWithoutResult() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent(
            """
            import os, sys
            def agent_main(problem_data):
                sys.stdout.write("x" * 100000)
                sys.stderr.write("LAST WORDS before exit\\n")
                sys.stdout.flush(); sys.stderr.flush()
                os._exit(3)
            """, in: scratch)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(), limits: limits)
        #expect(envelope.status == .failed)
        let error = try #require(envelope.error)
        #expect(error.type == "RuntimeError")
        #expect(error.message.contains("exited with code 3 but produced no result"))
        #expect(error.message.contains("LAST WORDS before exit"))
        // The output tail is bounded.
        #expect(error.message.utf8.count < limits.outputTailBytes + 500)
    }

    @Test("a missing agent file gives FAILED, not a crash")
    func missingAgentFile() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let envelope = await runner.run(
            agentFile: scratch.appendingPathComponent("nope.py"), problem: SandboxFixture.problem(), limits: limits)
        #expect(envelope.status == .failed)
        #expect(envelope.error?.type == "FileNotFoundError")
    }

    @Test("the per-problem work directory is removed after the run")
    func cleansUp() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let agent = try SandboxFixture.agent("def agent_main(p):\n    return []\n", in: scratch)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(), limits: limits)
        #expect(envelope.status == .success)
        // Only this process's owner folder stays, holding nothing but its pid file (see SandboxOwner).
        let work = try FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("work").path)
        #expect(work == [runner.ownerDirectory.lastPathComponent])
        let left = try FileManager.default.contentsOfDirectory(atPath: runner.ownerDirectory.path)
        #expect(left == ["owner.pid"])
    }
}
