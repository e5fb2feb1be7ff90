import ArenaModel
import Testing

@testable import Scoring

@Suite("Malformed dialogues score 0 for what they affect, with a reason")
struct MalformedDialogueTests {
    static let problem = try! Fixture.problem(Fixture.hosportProduct)
    static let gt = Fixture.product("5035687794", title: "bag", price: 200)

    static func score(dialogue: JSONValue?) async -> ProblemScore {
        let e = Envelope(problemID: problem.id, status: .success, dialogue: dialogue)
        return await Fixture.scorer([gt]).score(problem, envelope: e)
    }

    @Test("a dialogue that is not a list", arguments: [JSONValue.string("steps"), ["a": 1], 3, true])
    func notAList(dialogue: JSONValue) async {
        let s = await Self.score(dialogue: dialogue)
        #expect(s.outcome == .scored && !s.success)
        #expect(s.components == ScoreComponents())
        #expect(s.issues.contains { $0.code == "dialogue_not_list" })
    }

    @Test func missingAndEmptyDialogues() async {
        let missing = await Self.score(dialogue: nil)
        #expect(missing.issues.contains { $0.code == "dialogue_missing" } && !missing.success)
        let empty = await Self.score(dialogue: [])
        #expect(empty.issues.contains { $0.code == "dialogue_empty" } && empty.components.format == 0)
    }

    @Test func brokenStepsCostOnlyThemselves() async {
        let good = Fixture.recommendStep("5035687794", step: 3)
        let noCompletion: JSONValue = ["extra_info": ["timestamp": 1]]
        let noMessage: JSONValue = ["completion": ["content": "<think>x</think>"], "extra_info": ["timestamp": 1]]
        let s = await Self.score(dialogue: ["not a step", noCompletion, noMessage, good])
        #expect(s.success)  // the recommendation in the good step still counts
        #expect(s.components.format == 0.25)
        #expect(s.stepFormats.map(\.failure) == [.stepNotObject, .missingCompletion, .missingMessage, nil])
        #expect(Set(s.issues.map(\.code)).isSuperset(of: ["step_not_object", "missing_completion", "missing_message"]))
        #expect(s.issues.first { $0.code == "missing_message" }?.step == 2)
    }

    @Test func toolCallThatIsNotAListIsIgnored() async {
        let step = Fixture.step(message: [
            "think": "x", "tool_call": ["name": "recommend_product", "parameters": ["product_ids": "5035687794"]],
        ])
        let s = await Self.score(dialogue: [step])
        #expect(s.recommended.isEmpty && !s.success)
        #expect(s.components.format == 0)
        #expect(s.issues.contains { $0.code == "tool_call_not_list" && $0.message.contains("object") })
    }

    @Test("non-string product_ids", arguments: [JSONValue.array(["5035687794"]), 5035687794, .null, ["id": "5035687794"]])
    func nonStringProductIDs(ids: JSONValue) async {
        let s = await Self.score(dialogue: [Fixture.recommendStep("5035687794", step: 1), Fixture.recommendStep(ids, step: 2)])
        #expect(!s.success && s.recommended.isEmpty && s.components.product == 0)
        #expect(s.issues.contains { $0.code == "product_ids_not_string" && $0.step == 1 })
    }

    @Test func recommendWithoutParameters() async {
        let step = Fixture.step(message: ["think": "x", "tool_call": [["name": "recommend_product"]]])
        let s = await Self.score(dialogue: [step])
        #expect(!s.success)
        #expect(s.issues.contains { $0.code == "product_ids_not_string" })
    }

    /// Items that are not objects: ORO's message model refuses the step and its scorer raises, so the problem
    /// is FAILED with that reason (it used to be scored from the valid recommend after them; issue "Fidelity").
    @Test func nonObjectCallItemsMakeTheDialogueUnscorable() async {
        let step = Fixture.step(message: [
            "think": "x",
            "tool_call": [1, "recommend_product", ["name": 7], ["name": "recommend_product", "parameters": ["product_ids": "5035687794"]]],
        ])
        let s = await Self.score(dialogue: [step])
        #expect(!s.success)
        #expect(s.malformation?.code == "malformed_tool_call_item")
        // Reading the step stops at its first malformed item, as ORO's extraction loop does.
        #expect(s.issues.filter { $0.code == "tool_call_malformed" }.count == 1)
        #expect(s.components.format == 0)  // the step itself is not well formed
    }

    @Test func nonStringMessageParts() async {
        let step = Fixture.step(message: ["think": ["a"], "response": 42])
        let s = await Self.score(dialogue: [step])
        #expect(s.stepFormats.first?.failure == .partNotString(part: "think"))
        #expect(s.issues.filter { $0.code == "message_part_not_string" }.count == 2)
    }

    // Random JSON in every position: the scorer returns a score in range and never traps.
    @Test func randomDialoguesNeverCrash() async {
        var rng = SplitMix(seed: 7)
        func value(_ depth: Int) -> JSONValue {
            let keys = ["completion", "message", "think", "tool_call", "response", "name", "parameters", "product_ids",
                "extra_info", "timestamp", "x"]
            switch rng.next() % (depth > 4 ? 5 : 8) {
            case 0: return .null
            case 1: return .bool(rng.next() % 2 == 0)
            case 2: return .int(Int64(rng.next() % 5) - 1)
            case 3: return .string(["", "recommend_product", "terminate", "5035687794", "<think>", "a,b"][Int(rng.next() % 6)])
            case 4: return .double(0.5)
            case 5, 6:
                return .object((0..<Int(rng.next() % 4)).map { _ in (keys[Int(rng.next() % UInt64(keys.count))], value(depth + 1)) })
            default: return .array((0..<Int(rng.next() % 4)).map { _ in value(depth + 1) })
            }
        }
        for _ in 0..<400 {
            let s = await Self.score(dialogue: value(0))
            #expect((0...1).contains(s.components.format))
            #expect((0...1).contains(s.components.rule))
            #expect(s.components.length <= 1)
        }
    }
}
