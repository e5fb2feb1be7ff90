import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing
import TestSupport

/// The leak-cluster guard where problems enter (issue 17), over the admin API on both stores: a hidden-bank problem
/// that is a paraphrase of a public suite problem, or shares its ground-truth product, is reported in
/// `leak_report`; an unrelated one is not; `reject_leaks=true` refuses with 409 `PROBLEM_LEAK` and adds nothing;
/// a new suite is checked against the hidden bank the same way.
@Suite("Leak guard on entry (admin API)")
struct LeakGuardRoutesTests {
    /// Writes `records` as an ORO suite file; returns its path.
    static func file(_ records: [JSONValue]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leak-\(UUID().uuidString).json")
        try JSONWriter().string(.array(records)).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func product(_ id: String, query: String, productID: String, title: String) -> JSONValue {
        .object([("problem_id", .string(id)), ("query", .string(query)), ("category", "Product"),
                 ("reward", .object([("product_id", .string(productID)), ("title", .array([.string(title)]))]))])
    }

    /// The public suite (ORO suite v3), its records and their problem ids.
    static func publicSuite() throws -> (URL, [JSONValue], [String]) {
        let url = try SharedData.url("oro_problem_suite_v3.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        let records = try JSONParser.parse(text).arrayValue ?? []
        let ids = try ProblemSuite(text: text, fileName: url.path).problems.map(\.id)
        return (url, records, ids)
    }

    /// Hidden-bank problems: a paraphrase of v3's first request (hosport waist bag) under another product, a
    /// request of its own that shares v3's second problem's product, and an unrelated one.
    static func bank(_ records: [JSONValue]) -> [JSONValue] {
        [
            product("hidden-paraphrase", query: "I need a waist bag from the brand hosport, for motorcycles, costing 180 to 505 pesos.",
                    productID: "7700000001", title: "Hosport Motorbike Hip Pack"),
            records[1].removingKeys(["reward_title_embeddings"]).setting("problem_id", to: "hidden-shared-product")
                .setting("query", to: "Something for my phone repair kit, please suggest one"),
            product("hidden-unrelated", query: "A stainless steel garden hose nozzle with seven spray patterns",
                    productID: "7700000003", title: "Garden Hose Nozzle 7 Patterns"),
        ]
    }

    static func leakIDs(_ json: JSONValue?) -> [String] {
        json?["leak_report"]?["leaks"]?.arrayValue?.compactMap { $0["problem_id"]?.stringValue } ?? []
    }

    static func match(_ json: JSONValue?, _ id: String) -> JSONValue? {
        json?["leak_report"]?["leaks"]?.arrayValue?.first { $0["problem_id"]?.stringValue == id }?["clusters_with"]?.at(0)
    }

    @Test(arguments: StoreKind.allCases)
    func hiddenBankProblemsThatClusterWithPublicOnesAreReportedAndCanBeRefused(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let admin = try await arena.hotkey(.admin)
        let (suiteFile, records, ids) = try Self.publicSuite()
        let bank = try Self.file(Self.bank(records))
        let unrelated = try Self.file([Self.bank(records)[2]])
        defer {
            try? FileManager.default.removeItem(at: bank)
            try? FileManager.default.removeItem(at: unrelated)
        }
        let clock = arena.clock
        try await arena.test { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: admin.headers(clock, extra: [.contentType: "application/json"]),
                                         body: body.map { ByteBuffer(string: $0) }) { $0 }
            }
            func hiddenCount() async throws -> Int64? {
                try await arena.services.database.read { try await $0.scalarInt("SELECT COUNT(*) FROM problems WHERE is_hidden = 1") }
            }
            // The first suite meets an empty hidden bank: a clear report.
            let created = try await call(.post, "/v1/admin/suites?reject_leaks=true", #"{"problem_suite_uri":"\#(suiteFile.path)"}"#)
            #expect(created.status == .created)
            let createdReport = (try? created.json)?["leak_report"]
            #expect(createdReport?["pool"] == "suite" && createdReport?["checked_problems"] == .int(30))
            #expect(createdReport?["compared_problems"] == .int(0) && createdReport?["leaks"] == .array([]))

            // Refused: the paraphrase and the shared product cluster with public problems; nothing is added.
            let refused = try await call(.post, "/v1/admin/suites/1/hidden-problems?reject_leaks=true", #"{"problem_suite_uri":"\#(bank.path)"}"#)
            #expect(refused.status == .conflict)
            #expect(refused.field("error_code") == "PROBLEM_LEAK")
            #expect(refused.field("detail")?.contains("2 of 3 problem(s)") == true)
            #expect(Self.leakIDs(try? refused.json) == ["hidden-paraphrase", "hidden-shared-product"])
            #expect(try await hiddenCount() == 0)
            #expect(try await call(.post, "/v1/admin/suites/1/hidden-problems?reject_leaks=maybe",
                                   #"{"problem_suite_uri":"\#(bank.path)"}"#).status == .unprocessableContent)

            // The unrelated problem alone passes the refusal.
            let clear = try await call(.post, "/v1/admin/suites/1/hidden-problems?reject_leaks=true", #"{"problem_suite_uri":"\#(unrelated.path)"}"#)
            #expect(clear.status == .ok)
            #expect((try? clear.json)?["hidden_problem_count"] == .int(1))
            #expect((try? clear.json)?["leak_report"]?["compared_problems"] == .int(30))
            #expect(Self.leakIDs(try? clear.json) == [])

            // Without the refusal the bank is added and the report names each leak, its partner and why.
            let added = try await call(.post, "/v1/admin/suites/1/hidden-problems", #"{"problem_suite_uri":"\#(bank.path)"}"#)
            #expect(added.status == .ok)
            let json = try? added.json
            #expect(json?["hidden_problem_count"] == .int(3))
            #expect(json?["leak_report"]?["pool"] == "hidden_bank")
            // The unrelated problem is already held, so the load (and the check) skip it.
            #expect(json?["leak_report"]?["checked_problems"] == .int(2))
            #expect(Self.leakIDs(json) == ["hidden-paraphrase", "hidden-shared-product"])
            let paraphrase = Self.match(json, "hidden-paraphrase")
            #expect(paraphrase?["problem_id"] == .string(ids[0]) && paraphrase?["reason"] == "similar_text")
            #expect(paraphrase?["pool"] == "suite" && paraphrase?["suite_id"] == .int(1) && paraphrase?["via"] == .array([]))
            let shared = Self.match(json, "hidden-shared-product")
            #expect(shared?["problem_id"] == .string(ids[1]) && shared?["reason"] == "shared_product")
            let leak = json?["leak_report"]?["leaks"]?.at(0)
            #expect(leak?["pool"] == "hidden_bank")

            // The audit log keeps the refusal and the report of the load.
            let events = try await call(.get, "/v1/admin/audit-events?target_type=suite&target_id=1")
            let list = (try? events.json)?["events"]?.arrayValue ?? []
            let refusal = list.first { $0["action"] == "suite.hidden_bank_add.refused" }
            #expect(Self.leakIDs(refusal?["details"]) == ["hidden-paraphrase", "hidden-shared-product"])
            let loads = list.filter { $0["action"] == "suite.hidden_bank_add" }
            #expect(loads.count == 2)
            #expect(loads.contains { Self.leakIDs($0["details"]) == ["hidden-paraphrase", "hidden-shared-product"] })

            // A new suite is checked against the hidden bank: its copy of v3's second problem shares a product
            // with a hidden problem; an unrelated problem does not.
            let second = try Self.file([
                records[1].removingKeys(["reward_title_embeddings"]),
                Self.product("public-unrelated", query: "A wooden chess board with magnetic pieces for travel",
                             productID: "7700000009", title: "Magnetic Travel Chess Set"),
            ])
            defer { try? FileManager.default.removeItem(at: second) }
            let refusedSuite = try await call(.post, "/v1/admin/suites?reject_leaks=1", #"{"problem_suite_uri":"\#(second.path)"}"#)
            #expect(refusedSuite.status == .conflict && refusedSuite.field("error_code") == "PROBLEM_LEAK")
            #expect(try await arena.services.database.read { try await $0.scalarInt("SELECT COUNT(*) FROM suites") } == 1)
            let suite2 = try await call(.post, "/v1/admin/suites", #"{"problem_suite_uri":"\#(second.path)"}"#)
            #expect(suite2.status == .created)
            let report2 = try? suite2.json
            #expect(report2?["suite_id"] == .int(2))
            #expect(report2?["leak_report"]?["pool"] == "suite" && report2?["leak_report"]?["compared_problems"] == .int(3))
            #expect(Self.leakIDs(report2) == [ids[1]])
            let hidden = Self.match(report2, ids[1])
            #expect(hidden?["problem_id"] == "hidden-shared-product" && hidden?["pool"] == "hidden_bank")
            #expect(hidden?["suite_id"] == .int(1) && hidden?["reason"] == "shared_product")
        }
    }
}
