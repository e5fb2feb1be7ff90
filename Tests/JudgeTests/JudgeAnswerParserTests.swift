import Testing

@testable import Judge

@Suite("Judge answer parsing")
struct JudgeAnswerParserTests {
    @Test func wholeAnswer() throws {
        let a = try #require(JudgeAnswerParser.parse(#"  {"reasoning_quality": 0.7, "explanation": "Gate 4 failed: one candidate"}  "#))
        #expect(a.score == 0.7)
        #expect(a.explanation == "Gate 4 failed: one candidate")
        #expect(a.method == .whole)
    }

    @Test func codeFenceAndRawControlCharacters() throws {
        let text = "```json\n{\"reasoning_quality\": 0.5, \"explanation\": \"Gate 3 failed:\n\tno datum\"}\n```"
        let a = try #require(JudgeAnswerParser.parse(text))
        #expect(a.score == 0.5)
        #expect(a.explanation == "Gate 3 failed:\n\tno datum")
        #expect(a.method == .whole)
    }

    @Test func lastMatchInProse() throws {
        let text = """
            Let me think. An example answer is {"reasoning_quality": 0.1, "explanation": "example"}.
            Gate 1 passes, gate 2 passes. Final: {"reasoning_quality": 0.9, "explanation": "Gate 4 passed: {compares} two"} done
            """
        let a = try #require(JudgeAnswerParser.parse(text))
        #expect(a.score == 0.9)
        #expect(a.explanation == "Gate 4 passed: {compares} two")
        #expect(a.method == .lastMatch)
    }

    @Test func nestedObjectIsFoundByItsKey() throws {
        let a = try #require(JudgeAnswerParser.parse(#"Result: {"verdict": {"reasoning_quality": 0.3, "explanation": "Gate 2 failed"}}"#))
        #expect(a.score == 0.3)
    }

    @Test func truncatedAnswerIsRepaired() throws {
        let a = try #require(JudgeAnswerParser.parse(#"{"reasoning_quality": 0.7, "explanation": "Gate 4 failed: only one cand"#))
        #expect(a.score == 0.7)
        #expect(a.explanation == "Gate 4 failed: only one cand")
        #expect(a.method == .repaired)
        let b = try #require(JudgeAnswerParser.parse(#"{"reasoning_quality": 0.5,"#))
        #expect(b.score == 0.5)
        #expect(b.method == .repaired)
    }

    @Test func offRubricNumbersSnapAndKeepTheRawValue() throws {
        let a = try #require(JudgeAnswerParser.parse(#"{"reasoning_quality": 0.85, "explanation": "x"}"#))
        #expect(a.rawScore == 0.85)
        #expect(a.score == 0.9)
        let zero = try #require(JudgeAnswerParser.parse(#"{"reasoning_quality": 0}"#))
        #expect(zero.score == 0.1)
        #expect(zero.explanation == "")
    }

    @Test(arguments: [
        "",
        "I think the agent did well, about 0.9.",
        #"{"reasoning_quality": "high", "explanation": "x"}"#,
        #"{"quality": 0.9}"#,
        #"{"explanation": "mentions \"reasoning_quality\": 0.9 inside a string"}"#,
        "[0.9]",
    ])
    func garbageIsNotAVerdict(text: String) {
        #expect(JudgeAnswerParser.parse(text) == nil)
    }
}
