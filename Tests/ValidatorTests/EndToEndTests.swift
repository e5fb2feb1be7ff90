import ArenaModel
import Foundation
import Judge
import ArenaRuntime
import Proxy
import Sandbox
import Scoring
import Search
import TestSupport
import Testing
import Validator

/// The whole loop over the real HTTP API: a backend, two validators and the stub LLM on a generated
/// 30-problem suite. Both example agents must become ELIGIBLE with X = 2, and the baseline agent's final
/// score must equal an offline evaluation of the same agent and suite (sandbox + scorer + rule judge).
@Suite("End to end", .serialized)
struct EndToEndTests {
    @Test func bothExampleAgentsBecomeEligibleAndMatchAnOfflineEvaluation() async throws {
        let root = SharedData.repositoryRoot()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let python = try SandboxPython.url()
        let baseline = root.appendingPathComponent("examples/agents/baseline_agent.py")
        let react = root.appendingPathComponent("examples/agents/react_agent.py")
        var configuration = LocalArena.Configuration(directory: directory, agents: [baseline, react], python: python,
                                                     runtime: root.appendingPathComponent("python"))
        configuration.products = 1_500
        configuration.problems = 30
        configuration.validators = 2
        configuration.requiredSuccesses = 2
        configuration.workersPerValidator = 2
        configuration.deadlineSeconds = 600
        let outcome = try await LocalArena(configuration: configuration, log: { _ in }).run()

        #expect(outcome.agents.count == 2)
        for agent in outcome.agents {
            #expect(agent.state == "ELIGIBLE", "\(agent.file) ended \(agent.state)")
            #expect(agent.finalScore != nil)
        }
        let entries = outcome.leaderboard?["entries"]?.arrayValue ?? []
        #expect(entries.count == 2)

        // Offline: the same agent file over the same suite, scored and judged in-process.
        let files = ArenaFiles(directory: directory)
        let suite = try ProblemSuite(text: String(contentsOf: files.suite, encoding: .utf8), fileName: files.suite.path)
        let engine = try SearchIndex.open(path: files.index.path)
        let runner = try SandboxRunner(configuration: SandboxConfiguration(
            python: python, runtimeDirectory: root.appendingPathComponent("python"),
            workDirectory: directory.appendingPathComponent("offline")))
        let envelopes = await runner.runBatch(
            agentFile: baseline, problems: suite.problems, workers: 2,
            proxy: ProxyProvider(engine: engine, configuration: ProxyConfiguration(allowedModels: ["shoparena-stub"])))
        let scorer = OutcomeScorer(profile: .oro, products: engine, similarity: LexicalTitleSimilarity())
        let tracker = JudgeRunTracker()
        var scores: [ProblemScore] = []
        for envelope in envelopes {
            let problem = suite.problems.first { $0.id == envelope.problemID }!
            scores.append(await scorer.score(problem, envelope: envelope))
            if envelope.status == .success {
                _ = await tracker.judge(problemID: problem.id, JudgeInput(envelope: envelope, query: problem.query,
                                                                          category: problem.category), using: RuleJudge())
            }
        }
        let aggregate = OutcomeAggregate(scores: scores, suiteSize: suite.problems.count, denominator: .suite)
        let offline = tracker.summary.finalScore(successRate: aggregate.successRate)
        let online = outcome.agents.first { $0.file == "baseline_agent.py" }?.finalScore
        #expect(online.map { abs($0 - offline) < 1e-9 } == true, "online \(String(describing: online)) vs offline \(offline)")
    }
}
