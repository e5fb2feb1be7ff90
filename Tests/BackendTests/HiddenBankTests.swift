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

/// Admins load a hidden race bank; races draw from it; nothing of it reaches a public or miner answer, and
/// only a validator holding that race's RACE run gets the drawn problems.
@Suite("Hidden race bank")
struct HiddenBankTests {
    /// Four problems of suite v3 under new queries (so new stable ids), as a hidden bank file.
    static func bankFile() throws -> (URL, [String]) {
        let text = try SharedData.text("oro_problem_suite_v3.json")
        let rows = try JSONParser.parse(text).arrayValue ?? []
        var bank: [JSONValue] = []
        for (index, row) in rows.prefix(4).enumerated() {
            bank.append(row.removingKeys(["problem_id"]).setting("query", to: .string("HIDDEN-BANK-QUERY-\(index) red kettle")))
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID().uuidString).json")
        try JSONWriter().string(.array(bank)).write(to: url, atomically: true, encoding: .utf8)
        let ids = try ProblemSuite(text: JSONWriter().string(.array(bank)), fileName: url.path).problems.map(\.id)
        return (url, ids)
    }

    @Test(arguments: StoreKind.allCases)
    func hiddenProblemsAreLoadedDrawnAndNeverShown(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let admin = try await arena.hotkey(.admin)
        let miner = try await arena.hotkey(.miner)
        let suiteFile = try SharedData.url("oro_problem_suite_v3.json")
        let (bank, hiddenIDs) = try Self.bankFile()
        defer { try? FileManager.default.removeItem(at: bank) }
        let clock = arena.clock
        try await arena.test { client in
            func call(_ key: TestHotkey, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: key.headers(clock, extra: [.contentType: "application/json"]),
                                         body: body.map { ByteBuffer(string: $0) }) { $0 }
            }
            #expect(try await call(admin, .post, "/v1/admin/suites", #"{"problem_suite_uri":"\#(suiteFile.path)"}"#).status == .created)
            #expect(try await call(admin, .post, "/v1/admin/suites/1/activate?requeue_top_n=0").status == .ok)
            let added = try await call(admin, .post, "/v1/admin/suites/1/hidden-problems", #"{"problem_suite_uri":"\#(bank.path)"}"#)
            #expect(added.status == .ok)
            #expect((try? added.json)?["hidden_problem_count"] == .int(4))
            // Loading the same bank again adds nothing.
            let again = try await call(admin, .post, "/v1/admin/suites/1/hidden-problems", #"{"problem_suite_uri":"\#(bank.path)"}"#)
            #expect((try? again.json)?["hidden_problem_count"] == .int(4))
            #expect(try await call(admin, .post, "/v1/admin/suites/9/hidden-problems", #"{"problem_suite_uri":"\#(bank.path)"}"#).status == .notFound)

            // A race opens and its qualifying is closed by an admin: nobody qualifies, so it is cancelled.
            let engine = RaceEngine(database: arena.services.database)
            try await engine.tick(now: clock.nowMillis())
            let closed = try await call(admin, .post, "/v1/admin/races/close-qualifying")
            #expect(closed.status == .ok)
            #expect(closed.field("status") == "CANCELLED")
            let history = try await call(admin, .get, "/v1/public/races/history")
            #expect((try? history.json)?["total"] == .int(1))
            let current = try await call(admin, .get, "/v1/public/races/current")
            #expect((try? current.json)?["race"]?["status"] == "QUALIFYING_OPEN")
            #expect((try? current.json)?["race"]?["race_number"] == .int(2))

            // No public or miner answer mentions a hidden problem.
            let routes = [
                "/v1/public/suites", "/v1/public/suites/current", "/v1/public/suites/1/problems",
                "/v1/public/suites/1/problems?include_embeddings=true", "/v1/public/leaderboard", "/v1/public/top",
                "/v1/public/top/history", "/v1/public/evaluations/running", "/v1/public/evaluations/pending",
                "/v1/public/validators", "/v1/public/races/current", "/v1/public/races/history", "/v1/miner/agents",
                "/v1/miner/chutes-auth/status",
            ]
            for route in routes {
                let response = try await call(miner, .get, route)
                let body = String(buffer: response.body)
                #expect(response.status == .ok, "\(route) answered \(response.status)")
                #expect(!body.contains("HIDDEN-BANK-QUERY"), "\(route) shows a hidden query")
                for id in hiddenIDs { #expect(!body.contains(id), "\(route) shows hidden problem \(id)") }
            }
            let problems = try await call(miner, .get, "/v1/public/suites/1/problems")
            #expect((try? problems.json)?["problems"]?.arrayValue?.count == 30)
        }
    }
}
