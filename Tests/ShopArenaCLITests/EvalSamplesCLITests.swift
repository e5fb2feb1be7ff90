import ArenaModel
import Foundation
import Testing

/// `shoparena eval --samples K` end to end through the built executable: the three example agents against the stub
/// LLM (`llm stub --example-agents`), every problem run three times, the pass@k report checked against the
/// per-sample successes it prints.
@Suite("shoparena eval --samples (CLI)", .serialized, .timeLimit(.minutes(15)))
struct EvalSamplesCLITests {
    static let agents = CLIProcess.repository.appendingPathComponent("examples/agents")

    /// `1 - C(n-c, k) / C(n, k)` with exact binomials (small n only).
    static func direct(n: Int, c: Int, k: Int) -> Double {
        func binomial(_ n: Int, _ k: Int) -> Double {
            guard k >= 0, k <= n else { return 0 }
            var result = 1.0
            for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
            return result
        }
        return 1 - binomial(n - c, k) / binomial(n, k)
    }

    @Test("the three example agents × 3 samples with the stub LLM: exact counts, pass@k ≥ pass@1, consistent estimator",
          arguments: [("baseline_agent.py", "no-llm"), ("scripted_classifier_agent.py", "scripted"), ("react_agent.py", "agentic")])
    func exampleAgent(agent: String, verdict: String) throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let catalog = try CLIProcess.generateCatalog(products: 400, seed: 7, in: scratch)
        let suite = scratch.appendingPathComponent("suite.json").path
        let generated = try CLIProcess.shoparena(
            ["suite", "generate", "--catalog", catalog, "--count", "3", "--seed", "3", "--out", suite], in: scratch)
        try #require(generated.status == 0, "suite generate failed: \(generated.stderr)")

        let model = "passk-model-under-test"
        let stub = try CLIProcess.Background(
            ["llm", "stub", "--example-agents", suite, "--copies", "3", "--port", "0", "--model", model], in: scratch)
        defer { stub.stop() }
        let upstream = try #require(
            stub.firstLine.split(separator: " ").first { $0.hasPrefix("http://127.0.0.1:") }.map(String.init),
            "no URL in the stub's first line: \(stub.firstLine)")

        let out = scratch.appendingPathComponent("run")
        let corpus = scratch.appendingPathComponent("corpus")
        let logs = scratch.appendingPathComponent("logs")
        let outcome = try CLIProcess.shoparena(
            ["eval", Self.agents.appendingPathComponent(agent).path, "--catalog", catalog, "--suite", suite, "--samples", "3",
             "--json", "--upstream", upstream, "--model", model, "--out", out.path, "--corpus", corpus.path,
             "--proxy-log-dir", logs.path, "--workers", "2", "--timeout", "120", "--memory-mib", "1024"]
                + EvalCLITests.common(),
            in: scratch)
        try #require(outcome.status == 0, "eval failed:\n\(outcome.stderr)")

        // stdout is the report alone.
        let report = try JSONParser.parse(outcome.stdout)
        #expect(report["k"] == 3 && report["success"] == "oro-production-strict")
        let overall = try #require(report["overall"])
        #expect(overall["problems"] == 3 && overall["samples"] == 9)
        #expect(overall["verdicts"] == .object([(verdict, .int(9))]), "\(overall)")

        let problems = try #require(report["problems"]?.arrayValue)
        #expect(problems.count == 3)
        var successes = 0
        var passAt1 = 0.0
        var passAtK = 0.0
        for problem in problems {
            let flags = try #require(problem["sample_success"]?.arrayValue?.compactMap { (value: JSONValue) -> Bool? in
                switch value {
                case .bool(let flag): flag
                default: nil
                }
            })
            #expect(flags.count == 3 && problem["samples"] == 3)
            let c = flags.filter { $0 }.count
            #expect(problem["successes"]?.intValue == Int64(c))
            let p1 = try #require(problem["pass_at_1"]?.numberValue)
            let pk = try #require(problem["pass_at_k"]?.numberValue)
            #expect(abs(p1 - Double(c) / 3) < 1e-9)
            #expect(abs(pk - Self.direct(n: 3, c: c, k: 3)) < 1e-9)
            #expect(pk >= p1)
            #expect(problem["sample_verdicts"]?.arrayValue?.count == 3)
            successes += c
            passAt1 += p1 / 3
            passAtK += pk / 3
        }
        #expect(overall["successes"]?.intValue == Int64(successes))
        #expect(abs((overall["pass_at_1"]?.numberValue ?? -1) - passAt1) < 1e-9)
        #expect(abs((overall["pass_at_k"]?.numberValue ?? -1) - passAtK) < 1e-9)
        #expect((overall["pass_at_k"]?.numberValue ?? 0) >= (overall["pass_at_1"]?.numberValue ?? 1))
        let categories = try #require(report["by_category"]?.objectValue)
        #expect(categories.map { $0.1["samples"]?.intValue ?? 0 }.reduce(0, +) == 9)

        // One envelopes file per sample, each with every problem once.
        let ids = Set(problems.compactMap { $0["problem_id"]?.stringValue })
        for sample in 0..<3 {
            let lines = try String(contentsOf: out.appendingPathComponent("envelopes.sample-\(sample).jsonl"), encoding: .utf8)
                .split(separator: "\n")
            #expect(Set(try lines.map { try JSONParser.parse(String($0))["problem_id"]?.stringValue ?? "" }) == ids)
            #expect(lines.count == 3)
        }
        let summary = try JSONParser.parse(utf8: Data(contentsOf: out.appendingPathComponent("summary.json")))
        #expect(summary["pass_at_k"] == report && summary["sample_scores"]?.arrayValue?.count == 3)

        // Every sample's corpus record, each sample its own run.
        let records = try String(contentsOf: corpus.appendingPathComponent("trajectories.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(records.count == 9)
        #expect(records.compactMap { $0["sample"]?.intValue }.sorted() == [0, 0, 0, 1, 1, 1, 2, 2, 2])
        #expect(Set(records.compactMap { $0["provenance"]?["eval_run_id"]?.stringValue }).count == 3)
        #expect(records.allSatisfy { $0["agentic"]?["verdict"]?.stringValue == verdict })

        // --model reached the agent's inference requests: the trusted proxy log of every sample names it.
        for sample in 0..<3 {
            let folder = logs.appendingPathComponent("sample-\(sample)")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(files.count == 3)
            let calls = try files.flatMap {
                try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8).split(separator: "\n")
                    .map { try JSONParser.parse(String($0)) }
            }
            let inference = calls.filter { $0["path"]?.stringValue?.contains("/inference/") == true }
            if verdict == "no-llm" {
                #expect(inference.isEmpty)
            } else {
                #expect(!inference.isEmpty && inference.allSatisfy { $0["model"]?.stringValue == model && $0["status"] == 200 },
                        "\(inference)")
            }
        }
    }

    @Test("--samples with the shoppingbench profile is refused: pass@k counts ORO's production-strict success")
    func profileRefused() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outcome = try CLIProcess.shoparena(
            ["eval", EvalCLITests.baselineAgent, "--index", "x.idx", "--suite", "s.json", "--samples", "2", "--profile",
             "shoppingbench"] + EvalCLITests.common(), in: scratch)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("production-strict") && outcome.stderr.contains("--profile shoppingbench"), "\(outcome.stderr)")
    }
}
