import ArenaModel
import Backend
import Hummingbird
import HummingbirdTesting
import ShopArenaTesting
import Store
import Testing

/// The OpenAPI document against the router: every served route is documented, and every documented operation of
/// a route group that is served is actually served (groups still being written by other helpers register nothing
/// and are skipped until their routes land).
@Suite("OpenAPI document")
struct OpenAPITests {
    /// `GET /v1/x/{a}/y` with parameter names erased: documents and routers may name parameters differently.
    static func key(_ method: String, _ path: String) -> String {
        let parts = path.split(separator: "/").map { $0.hasPrefix("{") || $0.hasPrefix(":") ? "{}" : String($0) }
        return method.uppercased() + " /" + parts.joined(separator: "/")
    }

    /// The route group of a path: `/v1/admin`, `/v1/public`, …, or the path itself for top-level routes.
    static func group(_ path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.first == "v1" && parts.count > 1 ? "/v1/\(parts[1])" : path
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteOfAServedGroupIsServed() async throws {
        let arena = try await TestArena.make(.sqlite)
        let served = Set(arena.router.routes.map { Self.key($0.method.rawValue, $0.path.description) })
        await arena.services.database.close()
        let documented = Set(OpenAPIDocument.operations.map { Self.key($0.method, $0.path) })
        #expect(OpenAPIDocument.operations.count == documented.count, "an operation is listed twice")
        let undocumented = served.subtracting(documented).sorted()
        #expect(undocumented.isEmpty, "served but not in the OpenAPI document: \(undocumented)")
        let servedGroups = Set(served.map { Self.group(String($0.split(separator: " ")[1])) })
        let missing = documented.filter { servedGroups.contains(Self.group(String($0.split(separator: " ")[1]))) }
            .subtracting(served).sorted()
        #expect(missing.isEmpty, "documented but not served: \(missing)")
        // The admin group is complete in this module: all of it must be served.
        #expect(servedGroups.contains("/v1/admin") && servedGroups.contains("/openapi.json") && servedGroups.contains("/health"))
    }

    @Test func documentIsOpenAPI31WithResolvableReferences() throws {
        let document = OpenAPIDocument.json
        #expect(document["openapi"] == .string("3.1.0"))
        let schemas = document["components"]?["schemas"]?.objectValue?.map(\.0) ?? []
        #expect(Set(schemas).count == schemas.count, "a schema name is defined twice")
        var references: Set<String> = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let fields):
                for (key, child) in fields {
                    if key == "$ref", let ref = child.stringValue { references.insert(ref) } else { walk(child) }
                }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        walk(document)
        let dangling = references.filter { !schemas.contains(String($0.dropFirst("#/components/schemas/".count))) }
        #expect(!references.isEmpty && dangling.isEmpty, "unresolved $ref: \(dangling.sorted())")
        // Every path parameter of a path is declared on each of its operations.
        for (path, operations) in document["paths"]?.objectValue ?? [] {
            let names = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            for (method, operation) in operations.objectValue ?? [] {
                let declared = operation["parameters"]?.arrayValue?.filter { $0["in"] == .string("path") }.compactMap { $0["name"]?.stringValue } ?? []
                #expect(declared == names, "\(method) \(path) declares \(declared), path has \(names)")
                #expect(operation["responses"]?.objectValue?.isEmpty == false)
            }
        }
    }

    /// What schemathesis found the document missing (issue 19): non-JSON media types, statuses the server gives,
    /// request bodies it reads, and rules it enforces that the schemas did not state.
    @Test func documentStatesWhatTheServerAnswersAndEnforces() throws {
        let document = OpenAPIDocument.json
        func operation(_ method: String, _ path: String) -> JSONValue? { document["paths"]?[path]?[method] }
        func schema(_ name: String) -> JSONValue? { document["components"]?["schemas"]?[name] }
        #expect(operation("get", "/metrics")?["responses"]?["200"]?["content"]?["text/plain"] != nil)
        let code = operation("get", "/v1/code/{eval_run_id}/{token}/agent.py")?["responses"]
        #expect(code?["200"]?["content"]?["text/x-python"] != nil && code?["410"] != nil)
        #expect(operation("post", "/v1/admin/suites")?["responses"]?["404"] != nil)
        #expect(operation("post", "/v1/miner/chutes-auth")?["requestBody"]?["required"] == .bool(true))
        // An optional body may be JSON null.
        let claim = operation("post", "/v1/validator/work/claim")?["requestBody"]?["content"]?["application/json"]?["schema"]
        #expect(claim?["anyOf"]?.at(1) == .object([("type", "null")]))
        // A SUCCESS completion requires validator_score; the other outcomes do not.
        let completion = schema("CompleteRunRequest")?["anyOf"]
        #expect(completion?.at(0)?["required"] == .array(["terminal_status", "validator_score"]))
        #expect(completion?.at(1)?["required"] == .array(["terminal_status"]))
        #expect(schema("ChallengeRequest")?["properties"]?["hotkey"]?["format"] == .string("ss58"))
        #expect(schema("StoreInferenceCredentialRequest")?["properties"]?["credential"]?["minLength"] == .int(1))
        #expect(schema("PresignUploadRequest")?["properties"]?["content_length"]?["maximum"] == .int(Int64(BackendSettings().maxUploadBytes)))
    }

    @Test(arguments: StoreKind.allCases)
    func documentIsServedAtOpenAPIJSON(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await arena.test { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let served = try response.json
                #expect(served == OpenAPIDocument.json)
                #expect(served["paths"]?["/v1/admin/agent-versions/{agent_version_id}/set-top"]?["post"]?["responses"]?["400"] != nil)
            }
        }
    }
}
