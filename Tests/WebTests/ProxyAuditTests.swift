import ArenaModel
import Foundation
import Testing
@testable import Web

/// The dialogue-vs-proxy-log audit on hand-built trajectories: one agreeing, and one of each disagreement.
@Suite("Dialogue vs proxy log audit")
struct ProxyAuditTests {
    static func product(_ id: String) -> JSONValue { .object([("product_id", .string(id)), ("title", .string("Shoe \(id)")), ("price", 99.5)]) }

    static func step(_ number: Int, think: String = "thinking", calls: [JSONValue]) -> DialogueStep {
        DialogueStep.make(think: think, toolCalls: calls, query: "red shoes", step: number, timestamp: 1_000 * Int64(number))
    }

    static func search(_ q: String, ids: [String], page: Int = 1, status: Int = 200, at: Int64 = 10) -> ProxyCallRecord {
        ProxyCallRecord(timestamp: at, method: "GET", path: "/search/find_product",
                        query: "q=\(q.replacingOccurrences(of: " ", with: "+"))&page=\(page)", status: status, durationMs: 2,
                        productIDs: ids)
    }

    static func model(at: Int64, status: Int = 200) -> ProxyCallRecord {
        ProxyCallRecord(timestamp: at, method: "POST", path: "/inference/chat/completions", model: "m", status: status,
                        durationMs: 300, usage: .init(promptTokens: 10, completionTokens: 5, totalTokens: 15))
    }

    @Test func agreeingTrajectoryIsClean() {
        let steps = [
            Self.step(1, calls: [DialogueStep.call("find_product", [("q", "red shoes"), ("page", 1)],
                                                   result: .array([Self.product("1"), Self.product("2")]))]),
            Self.step(2, calls: [DialogueStep.call("recommend_product", [("product_ids", "1")], result: "ok")]),
        ]
        let calls = [Self.model(at: 1), Self.search("red shoes", ids: ["1", "2"], at: 2), Self.model(at: 3)]
        let audit = ProxyAudit.audit(steps: steps, calls: calls)
        #expect(audit.isClean, "unexpected findings: \(audit.findings)")
    }

    @Test func reportsEachKindOfDisagreement() {
        let steps = [
            // Results that differ from the proxy's (one product invented).
            Self.step(1, calls: [DialogueStep.call("find_product", [("q", "red shoes")],
                                                   result: .array([Self.product("1"), Self.product("999")]))]),
            // A search the proxy never served.
            Self.step(2, calls: [DialogueStep.call("find_product", [("q", "made up")], result: .array([Self.product("5")]))]),
            // A third model-driven step with no model call behind it.
            Self.step(3, calls: [DialogueStep.call("terminate", [("status", "success")])]),
        ]
        let calls = [
            Self.model(at: 1), Self.search("red shoes", ids: ["1", "2"], at: 2), Self.model(at: 3),
            Self.search("secret exploration", ids: ["7"], at: 4),
        ]
        let audit = ProxyAudit.audit(steps: steps, calls: calls)
        let kinds = audit.findings.map(\.kind)
        #expect(kinds == [.differentResults, .notServed, .notShown, .unbackedSteps])
        #expect(audit.findings(step: 1).first?.message.contains("1 of the 2 products shown were not in the proxy's answer") == true)
        #expect(audit.findings(step: 1).first?.callIndex == 1)
        #expect(audit.findings(step: 2).first?.message.contains("made up") == true)
        #expect(audit.findings(callIndex: 3).first?.message.contains("secret exploration") == true)
        #expect(audit.findings.last?.message.contains("3 steps carry thinking or tool calls, but the proxy served only 2") == true)
    }

    @Test func pagesAndFailedCallsCount() {
        // Page 2 asked, only page 1 served: not served. A failed proxy call served no products.
        let steps = [
            Self.step(1, calls: [DialogueStep.call("find_product", [("q", "shoes"), ("page", 2)], result: .array([]))]),
            Self.step(2, calls: [DialogueStep.call("find_product", [("q", "boots")], result: .array([Self.product("3")]))]),
        ]
        let calls = [Self.model(at: 1), Self.model(at: 2), Self.search("shoes", ids: [], page: 1, at: 3),
                     Self.search("boots", ids: ["3"], status: 500, at: 4)]
        let audit = ProxyAudit.audit(steps: steps, calls: calls)
        #expect(audit.findings.map(\.kind) == [.notServed, .differentResults, .notShown])
    }

    @Test func viewProductInformationMatchesIdListsLoosely() {
        let steps = [Self.step(1, calls: [DialogueStep.call("view_product_information", [("product_ids", "1, 2")],
                                                            result: .array([Self.product("1"), Self.product("2")]))])]
        let calls = [Self.model(at: 1),
                     ProxyCallRecord(timestamp: 2, method: "GET", path: "/search/view_product_information",
                                     query: "product_ids=1%2C2", status: 200, durationMs: 1, productIDs: ["1", "2"])]
        #expect(ProxyAudit.audit(steps: steps, calls: calls).isClean)
    }
}
