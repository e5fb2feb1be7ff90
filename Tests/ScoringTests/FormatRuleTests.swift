import ArenaModel
import Testing

@testable import Scoring

@Suite("Format rule")
struct FormatRuleTests {
    static let call: JSONValue = [["name": "find_product", "parameters": ["q": "red shirt"]]]

    static func message(think: JSONValue? = "plan", toolCall: JSONValue? = call, response: JSONValue? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = []
        if let think { pairs.append(("think", think)) }
        if let toolCall { pairs.append(("tool_call", toolCall)) }
        if let response { pairs.append(("response", response)) }
        return .object(pairs)
    }

    static func score(_ message: JSONValue, timestamp: JSONValue? = 1_700_000_000_000, profile: ScoringProfile = .oro) -> StepFormat {
        FormatRule.check(step: Fixture.step(message: message, timestamp: timestamp), missingTimestampFactor: profile.missingTimestampFactor)
    }

    @Test func wellFormedStepsScoreOne() {
        #expect(Self.score(Self.message()).score == 1)
        #expect(Self.score(Self.message(toolCall: nil, response: "here you go")).score == 1)
        #expect(Self.score(Self.message(response: "both")).score == 1)
    }

    @Test func missingThinkScoresZero() {
        #expect(Self.score(Self.message(think: nil)).failure == .missingThink)
        #expect(Self.score(Self.message(think: "")).failure == .missingThink)
    }

    @Test func neitherToolCallNorResponseScoresZero() {
        #expect(Self.score(Self.message(toolCall: nil)).failure == .missingToolCallAndResponse)
        #expect(Self.score(Self.message(toolCall: [], response: "")).failure == .missingToolCallAndResponse)
    }

    @Test("nested or repeated tags score zero", arguments: [
        ("I will answer <response>now</response>", "think"), ("a </think> b", "think"), ("x <tool_call> y", "think"),
    ])
    func nestedTagsInThink(think: String, part: String) {
        let f = Self.score(Self.message(think: .string(think)))
        #expect(f.score == 0)
        if case .tagInsidePart(_, let p)? = f.failure { #expect(p == part) } else { Issue.record("expected a tag failure") }
    }

    @Test func tagsInsideToolCallStrings() {
        // An opening tag inside the tool-call JSON repeats that tag: 0.
        let opening: JSONValue = [["name": "find_product", "parameters": ["q": "<think>"]]]
        #expect(Self.score(Self.message(toolCall: opening)).score == 0)
        // A closing tag does not: ujson writes "</think>" as "<\/think>".
        let closing: JSONValue = [["name": "find_product", "parameters": ["q": "</think> and </tool_call>"]]]
        #expect(Self.score(Self.message(toolCall: closing)).score == 1)
        #expect(FormatRule.rebuiltContent(Self.message(toolCall: closing)).contains(#"<\/think> and <\/tool_call>"#))
    }

    @Test("tool_call that is not a JSON list of {name, parameters} scores zero", arguments: [
        JSONValue.string("find_product(q=shirt)"), ["name": "find_product", "parameters": [:]],
        [["name": "find_product"]], [["name": 3, "parameters": [:]]], [["name": "x", "parameters": "q=1"]], ["just a string"],
    ])
    func toolCallNotAList(toolCall: JSONValue) {
        #expect(Self.score(Self.message(toolCall: toolCall)).score == 0)
    }

    @Test("a missing or non-positive timestamp halves the step under ORO", arguments: [
        JSONValue?.none, .some(.null), .some(0), .some(-5), .some("1700000000000"), .some(false),
    ])
    func missingTimestamp(timestamp: JSONValue?) {
        let f = Self.score(Self.message(), timestamp: timestamp)
        #expect(f.timestampMissing)
        #expect(f.score == 0.5)
        #expect(Self.score(Self.message(), timestamp: timestamp, profile: .shoppingBench).score == 1)
        #expect(Self.score(Self.message(think: nil), timestamp: timestamp).score == 0)
    }

    @Test func floatTimestampsCount() {
        #expect(Self.score(Self.message(), timestamp: 1_700_000_000_000.5).score == 1)
        // As in Python, where True is the int 1.
        #expect(Self.score(Self.message(), timestamp: true).score == 1)
    }

    @Test func formatIsTheMeanOverSteps() async throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let steps: [JSONValue] = [
            Fixture.step(message: Self.message()),  // 1
            Fixture.step(message: Self.message(), timestamp: nil),  // 0.5
            Fixture.step(message: Self.message(think: nil)),  // 0
            Fixture.recommendStep("5035687794", step: 4),  // 1
        ]
        let gt = Fixture.product("5035687794", title: "bag", price: 200)
        let s = await Fixture.scorer([gt]).score(problem, envelope: Fixture.envelope(problem, steps: steps))
        #expect(s.components.format == 2.5 / 4)
        #expect(s.stepFormats.map(\.score) == [1, 0.5, 0, 1])
    }

    // The structural rule must agree with the reference's text rule on the rebuilt text.
    @Test func agreesWithTheTextRuleOnGeneratedMessages() {
        let fragments = [
            "", "plain words", "a/b", "<think>", "</think>", "<tool_call>", "</tool_call>", "<response>", "</response>",
            "<think", "think>", "<Think>", "</ response>", "é ✓",
        ]
        let calls: [JSONValue?] = [
            nil, [], Self.call, [["name": "x"]], "str", ["name": "x", "parameters": [:]],
            [["name": "find", "parameters": ["q": "<think>"]]], [["name": "find", "parameters": ["q": "</think>"]]],
            [["name": "find", "parameters": [:], "result": "<response> x"]], [["name": "a/b", "parameters": ["<tool_call>": 1]]],
            [["name": "r", "parameters": ["ids": "1,2"], "tool_call_id": "abc", "result": ["</response>"]]],
        ]
        var rng = SplitMix(seed: 42)
        var checked = 0
        var passing = 0
        for _ in 0..<3000 {
            func text() -> JSONValue? {
                switch rng.next() % 5 {
                case 0: return nil
                case 1: return .string(fragments[Int(rng.next() % UInt64(fragments.count))])
                default:
                    let a = fragments[Int(rng.next() % UInt64(fragments.count))]
                    let b = fragments[Int(rng.next() % UInt64(fragments.count))]
                    return .string("x " + a + " y " + b)
                }
            }
            let message = Self.message(think: text(), toolCall: calls[Int(rng.next() % UInt64(calls.count))], response: text())
            let structural = FormatRule.failure(of: Fixture.step(message: message)) == nil
            let textual = TextFormatRule.passes(FormatRule.rebuiltContent(message))
            #expect(structural == textual, "\(message)")
            checked += 1
            if structural { passing += 1 }
        }
        #expect(checked == 3000)
        #expect(passing > 100 && passing < 2900)  // both outcomes exercised
    }
}

/// The rule exactly as `reference/oro-validator.md` §3 words it, on text.
enum TextFormatRule {
    static func positions(_ needle: String, in text: String) -> [Int] {
        let t = Array(text.utf8)
        let n = Array(needle.utf8)
        var out: [Int] = []
        var i = 0
        while i + n.count <= t.count {
            if Array(t[i..<(i + n.count)]) == n {
                out.append(i)
                i += n.count
            } else {
                i += 1
            }
        }
        return out
    }

    static func passes(_ text: String) -> Bool {
        var spans: [String: (Int, Int)] = [:]
        for tag in ["think", "tool_call", "response"] {
            let opens = positions("<\(tag)>", in: text)
            let closes = positions("</\(tag)>", in: text)
            if opens.isEmpty && closes.isEmpty { continue }
            guard opens.count == 1, closes.count == 1, opens[0] < closes[0] else { return false }
            spans[tag] = (opens[0], closes[0])
        }
        guard spans["think"] != nil, spans["tool_call"] != nil || spans["response"] != nil else { return false }
        for (a, sa) in spans {
            for (b, sb) in spans where a != b {
                if (sb.0 > sa.0 && sb.0 < sa.1) || (sb.1 > sa.0 && sb.1 < sa.1) { return false }
            }
        }
        if let (open, close) = spans["tool_call"] {
            let bytes = Array(text.utf8)
            let body = String(decoding: bytes[(open + "<tool_call>".utf8.count)..<close], as: UTF8.self)
            guard let json = try? JSONParser.parse(body), case .array(let items) = json else { return false }
            for item in items {
                guard item["name"]?.stringValue != nil, case .object? = item["parameters"] else { return false }
            }
        }
        return true
    }
}

/// SplitMix64, for reproducible generated cases.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
