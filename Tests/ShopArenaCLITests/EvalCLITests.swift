import ArenaModel
import Foundation
import Testing

/// `shoparena eval` end to end through the built executable: a real run of the baseline agent in the
/// sandbox, and the setup errors that must stop it with one clear sentence.
@Suite("shoparena eval (CLI)", .timeLimit(.minutes(5)))
struct EvalCLITests {
    static let baselineAgent = CLIProcess.repository.appendingPathComponent("examples/agents/baseline_agent.py").path
    static let runtime = CLIProcess.repository.appendingPathComponent("python").path

    /// The arguments every eval here shares: the test venv and the repository's runtime.
    static func common() throws -> [String] {
        ["--python", try CLIProcess.python.get().path, "--runtime", runtime]
    }

    /// The one line the command printed on stderr (ArgumentParser's `Error: …`), failing when there are more.
    static func singleErrorLine(_ outcome: CLIProcess.Outcome) -> String? {
        let lines = outcome.stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return lines.count == 1 ? lines[0] : nil
    }

    @Test("the baseline agent over a generated suite: envelopes JSONL and summary written, exit 0")
    func baselineRun() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let catalog = try CLIProcess.generateCatalog(products: 400, seed: 7, in: scratch)

        let out = scratch.appendingPathComponent("run")
        let outcome = try CLIProcess.shoparena(
            ["eval", Self.baselineAgent, "--catalog", catalog, "--generate", "3", "--seed", "3", "--out", out.path,
             "--workers", "2", "--timeout", "120", "--memory-mib", "1024"] + Self.common(),
            in: scratch)
        #expect(outcome.status == 0, "eval failed:\n\(outcome.stderr)")
        #expect(outcome.stdout.contains("problems:        3"))
        // No --upstream: the user is told before the run that inference will fail.
        #expect(outcome.stderr.contains("eval: warning: no --upstream (or --replay)"))

        let lines = try String(contentsOf: out.appendingPathComponent("envelopes.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 3)
        let envelopes = try lines.map { try JSONParser.parse(utf8: Data($0.utf8)) }
        let ids = envelopes.compactMap { $0["problem_id"]?.stringValue }
        #expect(Set(ids).count == 3)
        for envelope in envelopes {
            #expect(envelope["status"]?.stringValue == "SUCCESS", "\(envelope["error"].map { "\($0)" } ?? "")")
            // The baseline agent searches: every dialogue went through the problem's proxy.
            let calls = envelope["dialogue"]?.arrayValue?.compactMap { $0["extra_info"]?["proxy_calls"]?.arrayValue?.count }
                .reduce(0, +) ?? 0
            #expect(calls > 0, "no proxy calls recorded for \(envelope["problem_id"]?.stringValue ?? "?")")
        }

        let summary = try JSONParser.parse(
            utf8: Data(contentsOf: out.appendingPathComponent("summary.json")))
        #expect(summary["run"]?["problems"]?.intValue == 3)
        #expect(summary["run"]?["success"]?.intValue == 3)
        #expect(summary["dialogues"]?.stringValue == out.appendingPathComponent("envelopes.jsonl").path)
    }

    @Test("a missing agent file stops eval with one sentence naming it")
    func missingAgent() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let agent = scratch.appendingPathComponent("no_such_agent.py").path
        let outcome = try CLIProcess.shoparena(
            ["eval", agent, "--index", scratch.appendingPathComponent("x.idx").path, "--suite", "suite.json"]
                + Self.common(), in: scratch)
        #expect(outcome.status != 0)
        let line = try #require(Self.singleErrorLine(outcome), "stderr: \(outcome.stderr)")
        #expect(line.contains(agent) && line.contains("does not exist"), "\(line)")
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("envelopes.jsonl").path))
    }

    @Test("an agent with a syntax error stops eval with one sentence giving the line")
    func syntaxError() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let agent = scratch.appendingPathComponent("broken_agent.py")
        try Data("def agent_main(problem_data):\n    return [\n\ndef oops(:\n".utf8).write(to: agent)
        let outcome = try CLIProcess.shoparena(
            ["eval", agent.path, "--index", scratch.appendingPathComponent("x.idx").path, "--suite", "suite.json"]
                + Self.common(), in: scratch)
        #expect(outcome.status != 0)
        let line = try #require(Self.singleErrorLine(outcome), "stderr: \(outcome.stderr)")
        #expect(line.contains(agent.path) && line.contains("cannot be used") && line.contains("(line "), "\(line)")
    }

    @Test("a missing search index stops eval with one sentence naming it")
    func missingIndex() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let index = scratch.appendingPathComponent("missing.idx").path
        let outcome = try CLIProcess.shoparena(
            ["eval", Self.baselineAgent, "--index", index, "--suite", "suite.json"] + Self.common(), in: scratch)
        #expect(outcome.status != 0)
        let line = try #require(Self.singleErrorLine(outcome), "stderr: \(outcome.stderr)")
        #expect(line.contains(index) && line.contains("cannot be opened"), "\(line)")
    }
}

/// Messages a user can act on (issue 13 §6), through the built executable.
@Suite("CLI messages")
struct CLIMessageTests {
    @Test("a busy port is named, with how to find its user")
    func busyPort() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Hold a port on loopback for the duration of the test.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        #expect(bound == 0)
        #expect(listen(fd, 1) == 0)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let outcome = try CLIProcess.shoparena(
            ["serve", "--port", "\(port)", "--data-dir", scratch.appendingPathComponent("data").path], in: scratch)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("port \(port) is already in use on 127.0.0.1"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("errno"))
    }

    @Test("eval outside the repository names the runtime folder it looked in")
    func runtimeFolder() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outcome = try CLIProcess.shoparena(
            ["eval", EvalCLITests.baselineAgent, "--index", "x.idx", "--suite", "s.json", "--python",
             try CLIProcess.python.get().path], in: scratch)
        #expect(outcome.status != 0)
        let folder = scratch.appendingPathComponent("python").standardizedFileURL.path
        #expect(outcome.stderr.contains("The agent runtime was looked for in \(folder)"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("--runtime"))
    }

    @Test("serve --help shows every setting's default")
    func serveHelpDefaults() throws {
        let outcome = try CLIProcess.shoparena(["serve", "--help"], in: CLIProcess.repository)
        let help = outcome.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("Time between two submissions of one hotkey, seconds (default: 43200 (12 h))"), "\(help)")
        #expect(help.contains("Largest agent file accepted, bytes (default: 1000000)"))
        #expect(help.contains("deepseek-ai/DeepSeek-V3.2-TEE"))
    }
}
