import Testing
@testable import ArenaModel

@Suite("JSON parsing and Python-compatible writing")
struct JSONTests {
    @Test("floats print like Python's repr", arguments: [
        (99.0, "99.0"), (0.1, "0.1"), (1e-05, "1e-05"), (0.0001, "0.0001"), (1e16, "1e+16"),
        (1234567890123456.0, "1234567890123456.0"), (256.5, "256.5"), (-3.25, "-3.25"), (0.0, "0.0"),
        (1.5e-10, "1.5e-10"), (123456789.125, "123456789.125"), (2.5e300, "2.5e+300"),
        (-455.0, "-455.0"), (999999999999999.0, "999999999999999.0"), (1e15, "1000000000000000.0"), (-0.0, "-0.0"),
    ])
    func pythonFloat(value: Double, expected: String) {
        #expect(JSONWriter.pythonFloat(value) == expected)
    }

    @Test("one member of an object reads as the whole object's member", arguments: [
        #"{"a": 1, "dialogue": [{"x": "]}\\\"{"}, 2.5e3, null], "z": {"k": ["[", "}"]}}"#,
        #"{"proxy_calls": [{"q": "a\\\\"}, -1, true, false], "dialogue": {"deep": [[[]]]}}"#,
        #"{"dialogue": 1, "dialogue": "last wins"}"#, #"{}"#, #"{"other": "dialogue"}"#, #"  {"dialogue" : [ ] }  "#,
    ])
    func member(text: String) throws {
        let whole = try JSONParser.parse(text)
        let member = try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.member("dialogue", in: $0) }
        #expect(member == whole["dialogue"])
    }

    @Test func memberRefusesWhatIsNotAnObject() {
        for text in ["[1]", #""dialogue""#, #"{"a": "unterminated}"#, #"{"a" 1}"#, ""] {
            #expect(throws: JSONParseError.self) { try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.member("dialogue", in: $0) } }
        }
    }

    @Test("integers parse exactly up to Int64's bounds, and beyond them as floats", arguments: [
        ("0", JSONValue.int(0)), ("-0", .int(0)), ("-7", .int(-7)), ("123456789012345678", .int(123456789012345678)),
        ("-123456789012345678", .int(-123456789012345678)), ("9223372036854775807", .int(.max)),
        ("-9223372036854775808", .int(.min)), ("9223372036854775808", .double(9223372036854775808)),
    ])
    func integers(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test func keepsKeyOrderAndNumberKinds() throws {
        let text = #"{"b":1,"a":[1.0,2,null,true],"c":{"z":"\u00e9\n","y":-0.5}}"#
        let value = try JSONParser.parse(text)
        #expect(value["b"] == .int(1))
        #expect(value["a"]?.arrayValue?[0] == .double(1.0))
        #expect(JSONWriter().string(value) == #"{"b":1,"a":[1.0,2,null,true],"c":{"z":"é\n","y":-0.5}}"#)
        #expect(JSONWriter(style: .python, ensureASCII: true).string(value)
            == #"{"b": 1, "a": [1.0, 2, null, true], "c": {"z": "\u00e9\n", "y": -0.5}}"#)
        #expect(JSONWriter(sortKeys: true).string(value) == #"{"a":[1.0,2,null,true],"b":1,"c":{"y":-0.5,"z":"é\n"}}"#)
    }

    @Test("strings escape as Python's json.dumps does", arguments: [
        ("plain", false, #""plain""#),
        ("a\"b\\c\nd\u{01}e\u{1F}f\tg", false, #""a\"b\\c\nd\u0001e\u001ff\tg""#),
        ("café ❤️\u{7F}", false, "\"café ❤️\u{7F}\""),
        ("café ❤️\u{7F}", true, #""caf\u00e9 \u2764\ufe0f\u007f""#),
        ("x\"é\"y", true, #""x\"\u00e9\"y""#),
    ])
    func stringEscapes(text: String, ensureASCII: Bool, expected: String) {
        #expect(JSONWriter(ensureASCII: ensureASCII).string(.string(text)) == expected)
    }

    @Test func surrogatePairsAndAstralCharacters() throws {
        let value = try JSONParser.parse(#""\ud83d\ude00 ok""#)
        #expect(value == .string("😀 ok"))
        #expect(JSONWriter(ensureASCII: true).string(value) == #""\ud83d\ude00 ok""#)
    }

    @Test("malformed input is an error with an offset", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"abc", "tru", "[1] x", "{\"a\":\"\u{01}\"}", "\"\\x\"",
    ])
    func malformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test("raw UTF-8 in strings: ASCII, multi-byte and invalid bytes (with and without escapes)")
    func rawBytesInStrings() throws {
        func parse(_ bytes: [UInt8]) throws -> JSONValue {
            try bytes.withUnsafeBufferPointer { b in try JSONParser.parse(bytes: b) }
        }
        let quote = UInt8(ascii: "\"")
        #expect(try parse([quote] + Array("plain ascii ~".utf8) + [quote]) == .string("plain ascii ~"))
        #expect(try parse([quote] + Array("café 😀".utf8) + [quote]) == .string("café 😀"))
        #expect(try parse([quote] + Array("tab\\t café".utf8) + [quote]) == .string("tab\t café"))
        for invalid: [UInt8] in [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x61, 0x80, 0x62]] {
            #expect(throws: JSONParseError.self) { try parse([quote] + invalid + [quote]) }
            #expect(throws: JSONParseError.self) { try parse([quote] + Array("\\n".utf8) + invalid + [quote]) }
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }
}
