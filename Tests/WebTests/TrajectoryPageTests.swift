import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Store
import ShopArenaTesting
import Testing
@testable import Web

/// `/runs/{id}/problems/{problem}`: a gzip log read back step by step, hostile text escaped, product cards,
/// proxy calls with timings and tokens, outcome and judge, the disagreement marks, and hidden problems refused.
@Suite("Trajectory viewer")
struct TrajectoryPageTests {
    static let t0: Int64 = 1_790_000_000_000

    /// A two-step dialogue with the proxy log bucketed into its steps as the sandbox writes it: step 1 searches
    /// (served by the proxy), step 2 shows a search the proxy never served; the proxy also served a search the
    /// dialogue does not show. The think text is full of markup.
    static func envelope(problemID: String) -> JSONValue {
        let product = { (id: String, title: String) -> JSONValue in
            .object([("product_id", .string(id)), ("title", .string(title)), ("price", 1499.0), ("shop_id", "77"),
                     ("sold_count", 1200), ("service", .array(["freeShipping", "COD"]))])
        }
        let model1 = ProxyCallRecord(timestamp: t0 + 500, method: "POST", path: "/inference/chat/completions", model: "stub-model",
                                     status: 200, durationMs: 812, usage: .init(promptTokens: 1200, completionTokens: 80, totalTokens: 1280))
        let search1 = ProxyCallRecord(timestamp: t0 + 800, method: "GET", path: "/search/find_product",
                                      query: "q=red+running+shoes&page=1", status: 200, durationMs: 3.2, productIDs: ["11", "12"])
        let view1 = ProxyCallRecord(timestamp: t0 + 900, method: "GET", path: "/search/view_product_information",
                                    query: "product_ids=11", status: 200, durationMs: 1.1, productIDs: ["11"])
        let details: JSONValue = .object([
            ("attributes", .object([("color", .array(["red", "blue"]))])), ("description", "A long description."),
            ("product_id", "11"), ("short_description", "Light <b>runner</b>"),
            ("sku_options", .object([("1", .object([("size", "42")]))])),
        ])
        let model2 = ProxyCallRecord(timestamp: t0 + 1500, method: "POST", path: "/inference/chat/completions", model: "stub-model",
                                     status: 200, durationMs: 640, usage: .init(promptTokens: 1500, completionTokens: 60, totalTokens: 1560))
        let hiddenSearch = ProxyCallRecord(timestamp: t0 + 2100, method: "GET", path: "/search/find_product",
                                           query: "q=secret+exploration&page=1", status: 200, durationMs: 2.0, productIDs: ["99"])
        var step1 = DialogueStep.make(
            think: "<b>Search first</b><script>alert('think')</script> & compare",
            toolCalls: [DialogueStep.call("find_product", [("q", "red running shoes"), ("page", 1)],
                                          result: .array([product("11", "Runner <i>Pro</i> shoe"), product("12", "Trail shoe")])),
                        DialogueStep.call("view_product_information", [("product_ids", "11")], result: .array([details]))],
            query: "red running shoes", step: 1, timestamp: t0 + 1000)
        var step2 = DialogueStep.make(
            think: "Checking more.",
            toolCalls: [DialogueStep.call("find_product", [("q", "invented search")], result: .array([product("55", "Ghost shoe")])),
                        DialogueStep.call("recommend_product", [("product_ids", "11")], result: "Having recommended the products to the user: 11.")],
            response: "I recommend <u>11</u>.", query: "red running shoes", step: 2, timestamp: t0 + 2000)
        step1.raw = step1.raw.setting("extra_info", to: (step1.extraInfo ?? .object([]))
            .setting("proxy_calls", to: .array([model1.json, search1.json, view1.json, model2.json])))
        step2.raw = step2.raw.setting("extra_info", to: (step2.extraInfo ?? .object([])).setting("proxy_calls", to: .array([hiddenSearch.json])))
        return .object([
            ("problem_id", .string(problemID)), ("status", "SUCCESS"), ("execution_time", 4.2), ("inference_failure_count", 0),
            ("inference_total", 2), ("error", .null), ("dialogue", .array([step1.raw, step2.raw])),
            ("proxy_calls", .array([model1.json, search1.json, view1.json, model2.json, hiddenSearch.json])),
        ])
    }

    static func summary() -> JSONValue {
        .object([
            ("outcome", .object([("length", 1.0), ("format", 1.0), ("product", 1.0), ("gt", 0.0), ("rule", 0.75)])),
            ("reasoning_explanation", "The agent searched once and <em>guessed</em>."),
            ("reasoning_model", "rule-judge"),
        ])
    }

    struct Setup { var arena: WebArena; var run: String; var problem: String; var hidden: String; var hiddenRun: String }

    static func setup(_ kind: StoreKind, gzip: Bool = true) async throws -> Setup {
        let arena = try await WebArena.make(kind)
        let suite = try await WebFixtures.suite(arena, visible: 2, hidden: 1)
        let miner = try await WebFixtures.miner(arena)
        let version = try await WebFixtures.version(arena, miner: miner, name: "viewer", score: 0.5)
        let validator = try await WebFixtures.validator(arena, name: "v")
        let run = try await WebFixtures.run(arena, version, validator: validator, status: "SUCCESS", score: 0.5, included: true)
        let problem = suite.visible[0]
        let line = Array((JSONWriter().string(envelope(problemID: problem)) + "\n").utf8)
        try await WebFixtures.object(arena, key: "logs/\(run)/\(problem).jsonl.gz", bytes: gzip ? WebFixtures.gzip(line) : line)
        try await WebFixtures.runProblem(arena, runID: run, problemID: problem, score: 1, reasoning: 0.7, summary: summary(),
                                         logsKey: "logs/\(run)/\(problem).jsonl.gz", executionTime: 4.2, inferenceTotal: 2)
        let hiddenRun = try await WebFixtures.run(arena, version, validator: validator, status: "SUCCESS", phase: "RACE",
                                                  raceID: WebFixtures.uuid())
        let hiddenLine = Array(JSONWriter().string(envelope(problemID: suite.hidden[0])).utf8)
        try await WebFixtures.object(arena, key: "logs/\(hiddenRun)/hidden.jsonl.gz", bytes: WebFixtures.gzip(hiddenLine))
        try await WebFixtures.runProblem(arena, runID: hiddenRun, problemID: suite.hidden[0], logsKey: "logs/\(hiddenRun)/hidden.jsonl.gz")
        return Setup(arena: arena, run: run, problem: problem, hidden: suite.hidden[0], hiddenRun: hiddenRun)
    }

    @Test(arguments: StoreKind.allCases)
    func showsStepsProxyCallsJudgeAndDisagreements(kind: StoreKind) async throws {
        let setup = try await Self.setup(kind)
        try await setup.arena.test { client in
            let page = try await client.page("/runs/\(setup.run)/problems/\(setup.problem)")
            #expect(page.status == .ok)
            #expect(page.contentType == "text/html; charset=utf-8")
            let html = page.html
            // The problem and both steps, hostile text escaped.
            #expect(html.contains("red running shoes size 0 under 2000 pesos"))
            #expect(html.contains("<li class=\"step\" id=\"step-1\">"))
            #expect(html.contains("<li class=\"step flagged\" id=\"step-2\">"))
            #expect(html.contains("&lt;b&gt;Search first&lt;/b&gt;&lt;script&gt;alert(&#39;think&#39;)&lt;/script&gt; &amp; compare"))
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("<b>Search first</b>"))
            #expect(html.contains("I recommend &lt;u&gt;11&lt;/u&gt;."))
            // Tool calls with arguments and products as cards.
            #expect(html.contains("<dt>q</dt><dd><code>red running shoes</code></dd>"))
            #expect(html.contains("<span class=\"ptitle\">Runner &lt;i&gt;Pro&lt;/i&gt; shoe</span>"))
            #expect(html.contains("<strong>1499.00</strong> · shop 77 · 1\u{202F}200 sold"))
            #expect(html.contains("freeShipping · COD"))
            #expect(html.contains("<span class=\"ptitle\">Light &lt;b&gt;runner&lt;/b&gt;</span><span class=\"pdetails\">color: red, blue · 1 SKU option</span>"))
            // Trusted proxy calls with timings and tokens.
            #expect(html.contains("812.0 ms"))
            #expect(html.contains("1\u{202F}200 in · 80 out · 1\u{202F}280 total tokens"))
            #expect(html.contains("q: red running shoes · page: 1"))
            #expect(html.contains("2 products: 11, 12"))
            // Outcome components and the judge.
            #expect(html.contains("<dt>rule</dt><dd>0.7500</dd>"))
            #expect(html.contains("The agent searched once and &lt;em&gt;guessed&lt;/em&gt;."))
            #expect(html.contains("rule-judge"))
            #expect(html.contains("0.7000"))
            // Disagreements: the invented search (step 2) and the hidden exploration.
            #expect(html.contains("2 disagreements between the agent&#39;s dialogue and the trusted proxy log."))
            #expect(html.contains("The dialogue shows find_product(q: &quot;invented search&quot;), but the proxy served no such call."))
            #expect(html.contains("The proxy served find_product(q: &quot;secret exploration&quot;) that the dialogue does not show."))
            #expect(html.contains("<a href=\"#step-2\">Step 2</a>"))
            #expect(html.contains("<tr class=\"flagged\">"))
            #expect(html.contains("Proxy log: 5 calls — 2 to the model (2\u{202F}840 tokens, 0 failed), 3 searches."))
            #expect(page.links.contains { $0.hasPrefix("/v1/public/blobs/") })
            #expect(page.bytes < 150_000)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func plainLogsReadTooAndAgreeingTrajectoriesSaySo(kind: StoreKind) async throws {
        let setup = try await Self.setup(kind, gzip: false)
        // Remove the two disagreements: drop step 2's invented search, and the hidden exploration.
        let key = "logs/\(setup.run)/\(setup.problem).jsonl.gz"
        var envelope = Self.envelope(problemID: setup.problem)
        let steps = envelope["dialogue"]?.arrayValue ?? []
        let clean = DialogueStep.make(think: "Done.", toolCalls: [DialogueStep.call("terminate", [("status", "success")])],
                                      query: "red running shoes", step: 2, timestamp: Self.t0 + 2000)
        envelope = envelope.setting("dialogue", to: .array([steps[0], clean.raw]))
        envelope = envelope.setting("proxy_calls", to: .array(Array((envelope["proxy_calls"]?.arrayValue ?? []).prefix(4))))
        let sha = try await setup.arena.services.blobs.put(Array(JSONWriter().string(envelope).utf8))
        try await setup.arena.sql("UPDATE objects SET sha256 = ? WHERE object_key = ?", [.text(sha), .text(key)])
        try await setup.arena.test { client in
            let page = try await client.page("/runs/\(setup.run)/problems/\(setup.problem)")
            #expect(page.status == .ok)
            #expect(page.html.contains("✓ Every search the dialogue shows was served by the proxy"))
            #expect(!page.html.contains("class=\"step flagged\""))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func hiddenProblemsAndMissingLogsAreHandled(kind: StoreKind) async throws {
        let setup = try await Self.setup(kind)
        try await setup.arena.test { client in
            let hidden = try await client.page("/runs/\(setup.hiddenRun)/problems/\(setup.hidden)")
            #expect(hidden.status == .notFound)
            #expect(hidden.html.contains("No such problem in this run"))
            #expect(!hidden.html.contains("SECRET-HIDDEN-QUERY"))
            #expect(!hidden.html.contains("Search first"))
            let other = try await client.page("/runs/\(setup.run)/problems/not-a-problem")
            #expect(other.status == .notFound)
        }
        // A problem that reported but has no log yet: the page says so.
        let again = try await Self.setup(kind)
        try await again.arena.sql("UPDATE run_problems SET logs_s3_key = NULL WHERE eval_run_id = ?", [.text(again.run)])
        try await again.arena.test { client in
            let page = try await client.page("/runs/\(again.run)/problems/\(again.problem)")
            #expect(page.status == .ok)
            #expect(page.html.contains("No log has been uploaded for this problem yet"))
            #expect(page.html.contains("<dt>rule</dt><dd>0.7500</dd>"), "the outcome still shows")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCorruptLogIsReportedNotFatal(kind: StoreKind) async throws {
        let setup = try await Self.setup(kind)
        var bad = WebFixtures.gzip(Array("{\"problem_id\": \"x\"}".utf8))
        bad[bad.count - 6] ^= 0x55
        let sha = try await setup.arena.services.blobs.put(bad)
        try await setup.arena.sql("UPDATE objects SET sha256 = ? WHERE object_key = ?",
                                  [.text(sha), .text("logs/\(setup.run)/\(setup.problem).jsonl.gz")])
        try await setup.arena.test { client in
            let page = try await client.page("/runs/\(setup.run)/problems/\(setup.problem)")
            #expect(page.status == .ok)
            #expect(page.html.contains("cannot be shown: the stored log cannot be read (the gzip CRC-32 or size does not match the data)"))
        }
    }
}
