import ArenaModel
import Testing

@testable import Scoring

/// The five classes where a differential run against ORO's own scorer found ShopArena's numbers different
/// (issue "Fidelity: the scorer's five divergences"), each on dialogues built here.
@Suite("ORO fidelity: ground-truth fields, id trimming, malformed calls, unscorable dialogues, extra_info")
struct OROFidelityTests {
    static let gtProduct = Fixture.product(
        "GT", title: "Waterproof Waist Leg Bag Motorcycle", price: 520, service: ["COD"],
        attributes: [("brand", ["hosport"])])

    // MARK: 1. Field ratios on a ground-truth slot

    @Test func groundTruthSlotCountsItsFieldsUnderOROAndScoresOneUnderShoppingBench() async throws {
        // Price constrained and missed by the GT product itself; service unconstrained; one attribute hit.
        let problem = try Fixture.problem(
            """
            {"query": "gt fields", "category": "Product",
             "reward": {"product_id": "GT", "title": ["Waist bag"], "price": [{"between": [180, 505]}],
                        "attributes": [{"brand": ["hosport"]}, {"color": ["red"]}]}}
            """)
        let envelope = Fixture.recommending(problem, "GT")
        let oro = await Fixture.scorer([Self.gtProduct]).score(problem, envelope: envelope)
        #expect(oro.success && oro.components.gt == 1 && oro.components.rule == 1)
        #expect(oro.components.title == 1)
        #expect(oro.components.price == 0)
        #expect(oro.components.service == 0)  // unconstrained: 0 in ORO
        #expect(oro.components.skuAttrs == 0.5)
        #expect(oro.slots.first?.hits == 2 && oro.slots.first?.constraints == 4)

        let sb = await Fixture.scorer([Self.gtProduct], profile: .shoppingBench).score(problem, envelope: envelope)
        #expect(sb.success && sb.components.rule == 1)
        #expect([sb.components.title, sb.components.price, sb.components.service, sb.components.skuAttrs] == [1, 1, 1, 1])
    }

    @Test func groundTruthFieldsAreMeansOverShopItems() async throws {
        let problem = try Fixture.problem(
            """
            {"query": "gt shop", "category": "Shop",
             "reward": [{"product_id": "A", "service": ["COD"]}, {"product_id": "B", "price": [{"less than": [null, 10]}]}]}
            """)
        let a = Fixture.product("A", shop: "S", title: "a", price: 50, service: ["COD"])
        let b = Fixture.product("B", shop: "S", title: "b", price: 50)
        let s = await Fixture.scorer([a, b]).score(problem, envelope: Fixture.recommending(problem, "A,B"))
        #expect(s.success && s.components.gt == 1 && s.components.shop == 1)
        #expect(s.components.service == 0.5)  // A: 1/1, B: unconstrained 0
        #expect(s.components.price == 0)  // A: unconstrained 0, B: 0/1
        #expect(s.components.title == 0)  // no titles anywhere
    }

    // MARK: 2. Id trimming: exactly Python's str.strip()

    /// Every code point for which Python 3.11's `str.isspace()` holds (Unicode 14), listed by running
    /// `[c for c in range(0x110000) if chr(c).isspace()]`.
    static let pythonSpaces: [UInt32] = [
        0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
        0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
        0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ]

    @Test func isSpaceHoldsForExactlyPythonsWhiteSpace() {
        let expected = Set(Self.pythonSpaces)
        var found: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if PythonText.isSpace(scalar) { found.append(value) }
        }
        #expect(Set(found) == expected && found.count == expected.count)
    }

    @Test("an id padded with any code point Python strips still hits the ground truth",
          arguments: OROFidelityTests.pythonSpaces)
    func paddedIDHitsGroundTruth(space: UInt32) async throws {
        let pad = String(Character(Unicode.Scalar(space)!))
        let problem = try Fixture.problem(
            #"{"query": "pad", "category": "Product", "reward": {"product_id": "GT", "title": ["x"]}}"#)
        let ids = pad + "GT" + pad + pad + "," + pad
        let s = await Fixture.scorer([Self.gtProduct]).score(problem, envelope: Fixture.recommending(problem, ids))
        #expect(s.recommended == ["GT"])
        #expect(s.success && s.components.gt == 1)
    }

    @Test func trimmingWorksOnCodePointsNotCharacters() {
        // A space followed by a combining acute accent is one Character but two code points: Python strips
        // the space and keeps the accent; a comma followed by the accent is still a separator.
        #expect(Recommendation.split(" \u{301}A", rule: .trimmed) == ["\u{301}A"])
        #expect(Recommendation.split("A,\u{301}B", rule: .trimmed) == ["A", "\u{301}B"])
        #expect(Recommendation.split("\u{1C}A\u{1F},B\u{85}", rule: .trimmed) == ["A", "B"])
        // Canonically equivalent but different code points are different ids in Python.
        #expect(Recommendation.split("\u{E9},e\u{301}", rule: .trimmed) == ["\u{E9}", "e\u{301}"])
        #expect(Recommendation.split("\u{1C}A", rule: .plain) == ["\u{1C}A"])
    }

    // MARK: 3. A malformed call earlier in the same step

    static let productProblem = try! Fixture.problem(
        #"{"query": "one", "category": "Product", "reward": {"product_id": "GT", "title": ["x"]}}"#)
    static let other = Fixture.product("OTHER", title: "other", price: 1)

    /// A last step without calls: the step under test is then not the last one, whose calls ORO's `length`
    /// rule reads (and raises on, see class 4).
    static let closing = Fixture.step(message: ["think": "t", "response": "done"])

    static func score(_ steps: [JSONValue], profile: ScoringProfile = .oro) async -> ProblemScore {
        await Fixture.scorer([gtProduct, other], profile: profile)
            .score(productProblem, envelope: Fixture.envelope(productProblem, steps: steps))
    }

    static func callStep(_ calls: [JSONValue]) -> JSONValue {
        Fixture.step(message: ["think": "t", "tool_call": .array(calls)])
    }

    static func recommend(_ ids: String) -> JSONValue {
        ["name": "recommend_product", "parameters": ["product_ids": .string(ids)]]
    }

    @Test("a call that is not an object with a name ends its step, a later recommend included",
          arguments: [
            JSONValue.object([("parameters", ["product_ids": "GT"])]),  // no name
            ["name": "recommend_product", "parameters": ["GT"]],  // recommend, parameters a list
            ["name": "recommend_product", "parameters": "GT"],  // recommend, parameters a string
            ["name": "recommend_product"],  // recommend without parameters
          ])
    func malformedCallEndsTheStep(bad: JSONValue) async {
        let s = await Self.score([Self.callStep([bad, Self.recommend("GT")]), Self.closing])
        #expect(s.malformation == nil)
        #expect(s.recommended.isEmpty && !s.success)
        #expect(s.issues.contains { $0.code == "tool_call_malformed" && $0.step == 0 })
    }

    @Test func anEarlierStepsRecommendationSurvivesAMalformedCallInALaterStep() async {
        let s = await Self.score([
            Self.callStep([Self.recommend("GT")]),
            Self.callStep([["name": "recommend_product", "parameters": ["GT"]], Self.recommend("OTHER")]),
        ])
        #expect(s.recommended == ["GT"] && s.success)
    }

    @Test func aNonStringNameIsNotMalformedAndTheCallsAfterItAreRead() async {
        let s = await Self.score([Self.callStep([["name": 7, "parameters": [:]], Self.recommend("GT")])])
        #expect(s.recommended == ["GT"] && s.success)
        #expect(!s.issues.contains { $0.code == "tool_call_malformed" })
    }

    @Test func callsBeforeTheMalformedOneCount() async {
        let s = await Self.score([
            Self.callStep([Self.recommend("GT"), ["parameters": [:]], Self.recommend("OTHER")]), Self.closing,
        ])
        #expect(s.recommended == ["GT"] && s.success)
    }

    @Test func aRecommendWithoutProductIDsRecommendsNothing() async {
        let s = await Self.score([
            Self.callStep([Self.recommend("GT")]),
            Self.callStep([["name": "recommend_product", "parameters": ["other": 1]]]),
        ])
        #expect(s.recommended.isEmpty && !s.success)
    }

    // MARK: 4. Dialogues ORO's scorer cannot score: FAILED with a reason, never SUCCESS

    static let good = Fixture.recommendStep("GT", step: 1)

    @Test("unscorable dialogues are FAILED with the reason named",
          arguments: [
            // A step before a good final recommendation whose message does not fit ORO's message model.
            ([Fixture.step(message: ["think": "t", "response": .null]), good], "malformed_message_part"),
            ([Fixture.step(message: ["think": 5, "response": "r"]), good], "malformed_message_part"),
            ([Fixture.step(message: ["think": "t", "user": ["u"], "response": "r"]), good], "malformed_message_part"),
            ([Fixture.step(message: ["think": "t", "tool_call": .null]), good], "malformed_tool_call"),
            ([Fixture.step(message: ["think": "t", "tool_call": ["name": "x"]]), good], "malformed_tool_call"),
            ([Fixture.step(message: ["think": "t", "tool_call": ["x"]]), good], "malformed_tool_call_item"),
            ([Fixture.step(message: ["think": "t", "response": "r", "obs": "o"]), good], "malformed_obs"),
            ([Fixture.step(message: ["think": "t", "response": "r", "obs": [1]]), good], "malformed_obs"),
            // The last step.
            ([good, .null], "malformed_last_step"),
            ([good, ["extra_info": ["timestamp": 1]]], "malformed_last_step_completion"),
            ([good, ["completion": "text"]], "malformed_last_step_completion"),
            ([good, ["completion": ["content": "c"]]], "malformed_last_step_message"),
            ([good, ["completion": ["message": "please call tool_call"]]], "malformed_last_message"),
            ([good, ["completion": ["message": ["tool_call"]]]], "malformed_last_message"),
            ([good, ["completion": ["message": 3]]], "malformed_last_message"),
            ([good, Self.callStep([Self.recommend("GT"), ["parameters": [:]]])], "malformed_last_call_name"),
          ] as [([JSONValue], String)])
    func unscorable(steps: [JSONValue], code: String) async {
        for profile in [ScoringProfile.oro, .shoppingBench] {
            let s = await Self.score(steps, profile: profile)
            #expect(s.malformation?.code == code, "\(profile)")
            #expect(!s.success && s.components == ScoreComponents())
            #expect(s.issues.contains { $0.code == code })
            #expect(s.json["status"] == "FAILED")
            #expect(s.json["failure_reason"]?["code"] == .string(code))
        }
    }

    @Test("non-list dialogues are unscorable", arguments: [JSONValue.null, "steps", ["a": 1], 3])
    func notAList(dialogue: JSONValue) async {
        let e = Envelope(problemID: Self.productProblem.id, status: .success, dialogue: dialogue)
        let s = await Fixture.scorer([Self.gtProduct]).score(Self.productProblem, envelope: e)
        #expect(s.malformation?.code == "malformed_not_list" && !s.success)
    }

    @Test func scorableOddities() async {
        // Steps ORO skips without raising: not an object, no completion, a string message without the word,
        // a falsy message; and an empty dialogue, which simply fails.
        let s = await Self.score([
            "x", ["extra_info": [:]], ["completion": ["message": "hello"]], ["completion": ["message": .null]], Self.good,
        ])
        #expect(s.malformation == nil && s.success)
        let last = await Self.score([Self.good, ["completion": ["message": "no tools here"]]])
        #expect(last.malformation == nil && last.success)
        let empty = await Self.score([])
        #expect(empty.malformation == nil && !empty.success)
    }

    // MARK: 5. extra_info that is not an object

    @Test("extra_info that is not an object", arguments: [JSONValue.null, ["timestamp"], "ts", 5])
    func extraInfoNotAnObject(extra: JSONValue) async {
        var step = Self.good
        step = step.setting("extra_info", to: extra)
        let oro = await Self.score([step])
        #expect(oro.stepFormats.first?.score == 0 && oro.stepFormats.first?.failure == .extraInfoNotObject)
        #expect(oro.components.format == 0 && oro.success)
        let sb = await Self.score([step], profile: .shoppingBench)
        #expect(sb.components.format == 1)
    }

    @Test func missingExtraInfoOrTimestampIsHalvedUnderORO() async {
        let noExtra = await Self.score([Self.good.removingKeys(["extra_info"])])
        #expect(noExtra.components.format == 0.5)
        let noTimestamp = await Self.score([Self.good.setting("extra_info", to: ["step": 1])])
        #expect(noTimestamp.components.format == 0.5)
    }
}
