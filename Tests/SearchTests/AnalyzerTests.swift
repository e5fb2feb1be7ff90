import Foundation
import Testing
import ArenaModel
import TestSupport
@testable import Search

@Suite("Lucene English analysis")
struct AnalyzerTests {
    let analyzer = EnglishAnalyzer()

    @Test func sharedLuceneVectors() throws {
        let cases = try JSONParser.parse(SharedData.text("lucene_analyzer_cases.json")).arrayValue ?? []
        #expect(cases.count == 40)
        for c in cases {
            let text = try #require(c["text"]?.stringValue)
            let expected = (c["tokens"]?.arrayValue ?? []).compactMap(\.stringValue)
            #expect(analyzer.terms(text) == expected, "\(text)")
        }
    }

    @Test func oracleGoldens() throws {
        let lines = try Fixtures.jsonLines("analyzer_golden.jsonl")
        #expect(lines.count > 600)
        var mismatches: [String] = []
        for line in lines {
            let text = line["text"]?.stringValue ?? ""
            let expected = (line["tokens"]?.arrayValue ?? []).compactMap(\.stringValue)
            let got = analyzer.terms(text)
            if got != expected {
                mismatches.append("\(text.prefix(80)): expected \(expected.prefix(20)) got \(got.prefix(20))")
            }
        }
        if !mismatches.isEmpty {
            Issue.record("\(mismatches.count) mismatches:\n\(mismatches.prefix(10).joined(separator: "\n"))")
        }
    }

    @Test(arguments: [
        ("Women's Jeans", ["women", "jean"]),
        ("6/8/10/12 Inches", ["6", "8", "10", "12", "inch"]),
        ("eu:30", ["eu", "30"]),
        ("USB-C", ["usb", "c"]),
        ("3.5mm", ["3.5mm"]),
        ("1,000pcs", ["1,000pc"]),
        ("U.S.A.", ["u.s.a"]),
        ("don't", ["don't"]),
        ("Hello_World", ["hello_world"]),
        ("Levi’s KIDS'S", ["levi", "kid"]),
        ("the and of to in a is it for", []),
        ("running runs runner generalization", ["run", "run", "runner", "gener"]),
        ("happily conditional adjustable", ["happili", "condit", "adjust"]),
        ("中文 ひら", ["中", "文", "ひ", "ら"]),
        ("❤️NoBrand 👍🏽", ["❤️", "nobrand", "👍🏽"]),
        ("Café İstanbul", ["café", "istanbul"]),
    ])
    func handPickedCases(_ text: String, _ expected: [String]) {
        #expect(analyzer.terms(text) == expected)
    }

    @Test func longTokensAreCutAt255UTF16Units() {
        let t = StandardTokenizer().tokens(String(repeating: "x", count: 300))
        #expect(t.map(\.count) == [255, 45])
    }

    @Test func smallFloatLengthNorm() {
        for i in 0...39 { #expect(SmallFloat.byte4ToInt(SmallFloat.intToByte4(i)) == i) }
        // Lossy beyond 40: four significant bits.
        #expect(SmallFloat.byte4ToInt(SmallFloat.intToByte4(41)) == 40)
        #expect(SmallFloat.byte4ToInt(SmallFloat.intToByte4(100)) == 96)
        #expect(SmallFloat.intToByte4(Int(Int32.max)) == 255)
        var previous = -1
        for b in 0...255 {
            let v = SmallFloat.byte4ToInt(UInt8(b))
            #expect(v > previous)
            previous = v
        }
    }
}
