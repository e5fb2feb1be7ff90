import Foundation
import Mustache
import Testing
@testable import Web

/// The templates parse, print unescaped only `SafeHTML` fields, and the formatting helpers say what they mean.
@Suite("Templates and formatting")
struct TemplateTests {
    @Test func everyTemplateParses() throws {
        let renderer = try PageRenderer()
        for (name, _) in Templates.all { #expect(renderer.library.getTemplate(named: name) != nil, "\(name)") }
    }

    /// Triple mustaches and `{{&…}}` print raw markup: only fields named `…HTML` (always `SafeHTML`) may use them.
    @Test func onlySafeHTMLFieldsAreUnescaped() throws {
        let pattern = try NSRegularExpression(pattern: #"\{\{\{\s*([^}]*?)\s*\}\}\}|\{\{&\s*([^}]*?)\s*\}\}"#)
        var seen = 0
        for (name, text) in Templates.all {
            let range = NSRange(text.startIndex..., in: text)
            for match in pattern.matches(in: text, range: range) {
                let captured = [1, 2].compactMap { Range(match.range(at: $0), in: text) }.map { String(text[$0]) }.first ?? ""
                #expect(captured.hasSuffix("HTML"), "template \(name) prints \(captured) unescaped")
                seen += 1
            }
        }
        #expect(seen == 3, "the chart slots of the agent, miner and corpus pages, and nothing else")
    }

    @Test func safeHTMLEscapesEverythingItIsGiven() {
        #expect(SafeHTML.escape("<a href=\"x\">O'Neil & co</a>") == "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;")
        let chart = SVGChart.scores([.init(label: "<v1>", value: 0.5, href: "/agents/\"x")], title: "t<", id: "c")
        #expect(!chart.html.contains("<v1>"))
        #expect(chart.html.contains("&lt;v1&gt;"))
        #expect(chart.html.contains("href=\"/agents/&quot;x\""))
    }

    @Test func formats() {
        #expect(Format.score(0.123456) == "0.1235")
        #expect(Format.score(nil) == "—")
        #expect(Format.percent(0.913) == "91.3 %")
        #expect(Format.shortHotkey("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY") == "5GrwvaEF…utQY")
        #expect(Format.dateTime(1_790_000_000_000) == "2026-09-21 14:13 UTC")
        #expect(Format.span(seconds: 3 * 3600 + 12 * 60 + 5) == "3 h 12 min")
        #expect(Format.span(seconds: 42) == "42 s")
        #expect(Format.span(seconds: 2 * 86_400 + 4 * 3600) == "2 d 4 h")
        #expect(Format.relative(1_000, now: 61_000) == "1 min ago")
        #expect(Format.relative(7_201_000, now: 1_000) == "in 2 h")
        #expect(Format.count(1_234_567) == "1\u{202F}234\u{202F}567")
        #expect(Format.label("TIMED_OUT") == "Timed out")
        #expect(Format.cssToken("TIMED_OUT") == "timed-out")
        #expect(Links.component("a b/ü") == "a%20b%2F%C3%BC")
    }
}
