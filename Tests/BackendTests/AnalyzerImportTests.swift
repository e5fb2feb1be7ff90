import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ShopArenaTesting
import Store
import Testing

/// Issue 13: an agent importing a name the sandbox runtime does not provide is refused at submission with
/// 422 CODE_ANALYSIS_ERROR naming the line and the name (the real Python analyzer, which reads the names
/// from the runtime's own modules), instead of being accepted and then failing every problem.
@Suite("Submission analyzer: imports of the runtime")
struct AnalyzerImportTests {
    /// The test agent that imports and uses every ORO name (also run in the sandbox by ProxyTests).
    static var oroNamesAgent: String {
        get throws {
            try String(contentsOfFile: SharedDataPaths.pythonRuntime + "/tests/fixtures/oro_names_agent.py", encoding: .utf8)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func missingRuntimeNameIsRefusedWithLineAndName(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let clock = arena.clock
        let miner = try await arena.hotkey(.miner)
        let oroNames = try Self.oroNamesAgent
        try await arena.test { client in
            let code = """
                import json
                from src.agent.agent_interface import Tool, create_dialogue_step
                from src.agent.agent_interface import generate_tool_call_ids
                import src.agent.proxy_client as pc

                def agent_main(problem):
                    client = pc.AsyncProxyClient()
                    return []

                """
            let refused = try await MinerRoutesTests.submit(client, miner, clock, SubmitForm(code: code))
            #expect(refused.status == .unprocessableContent)
            let body = try refused.json
            #expect(body["error_code"] == "CODE_ANALYSIS_ERROR")
            #expect(body["detail"]?.stringValue == "the agent file imports 2 names the ShopArena runtime does not provide, "
                + "so every problem would fail; fix the imports and submit again now (this refusal costs no cooldown)")
            let violations = try #require(body["violations"]?.arrayValue)
            #expect(violations.count == 2)
            #expect(violations.map { $0["rule"]?.stringValue } == ["unknown_runtime_import", "unknown_runtime_import"])
            #expect(violations.map { $0["severity"]?.stringValue } == ["compatibility", "compatibility"])
            #expect(violations.map { $0["line"]?.intValue } == [3, 7])
            let first = try #require(violations.first?["message"]?.stringValue)
            #expect(first.hasPrefix("'generate_tool_call_ids' is not provided by src.agent.agent_interface"))
            #expect(first.contains("did you mean 'generate_tool_call_id'?"))
            let second = try #require(violations.last?["message"]?.stringValue)
            #expect(second.hasPrefix("'AsyncProxyClient' is not provided by src.agent.proxy_client"))
            // An import of a missing runtime name is an honest mistake: no cooldown is used.
            #expect(body["remaining_seconds"] == 0)
            #expect(try await arena.services.agents.agents(ofMiner: miner.address).isEmpty)

            // The agent that imports every ORO name is accepted, from the same miner at once.
            let accepted = try await MinerRoutesTests.submit(client, miner, clock, SubmitForm(name: "oro-names", code: oroNames))
            #expect(accepted.status == .ok)
            #expect(try accepted.json["admission_status"] == "ACCEPTED")
        }
    }
}
