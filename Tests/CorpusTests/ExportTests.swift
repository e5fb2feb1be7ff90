import ArenaModel
@testable import Corpus
import Foundation
import TestSupport
import Testing

/// The row builders of every export format on one fixed trajectory (exact JSON text), and the cluster split with its
/// audit on ORO's suite with planted versions of each problem.
@Suite("Corpus export rows and splits")
struct ExportTests {
    static let problem: JSONValue = [
        "query": .string(Fixture.query), "category": "Product",
        "reward": ["product_id": "101", "title": ["Red runner"], "price": [["less than": [nil, 500]]]],
    ]

    /// Fixture.goodSteps (search, view, recommend, terminate) as a judged, successful trajectory.
    static func item(success: Bool = true, judge: Double? = 0.75, run: String = "run-1", pool: SplitPool = .train) -> ExportItem {
        let envelope = Fixture.envelope(Fixture.goodSteps)
        let analysis = CorpusAnalysis.analyse(envelope: envelope, query: Fixture.query)
        let provenance = TrajectoryProvenance(
            evalRunID: run, agentVersionID: "v1", agentName: "react", minerHotkey: "m", validatorHotkey: "v", suiteID: 1,
            suiteVersion: 1, problemID: "p1", category: "product", phase: "QUALIFYING", raceID: nil, isHidden: false, isIncluded: true)
        let record = TrajectoryRecord(
            provenance: provenance, analysis: analysis, envelopeStatus: "SUCCESS", success: success, outcome: .null,
            judge: JudgeFacts(reasoningScore: judge, reasoningCoefficient: 1, kind: "rule", model: nil, explanation: nil),
            executionTime: 1.5, completedAt: 1, ingestedAt: 1, versions: .object([]), dialogueKey: nil, dialogueSHA256: nil)
        return ExportItem(record: record, chat: analysis.chat!, problem: problem, pool: pool)
    }

    static func text(_ value: JSONValue) -> String { JSONWriter().string(value) }

    @Test func sftRowIsTRLConversationalChatWithToolCallsAsJSONText() throws {
        let item = Self.item()
        let expected = #"""
            {"messages":[{"role":"system","content":"You are a shopping assistant on an online marketplace. Find the products that satisfy every requirement of the user's request by calling the tools, then call recommend_product exactly once with the chosen product ids and finish with terminate."},{"role":"user","content":"red running shoes under 500"},{"role":"assistant","content":"","reasoning_content":"Search first.","tool_calls":[{"id":"call_1_1","type":"function","function":{"name":"find_product","arguments":"{\"q\":\"red running shoes\",\"page\":1}"}}]},{"role":"tool","content":"[{\"product_id\":\"101\",\"title\":\"Red runner\",\"price\":299}]","tool_call_id":"call_1_1","name":"find_product"},{"role":"assistant","content":"","reasoning_content":"Check 101.","tool_calls":[{"id":"call_2_1","type":"function","function":{"name":"view_product_information","arguments":"{\"product_ids\":\"101\"}"}}]},{"role":"tool","content":"[{\"product_id\":\"101\"}]","tool_call_id":"call_2_1","name":"view_product_information"},{"role":"assistant","content":"","reasoning_content":"101 fits.","tool_calls":[{"id":"call_3_1","type":"function","function":{"name":"recommend_product","arguments":"{\"product_ids\":\"101\"}"}}]},{"role":"tool","content":"Having recommended the products to the user: 101.","tool_call_id":"call_3_1","name":"recommend_product"},{"role":"assistant","content":"Here it is.","reasoning_content":"Done.","tool_calls":[{"id":"call_4_1","type":"function","function":{"name":"terminate","arguments":"{\"status\":\"success\"}"}}]},{"role":"tool","content":"The interaction has been completed with status: success","tool_call_id":"call_4_1","name":"terminate"}],"trajectory_id":"8febc124-9fff-8edc-ad17-64475a8624a4","problem_id":"p1","category":"product","judge_score":0.75,"verdict":"no-llm","success":true,"split":"train"}
            """#
        let row = SFTRows.row(item)
        #expect(row["tools"] == CorpusTools.schema)
        #expect(Self.text(row.removingKeys(["tools"])) == expected)
    }

    @Test func sftFastWriterGivesTheBytesOfTheRow() throws {
        for item in [Self.item(), Self.item(success: false, judge: nil, pool: .eval)] {
            #expect(String(decoding: SFTRows.json(item), as: UTF8.self) == Self.text(SFTRows.row(item)))
        }
    }

    @Test func messageTextIsTheTextOfItsJSON() {
        let messages = [
            ChatMessage(role: .assistant, content: "say \"hi\"\n", reasoning: "", toolCalls: [
                ChatToolCall(id: "c1", name: "find_product", arguments: ["q": "ünïcode \\ \u{1}"]),
                ChatToolCall(id: "c2", name: "terminate", arguments: [:], argumentsParsed: false),
            ]),
            ChatMessage(role: .tool, content: "[1]", toolCallID: "c1", name: "find_product"),
            ChatMessage(role: .user, content: "", name: "ignored on a user message"),
            ChatMessage(role: .assistant, content: "x", reasoning: "why"),
        ]
        for message in messages {
            var out: [UInt8] = []
            message.writeJSON(into: &out)
            #expect(String(decoding: out, as: UTF8.self) == Self.text(message.json))
        }
    }

    @Test func promptOnlyReadGivesTheRLRowOfTheWholeChat() throws {
        let chatDialogue: [JSONValue] = [
            ["role": "user", "content": "hi"],
            ["role": "assistant", "content": "", "tool_calls": [["id": "a", "function": ["name": "find_product", "arguments": #"{"q":"x"}"#]]]],
            ["role": "tool", "tool_call_id": "a", "content": #"[{"product_id":"7","title":"T"}]"#],
        ]
        for steps in [Fixture.goodSteps, chatDialogue] {
            let stored = Array(Fixture.envelope(steps).jsonLine.utf8)
            let full = try #require(ExportDialogue.decode(stored, query: Fixture.query))
            let prompt = try #require(ExportDialogue.prompt(stored, query: Fixture.query))
            var whole = Self.item()
            (whole.chat, whole.toolResults) = (full.chat, full.toolResults)
            var promptOnly = Self.item()
            (promptOnly.chat, promptOnly.toolResults) = (prompt.chat, prompt.toolResults)
            let none: (String) -> JSONValue? = { _ in nil }
            #expect(RLRows.json(whole, catalog: none).row == RLRows.json(promptOnly, catalog: none).row)
            #expect(!RLRows.toolResultProducts(promptOnly.toolResultValues).isEmpty)
            #expect(promptOnly.chat.messages == DialogueNormaliser.prompt(query: Fixture.query))
        }
    }

    @Test func stepRowsRebuildTheDialogueRecordsHistoryBeforeEachStep() throws {
        let rows = StepRows.rows(Self.item())
        #expect(rows.count == 4)
        let expectedSecond = #"""
            {"input":"# Dialogue Records History\n<user>red running shoes under 500</user>\n\n<think>Search first.</think>\n<tool_call>[{\"name\":\"find_product\",\"parameters\":{\"q\":\"red running shoes\",\"page\":1},\"tool_call_id\":\"call_1_1\"}]</tool_call>\n<obs>[{\"tool_call_id\":\"call_1_1\",\"results\":[{\"product_id\":\"101\",\"title\":\"Red runner\",\"price\":299}]}]</obs>","output":"<think>Check 101.</think>\n<tool_call>[{\"name\":\"view_product_information\",\"parameters\":{\"product_ids\":\"101\"}}]</tool_call>","step":2,"trajectory_id":"8febc124-9fff-8edc-ad17-64475a8624a4","problem_id":"p1","category":"product","judge_score":0.75,"verdict":"no-llm","success":true,"split":"train"}
            """#
        #expect(Self.text(rows[1].removingKeys(["instruction"])) == expectedSecond)
        #expect(rows[0]["input"]?.stringValue == "# Dialogue Records History\n<user>\(Fixture.query)</user>")
        #expect(rows.allSatisfy { $0["instruction"]?.stringValue == StepRows.systemPrompt })
    }

    @Test func preferenceRowsPairTheBestSuccessWithAFailure() throws {
        let best = Self.item(judge: 0.9, run: "run-b")
        let worse = Self.item(judge: 0.5, run: "run-a")
        let failure = Self.item(success: false, judge: 0.95, run: "run-c")
        #expect(PreferenceRows.chosen([worse.record, failure.record, best.record])?.trajectoryID == best.record.trajectoryID)
        #expect(PreferenceRows.chosen([failure.record]) == nil)
        let expectedDPO = #"""
            {"prompt":[{"role":"system","content":"You are a shopping assistant on an online marketplace. Find the products that satisfy every requirement of the user's request by calling the tools, then call recommend_product exactly once with the chosen product ids and finish with terminate."},{"role":"user","content":"red running shoes under 500"}],"chosen":[{"role":"assistant","content":"","reasoning_content":"Search first.","tool_calls":[{"id":"call_1_1","type":"function","function":{"name":"find_product","arguments":"{\"q\":\"red running shoes\",\"page\":1}"}}]},{"role":"tool","content":"[{\"product_id\":\"101\",\"title\":\"Red runner\",\"price\":299}]","tool_call_id":"call_1_1","name":"find_product"},{"role":"assistant","content":"","reasoning_content":"Check 101.","tool_calls":[{"id":"call_2_1","type":"function","function":{"name":"view_product_information","arguments":"{\"product_ids\":\"101\"}"}}]},{"role":"tool","content":"[{\"product_id\":\"101\"}]","tool_call_id":"call_2_1","name":"view_product_information"},{"role":"assistant","content":"","reasoning_content":"101 fits.","tool_calls":[{"id":"call_3_1","type":"function","function":{"name":"recommend_product","arguments":"{\"product_ids\":\"101\"}"}}]},{"role":"tool","content":"Having recommended the products to the user: 101.","tool_call_id":"call_3_1","name":"recommend_product"},{"role":"assistant","content":"Here it is.","reasoning_content":"Done.","tool_calls":[{"id":"call_4_1","type":"function","function":{"name":"terminate","arguments":"{\"status\":\"success\"}"}}]},{"role":"tool","content":"The interaction has been completed with status: success","tool_call_id":"call_4_1","name":"terminate"}],"rejected":[{"role":"assistant","content":"","reasoning_content":"Search first.","tool_calls":[{"id":"call_1_1","type":"function","function":{"name":"find_product","arguments":"{\"q\":\"red running shoes\",\"page\":1}"}}]},{"role":"tool","content":"[{\"product_id\":\"101\",\"title\":\"Red runner\",\"price\":299}]","tool_call_id":"call_1_1","name":"find_product"},{"role":"assistant","content":"","reasoning_content":"Check 101.","tool_calls":[{"id":"call_2_1","type":"function","function":{"name":"view_product_information","arguments":"{\"product_ids\":\"101\"}"}}]},{"role":"tool","content":"[{\"product_id\":\"101\"}]","tool_call_id":"call_2_1","name":"view_product_information"},{"role":"assistant","content":"","reasoning_content":"101 fits.","tool_calls":[{"id":"call_3_1","type":"function","function":{"name":"recommend_product","arguments":"{\"product_ids\":\"101\"}"}}]},{"role":"tool","content":"Having recommended the products to the user: 101.","tool_call_id":"call_3_1","name":"recommend_product"},{"role":"assistant","content":"Here it is.","reasoning_content":"Done.","tool_calls":[{"id":"call_4_1","type":"function","function":{"name":"terminate","arguments":"{\"status\":\"success\"}"}}]},{"role":"tool","content":"The interaction has been completed with status: success","tool_call_id":"call_4_1","name":"terminate"}],"problem_id":"p1","category":"product","chosen_trajectory_id":"487eb9c5-cd46-8459-ad4b-8ebafcdf8d2d","rejected_trajectory_id":"bf734d86-51b8-8413-a7ef-3a9ec16ab6a8","chosen_judge_score":0.9,"rejected_judge_score":0.95,"split":"train"}
            """#
        #expect(Self.text(PreferenceRows.dpo(chosen: best, rejected: failure)) == expectedDPO)
        let expectedKTO = #"""
            {"prompt":[{"role":"system","content":"You are a shopping assistant on an online marketplace. Find the products that satisfy every requirement of the user's request by calling the tools, then call recommend_product exactly once with the chosen product ids and finish with terminate."},{"role":"user","content":"red running shoes under 500"}],"completion":[{"role":"assistant","content":"","reasoning_content":"Search first.","tool_calls":[{"id":"call_1_1","type":"function","function":{"name":"find_product","arguments":"{\"q\":\"red running shoes\",\"page\":1}"}}]},{"role":"tool","content":"[{\"product_id\":\"101\",\"title\":\"Red runner\",\"price\":299}]","tool_call_id":"call_1_1","name":"find_product"},{"role":"assistant","content":"","reasoning_content":"Check 101.","tool_calls":[{"id":"call_2_1","type":"function","function":{"name":"view_product_information","arguments":"{\"product_ids\":\"101\"}"}}]},{"role":"tool","content":"[{\"product_id\":\"101\"}]","tool_call_id":"call_2_1","name":"view_product_information"},{"role":"assistant","content":"","reasoning_content":"101 fits.","tool_calls":[{"id":"call_3_1","type":"function","function":{"name":"recommend_product","arguments":"{\"product_ids\":\"101\"}"}}]},{"role":"tool","content":"Having recommended the products to the user: 101.","tool_call_id":"call_3_1","name":"recommend_product"},{"role":"assistant","content":"Here it is.","reasoning_content":"Done.","tool_calls":[{"id":"call_4_1","type":"function","function":{"name":"terminate","arguments":"{\"status\":\"success\"}"}}]},{"role":"tool","content":"The interaction has been completed with status: success","tool_call_id":"call_4_1","name":"terminate"}],"label":false,"trajectory_id":"bf734d86-51b8-8413-a7ef-3a9ec16ab6a8","problem_id":"p1","category":"product","judge_score":0.95,"verdict":"no-llm","success":false,"split":"train"}
            """#
        #expect(Self.text(PreferenceRows.kto(failure)) == expectedKTO)
    }

    @Test func rlRowCarriesTheRewardSpecificationAndTheProductDocuments() throws {
        let catalog = Product(productID: "101", shopID: "7", title: "Red runner", price: 299, service: ["COD"])
        let (row, missing) = RLRows.row(Self.item()) { $0 == "101" ? catalog.json : nil }
        #expect(missing.isEmpty)
        let expected = #"""
            {"prompt":[{"role":"system","content":"You are a shopping assistant on an online marketplace. Find the products that satisfy every requirement of the user's request by calling the tools, then call recommend_product exactly once with the chosen product ids and finish with terminate."},{"role":"user","content":"red running shoes under 500"}],"problem_id":"p1","category":"product","query":"red running shoes under 500","reward_spec":{"reward":{"product_id":"101","title":["Red runner"],"price":[{"less than":[null,500]}]},"voucher":null},"products":{"101":{"product_id":"101","shop_id":"7","brand":"","category":"","title":"Red runner","short_description":"","description":"","specification":"","price":299.0,"sold_count":0,"sku_options":{},"attributes":{},"main_image_url":"","product_url":"","service":["COD"]}},"trajectory_id":"8febc124-9fff-8edc-ad17-64475a8624a4"}
            """#
        #expect(row["tools"] == CorpusTools.schema)
        #expect(Self.text(row.removingKeys(["tools"])) == expected)
        // The text writer gives the row's bytes, whether the tool results come as values or as texts.
        let stored = Array(Fixture.envelope(Fixture.goodSteps).jsonLine.utf8)
        var decoded = Self.item()
        decoded.toolResults = try #require(ExportDialogue.decode(stored, query: Fixture.query)).toolResults
        #expect(decoded.toolResults?.count == 4)
        #expect(decoded.toolResultValues == Self.item().toolResultValues)
        for item in [Self.item(), decoded] {
            let lookup: (String) -> JSONValue? = { $0 == "101" ? catalog.json : nil }
            #expect(String(decoding: RLRows.json(item, catalog: lookup).row, as: UTF8.self) == Self.text(RLRows.row(item, catalog: lookup).row))
            #expect(RLRows.toolResultProducts(item.toolResultValues).map(\.1) == RLRows.toolResultProducts(item.chat).map(\.1))
        }
        // Without a catalog the tool results' richest object stands in.
        let (fallback, _) = RLRows.row(Self.item()) { _ in nil }
        #expect(fallback["products"]?["101"] == Fixture.searchResult.arrayValue?.first)
    }

    // MARK: splits

    static func oroSuite() throws -> [(id: String, record: JSONValue)] {
        let url = try SharedData.url("oro_problem_suite_v3.json")
        return try ProblemSuite(text: String(contentsOf: url, encoding: .utf8), fileName: url.path).problems.map { ($0.id, $0.original) }
    }

    @Test func splitsKeepEveryPlantedVersionWithItsOriginalAndTheAuditIsEmpty() throws {
        let originals = try Self.oroSuite()
        let variants = ProblemVariants(seed: 5)
        let hidden: Set<Int> = [3, 14, 25]  // one hidden race problem per category
        var input: [SplitProblem] = []
        var origin: [String: String] = [:]
        for (i, (id, record)) in originals.enumerated() {
            input.append(SplitProblem(id: id, record: record, isHidden: hidden.contains(i)))
            let problem = try Problem(json: record.setting("problem_id", to: .string(id)))
            for kind in ProblemVariants.Kind.allCases {
                let variant = variants.variant(of: problem, kind: kind)
                let vid = variant["problem_id"]!.stringValue!
                input.append(SplitProblem(id: vid, record: variant, isHidden: false))
                origin[vid] = id
            }
        }
        let splits = CorpusSplits(problems: input, configuration: .init(seed: 3, evalFraction: 0.3))
        #expect(splits.audit.isClean, "\(splits.audit.text)")
        for (vid, id) in origin {
            #expect(splits.pool(of: vid) == splits.pool(of: id), "\(vid) left its original \(id)")
        }
        for i in hidden { #expect(splits.pool(of: originals[i].id) == .never) }
        let pools = Set(originals.map { splits.pool(of: $0.id)! })
        #expect(pools == [.train, .eval, .never])
        #expect(splits.audit.problems[.never] == hidden.count * 7)

        // The order of the input does not matter; the seed does.
        var rng = SplitMix64(seed: 9)
        let again = CorpusSplits(problems: input.shuffled(using: &rng), configuration: .init(seed: 3, evalFraction: 0.3))
        #expect(again.pools == splits.pools)
        let other = CorpusSplits(problems: input, configuration: .init(seed: 4, evalFraction: 0.3))
        #expect(other.pools != splits.pools)
    }

    @Test func theAuditCatchesAProductOnBothSides() throws {
        // With the exact links off, two problems sharing a ground-truth product but worded apart are separate clusters:
        // a split that puts them apart must be reported.
        var configuration = ProblemClusterer.Configuration()
        configuration.exactLinks = false
        let a: JSONValue = ["query": "a steel water bottle for hiking", "category": "Product",
                            "reward": ["product_id": "55", "title": ["Steel bottle"]]]
        let b: JSONValue = ["query": "leather wallet with many card slots", "category": "Product",
                            "reward": ["product_id": "55", "title": ["Leather wallet"]]]
        var found = false
        for seed in UInt64(0)..<64 {
            let splits = CorpusSplits(problems: [SplitProblem(id: "a", record: a, isHidden: false), SplitProblem(id: "b", record: b, isHidden: false)],
                                      configuration: .init(seed: seed, evalFraction: 0.5, clusterer: configuration))
            if splits.pool(of: "a") != splits.pool(of: "b") {
                #expect(!splits.audit.isClean)
                #expect(splits.audit.sharedProducts == ["55"])
                found = true
                break
            }
        }
        #expect(found)
    }
}
