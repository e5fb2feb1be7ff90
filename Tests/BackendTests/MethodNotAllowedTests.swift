import ArenaModel
import Backend
import HTTPTypes
import HummingbirdTesting
import ShopArenaTesting
import Store
import Testing

/// What the schema fuzzer checks beside the bodies (issue 19): a served path asked with a method it does not
/// serve answers 405 with `Allow`; the document lists the error statuses each kind of operation can give.
@Suite("Method not allowed and documented errors")
struct MethodNotAllowedTests {
    @Test func servedPathsWithAnotherMethodAnswer405WithAllow() async throws {
        let arena = try await TestArena.make(.sqlite)
        try await arena.test { client in
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.delete, "/v1/public/leaderboard", "GET"),
                (.post, "/health", "GET"),
                (.get, "/v1/validator/work/claim", "POST"),
                (.patch, "/v1/public/races/3f1c2a57-0a3b-4c1e-9a37-1f0c4e1b2d3a", "GET"),
                (.post, "/v1/miner/race-selection", "PUT, DELETE"),
                (.put, "/v1/miner/inference-auth/chutes", "GET, POST, DELETE"),
            ]
            for (method, path, allow) in cases {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == allow, "\(method) \(path)")
                #expect(response.field("error_code") == "METHOD_NOT_ALLOWED", "\(method) \(path)")
                #expect(response.field("detail")?.contains(allow) == true)
            }
            // Unknown paths stay 404, and ORO's unsupported endpoints keep their named 404.
            try await client.execute(uri: "/v1/public/no-such-thing", method: .delete) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/validator/weight-salt", method: .get) { response in
                #expect(response.status == .notFound && response.field("error_code") == "UNSUPPORTED_ENDPOINT")
            }
        }
    }

    @Test func everyOperationDocumentsTheErrorsOfItsKind() throws {
        let document = OpenAPIDocument.json
        let paths = try #require(document["paths"]?.objectValue)
        var checked = 0
        for (path, methods) in paths {
            for (method, operation) in methods.objectValue ?? [] {
                let responses = Set((operation["responses"]?.objectValue ?? []).map(\.0))
                let signed = operation["x-role"] != nil
                if signed {
                    #expect(responses.isSuperset(of: ["400", "401", "403", "503"]), "\(method) \(path): \(responses.sorted())")
                }
                if path.contains("{") { #expect(responses.isSuperset(of: ["404", "422"]), "\(method) \(path)") }
                if operation["requestBody"]?["content"]?["application/json"] != nil {
                    #expect(responses.isSuperset(of: ["413", "422"]), "\(method) \(path)")
                }
                // Every error status has a body schema with error_code (or FastAPI's 422 list).
                for (status, response) in operation["responses"]?.objectValue ?? [] where status.hasPrefix("4") || status.hasPrefix("5") {
                    #expect(response["content"]?["application/json"]?["schema"] != nil, "\(method) \(path) \(status)")
                }
                checked += 1
            }
        }
        #expect(checked == OpenAPIDocument.operations.count)
    }

    /// Found by schemathesis: a numeric `since` beyond Int64 milliseconds trapped the server (a crash any
    /// caller of a list route could cause). Now 422 like any other bad timestamp.
    @Test(arguments: ["1e300", "-1e300", "nan", "inf", "99999999999999999999"])
    func hugeNumericTimestampsAnswer422(value: String) async throws {
        let arena = try await TestArena.make(.sqlite)
        let admin = try await arena.hotkey(.admin)
        let clock = arena.clock
        try await arena.test { client in
            let response = try await client.signed(.get, "/v1/admin/agent-versions?since=\(value)", by: admin, clock)
            #expect(response.status == .unprocessableContent)
            // The server is still up and parses sane values.
            let fine = try await client.signed(.get, "/v1/admin/agent-versions?since=1700000000", by: admin, clock)
            #expect(fine.status == .ok)
        }
    }
}
