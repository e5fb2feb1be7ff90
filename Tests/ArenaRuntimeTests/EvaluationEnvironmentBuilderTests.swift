import ArenaRuntime
import Foundation
import Judge
import Proxy
import Sandbox
import Scoring
import Search
import TestSupport
import Testing
import Validator

/// The one wiring of an evaluation that `eval`, `validator` and the local arena share: inputs checked with a typed
/// error naming the file, the index opened or built from a catalog, the agent checked by the backend's analyzer, and
/// the parts (runner, scorer, judge, proxies, validator environment) carrying what the builder was given.
@Suite("Evaluation environment builder")
struct EvaluationEnvironmentBuilderTests {
    static let root = SharedData.repositoryRoot()
    static let runtime = root.appendingPathComponent("python")
    /// The analyzer is standard library only, so the system interpreter runs it.
    static let python = URL(fileURLWithPath: "/usr/bin/python3")

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("builder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func builder(index: EvaluationEnvironmentBuilder.IndexSource = .file("/nonexistent.idx")) -> EvaluationEnvironmentBuilder {
        EvaluationEnvironmentBuilder(index: index, python: python, runtime: runtime)
    }

    @Test func missingInterpreterAndRuntimeAreNamed() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let missing = scratch.appendingPathComponent("bin/python").path
        #expect(throws: EvaluationSetupError.pythonMissing(path: missing)) {
            try EvaluationEnvironmentBuilder.sandboxPython(explicit: missing, environment: [:], cwd: scratch)
        }
        let fromEnvironment = try EvaluationEnvironmentBuilder.sandboxPython(
            explicit: nil, environment: ["SHOPARENA_SANDBOX_PYTHON": Self.python.path], cwd: scratch)
        #expect(fromEnvironment == Self.python)
        // The working directory as the CLI gives it: a directory URL, which relative paths resolve against.
        let cwd = URL(fileURLWithPath: scratch.path, isDirectory: true)
        do {
            _ = try EvaluationEnvironmentBuilder.runtimeFolder("nowhere", cwd: cwd)
            Issue.record("a folder without run_harness.py was accepted")
        } catch {
            #expect(error == .runtimeMissing(folder: scratch.appendingPathComponent("nowhere").path, given: "nowhere", cwd: cwd.path))
            #expect(error.description.contains("--runtime nowhere"))
        }
        let root = URL(fileURLWithPath: Self.root.path, isDirectory: true)
        #expect(try EvaluationEnvironmentBuilder.runtimeFolder("python", cwd: root).path == Self.runtime.path)
    }

    @Test func aMissingIndexIsNamed() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("missing.idx").path
        do {
            _ = try Self.builder(index: .file(path)).openIndex(scratch: scratch)
            Issue.record("a missing index opened")
        } catch {
            guard case .indexUnopenable(let named, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(named == path)
            #expect(error.description.hasPrefix("The search index \(path) cannot be opened"))
        }
    }

    @Test func aCatalogIsIndexedIntoTheScratchFolder() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fixture = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/SearchTests/Fixtures/parity_catalog.jsonl"), encoding: .utf8)
        let catalog = scratch.appendingPathComponent("catalog.jsonl")
        try (fixture.split(separator: "\n").prefix(40).joined(separator: "\n") + "\n").write(to: catalog, atomically: true, encoding: .utf8)
        let engine = try Self.builder(index: .catalog(catalog.path)).openIndex(scratch: scratch.appendingPathComponent("work"))
        #expect(engine.documentCount == 40)
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("work/catalog.idx").path))

        let garbage = scratch.appendingPathComponent("garbage.jsonl")
        try "not json\n".write(to: garbage, atomically: true, encoding: .utf8)
        #expect {
            try Self.builder(index: .catalog(garbage.path)).openIndex(scratch: scratch.appendingPathComponent("work2"))
        } throws: { error in
            guard case .catalogUnindexable(let path, _) = error as? EvaluationSetupError else { return false }
            return path == garbage.path
        }
    }

    @Test func theAgentCheckUsesTheSubmissionAnalyzer() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let builder = Self.builder()
        let missing = scratch.appendingPathComponent("none.py").path
        await #expect(throws: EvaluationSetupError.agentUnreadable(path: missing)) { try await builder.checkAgent(path: missing) }

        let broken = scratch.appendingPathComponent("broken.py")
        try "def agent_main(problem_data):\n    return [\n\ndef oops(:\n".write(to: broken, atomically: true, encoding: .utf8)
        do {
            _ = try await builder.checkAgent(path: broken.path)
            Issue.record("a syntax error passed the check")
        } catch {
            guard case .agentUnusable(let path, _, let line) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == broken.path)
            #expect(line != nil)
            #expect(error.description.contains("cannot be used") && error.description.contains("(line "))
        }

        let noMain = scratch.appendingPathComponent("no_main.py")
        try "def helper():\n    return []\n".write(to: noMain, atomically: true, encoding: .utf8)
        await #expect(throws: EvaluationSetupError.self) { try await builder.checkAgent(path: noMain.path) }

        let risky = scratch.appendingPathComponent("risky.py")
        try "import subprocess\n\ndef agent_main(problem_data):\n    return []\n".write(to: risky, atomically: true, encoding: .utf8)
        let warnings = try await builder.checkAgent(path: risky.path)
        #expect(warnings.count >= 1)
        #expect(warnings.allSatisfy { $0.contains("(line ") })

        let clean = scratch.appendingPathComponent("clean.py")
        try "def agent_main(problem_data):\n    return []\n".write(to: clean, atomically: true, encoding: .utf8)
        #expect(try await builder.checkAgent(path: clean.path).isEmpty)

        var noInterpreter = builder
        noInterpreter.python = scratch.appendingPathComponent("missing-python")
        await #expect {
            try await noInterpreter.checkAgent(path: clean.path)
        } throws: { error in
            guard case .analyzerFailed(let python, _) = error as? EvaluationSetupError else { return false }
            return python == noInterpreter.python.path
        }
    }

    @Test func thePartsCarryWhatTheBuilderWasGiven() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fixture = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/SearchTests/Fixtures/parity_catalog.jsonl"), encoding: .utf8)
        let catalog = scratch.appendingPathComponent("catalog.jsonl")
        try (fixture.split(separator: "\n").prefix(10).joined(separator: "\n") + "\n").write(to: catalog, atomically: true, encoding: .utf8)
        var builder = Self.builder(index: .catalog(catalog.path))
        builder.isolation = .insecure
        builder.model = "m-1"
        builder.allowedModels = ["m-1", "m-2"]
        builder.upstream = "http://127.0.0.1:9/v1"
        builder.apiKey = "secret"
        builder.workers = 3
        builder.limits = SandboxLimits(wallClockSeconds: 7)
        builder.profile = .shoppingBench
        let engine = try builder.openIndex(scratch: scratch)

        let proxy = builder.proxyConfiguration
        #expect(proxy.allowedModels == ["m-1", "m-2"])
        #expect(proxy.upstreamBaseURL == "http://127.0.0.1:9/v1")
        #expect(proxy.apiKey == "secret")
        #expect(builder.proxyProvider(engine: engine, logDirectory: scratch).logDirectory == scratch)
        #expect(builder.makeScorer(engine: engine).profile == .shoppingBench)
        #expect(builder.makeJudge() is RuleJudge)

        let work = scratch.appendingPathComponent("sandbox")
        let environment = try builder.validatorEnvironment(
            engine: engine, sandboxWorkDirectory: work, heartbeatInterval: 5, workDirectory: scratch.appendingPathComponent("runs"))
        #expect(environment.allowedModels == ["m-1", "m-2"])
        #expect(environment.inferenceBaseURL == "http://127.0.0.1:9/v1")
        #expect(environment.workers == 3)
        #expect(environment.limits.wallClockSeconds == 7)
        #expect(environment.heartbeatInterval == 5)
        #expect(environment.runner.configuration.workDirectory == work)
        #expect(environment.runner.configuration.isolation == .insecure)
        // The agent sees the model and the proxy's placeholder token, never the upstream key.
        #expect(environment.runner.configuration.agentEnvironment == ["CHUTES_ACCESS_TOKEN": "shoparena-proxy", "SANDBOX_MODEL": "m-1"])

        builder.judge = LLMRubricJudgeConfiguration(baseURL: "http://127.0.0.1:9/v1", apiKey: nil, models: ["judge"])
        #expect(!(builder.makeJudge() is RuleJudge))
    }
}
