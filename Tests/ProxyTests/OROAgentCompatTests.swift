import ArenaModel
import Catalog
import Foundation
import LLM
import Proxy
import Sandbox
import Scoring
import Search
import TestSupport
import Testing

/// The issue's must-show: `examples/agents/react_agent.py` — an ORO-style agent importing
/// `src.agent.agent_interface` and `ProxyClient` — runs unchanged in the real sandbox and solves generated
/// problems when a scripted LLM stub tells it to search, view and recommend.
@Suite("ORO-style react agent against the LLM stub", .timeLimit(.minutes(3)))
struct OROAgentCompatTests {
    /// A small generated world: catalog, index and product-only suite.
    struct World {
        var index: SearchIndex
        var problems: [Problem]
    }

    static func makeWorld(in dir: URL, products: Int = 3000, problems: Int = 3) throws -> World {
        let catalogPath = dir.appendingPathComponent("catalog.jsonl").path
        let indexPath = dir.appendingPathComponent("catalog.idx").path
        let generator = try CatalogGenerator(
            configuration: CatalogGeneratorConfiguration(productCount: products, seed: 42), cover: [])
        let writer = try CatalogWriter(path: catalogPath)
        _ = try generator.generate(into: writer)  // closes the writer
        var reader = try CatalogReader(path: catalogPath)
        var builder = try IndexBuilder(path: indexPath)
        while let document = try reader.next() { try builder.add(document) }
        _ = try builder.finish()
        let suite = try SuiteGenerator(
            configuration: SuiteGeneratorConfiguration(count: problems, seed: 42, productShare: 1, shopShare: 0, voucherShare: 0)
        ).generate(catalogPath: catalogPath)
        return World(
            index: try SearchIndex.open(path: indexPath),
            problems: try ProblemSuite(text: suite.jsonText, fileName: "suite.json").problems)
    }

    /// Three model turns per problem, matched on its query: search the reward title, view the reward
    /// products, recommend them and terminate — in the agent's ShoppingBench tag format.
    static func script(for problems: [Problem]) -> ChatScript {
        func turn(_ think: String, _ calls: [JSONValue]) -> String {
            "<think>\(think)</think>\n<tool_call>\(JSONWriter().string(.array(calls)))</tool_call>"
        }
        func call(_ name: String, _ parameters: [(String, JSONValue)]) -> JSONValue {
            .object([("name", .string(name)), ("parameters", .object(parameters))])
        }
        var entries: [ChatScript.Entry] = []
        for problem in problems {
            let ids = problem.rewards.map(\.productID).joined(separator: ",")
            let title = problem.rewards.first?.titles.first ?? problem.query
            let keywords = title.split(separator: " ").prefix(4).joined(separator: " ")
            entries.append(
                .init(
                    response: .string(turn("Search for it.", [call("find_product", [("q", .string(keywords)), ("page", .int(1))])])),
                    match: problem.query))
            entries.append(
                .init(
                    response: .string(turn("Check the details.", [call("view_product_information", [("product_ids", .string(ids))])])),
                    match: problem.query))
            entries.append(
                .init(
                    response: .string(
                        turn(
                            "These fit.",
                            [call("recommend_product", [("product_ids", .string(ids))]), call("terminate", [("status", "success")])])
                            + "\n<response>Here you are.</response>"),
                    match: problem.query))
        }
        return ChatScript(entries: entries)
    }

    struct IndexLookup: ProductLookup {
        let index: SearchIndex
        func product(id: String) -> Product? { index.product(id: id) }
    }

    @Test("react_agent.py runs unchanged in the sandbox, searches, views, recommends, and the scorer marks every problem solved")
    func reactAgentSolvesGeneratedProblems() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let world = try Self.makeWorld(in: dir)
        #expect(world.problems.count == 3)
        let stub = try await ScriptedChatServer.start(script: Self.script(for: world.problems))
        let runner = try SandboxRunner(
            configuration: SandboxConfiguration(
                python: try SandboxProxyEndToEndTests.python(),
                runtimeDirectory: SharedData.repositoryRoot().appendingPathComponent("python"),
                workDirectory: dir.appendingPathComponent("w"),
                agentEnvironment: ["SANDBOX_MODEL": "stub-model", "CHUTES_ACCESS_TOKEN": "shoparena-proxy"]))
        let agent = SharedData.repositoryRoot().appendingPathComponent("examples/agents/react_agent.py")
        let envelopes = await runner.runBatch(
            agentFile: agent, problems: world.problems,
            limits: SandboxLimits(wallClockSeconds: 60, killGraceSeconds: 1, memoryBytes: 1 << 30), workers: 2,
            proxy: ProxyProvider(
                engine: world.index,
                configuration: ProxyConfiguration(allowedModels: ["stub-model"], upstreamBaseURL: stub.baseURL)))
        await stub.shutdown()
        #expect(stub.answered == 9)

        let scorer = OutcomeScorer(profile: .oro, products: IndexLookup(index: world.index), similarity: LexicalTitleSimilarity())
        for problem in world.problems {
            let envelope = try #require(envelopes.first { $0.problemID == problem.id })
            #expect(envelope.status == .success, "\(problem.id): \(envelope.error?.message ?? "")")
            let paths = (envelope.proxyCalls?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }
            #expect(paths.filter { $0 == "/inference/chat/completions" }.count == 3)
            #expect(paths.contains("/search/find_product"))
            #expect(paths.contains("/search/view_product_information"))
            let score = await scorer.score(problem, envelope: envelope)
            #expect(score.success, "\(problem.id): \(score.issues)")
            #expect(score.recommended == problem.rewards.map(\.productID))
        }
    }

    /// Issue 13: `python/tests/fixtures/oro_names_agent.py` imports and uses every public name of ORO's
    /// `src.agent.agent_interface` and `src.agent.proxy_client` (ToolCallResult, _TOOL_REGISTRY, register_tool,
    /// Tool, get_tool, generate_tool_call_id, format_content, create_dialogue_step, execute_tool_call;
    /// ProxyClient, RequestLog, InferenceStats, DEFAULT_*), checks what each does and raises on any difference.
    @Test("an agent using every ORO runtime name runs to SUCCESS in the sandbox with the proxy and solves the problems")
    func oroNamesAgentSucceeds() async throws {
        let dir = try ProxyTestSupport.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let world = try Self.makeWorld(in: dir)
        let stub = try await ScriptedChatServer.start(script: Self.script(for: world.problems))
        let runner = try SandboxRunner(
            configuration: SandboxConfiguration(
                python: try SandboxProxyEndToEndTests.python(),
                runtimeDirectory: SharedData.repositoryRoot().appendingPathComponent("python"),
                workDirectory: dir.appendingPathComponent("w"),
                agentEnvironment: ["SANDBOX_MODEL": "stub-model", "CHUTES_ACCESS_TOKEN": "shoparena-proxy"]))
        let agent = SharedData.repositoryRoot().appendingPathComponent("python/tests/fixtures/oro_names_agent.py")
        let envelopes = await runner.runBatch(
            agentFile: agent, problems: world.problems,
            limits: SandboxLimits(wallClockSeconds: 60, killGraceSeconds: 1, memoryBytes: 1 << 30), workers: 2,
            proxy: ProxyProvider(
                engine: world.index,
                configuration: ProxyConfiguration(allowedModels: ["stub-model"], upstreamBaseURL: stub.baseURL)))
        await stub.shutdown()
        #expect(stub.answered == 9)

        let scorer = OutcomeScorer(profile: .oro, products: IndexLookup(index: world.index), similarity: LexicalTitleSimilarity())
        for problem in world.problems {
            let envelope = try #require(envelopes.first { $0.problemID == problem.id })
            #expect(envelope.status == .success, "\(problem.id): \(envelope.error?.message ?? "")")
            let steps = envelope.steps ?? []
            #expect(steps.count == 3)
            let names = steps.map { step in (step.toolCalls ?? []).compactMap(\.name) }
            #expect(names == [["find_product"], ["view_product_information"], ["recommend_product", "terminate"]])
            let paths = (envelope.proxyCalls?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }
            #expect(paths.filter { $0 == "/inference/chat/completions" }.count == 3)
            #expect(paths.contains("/search/find_product"))
            #expect(paths.contains("/search/view_product_information"))
            let score = await scorer.score(problem, envelope: envelope)
            #expect(score.success, "\(problem.id): \(score.issues)")
            #expect(score.recommended == problem.rewards.map(\.productID))
        }
    }
}
