import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting
import Web

/// The backend's router with the web pages mounted, on a fresh database of either kind and a manual clock.
/// Every test builds its own, so suites run in parallel.
struct WebArena: Sendable {
    let services: BackendServices
    let clock: ManualClock
    let kind: StoreKind
    let corpus: any CorpusFigures

    static func make(_ kind: StoreKind, corpus: any CorpusFigures = CorpusNotYetAvailable()) async throws -> WebArena {
        let clock = ManualClock()
        let database = try await TestDatabases.make(kind, now: clock.nowMillis())
        let services = BackendServices(database: database, blobs: try TestDatabases.blobs(), clock: clock, settings: BackendSettings())
        return WebArena(services: services, clock: clock, kind: kind, corpus: corpus)
    }

    var database: any SQLDatabase { services.database }
    var now: Int64 { clock.nowMillis() }

    /// Runs `body` against the API and the pages in-process (HummingbirdTesting's router mode), then closes
    /// the database.
    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = BackendApplication.makeRouter(services: services)
        try ArenaWebsite(services: services, corpus: corpus).mount(on: router)
        let app = Application(router: router)
        do {
            try await app.test(.router) { client in try await body(client) }
        } catch {
            await services.database.close()
            throw error
        }
        await services.database.close()
    }

    func sql(_ statement: String, _ binds: [SQLValue] = []) async throws {
        try await database.transaction { db in try await db.execute(statement, binds) }
    }
}

/// A page as a test reads it.
struct Page: Sendable {
    var status: HTTPResponse.Status
    var contentType: String
    var html: String
    var bytes: Int
    var headers: HTTPFields

    /// The `data-version-id` of every leaderboard row, in page order.
    var versionRows: [String] { attributeValues("data-version-id") }

    func attributeValues(_ name: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let range = rest.range(of: name + "=\"") {
            let after = rest[range.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            out.append(String(after[..<end]))
            rest = after[end...]
        }
        return out
    }

    /// Every `href` on the page.
    var links: [String] { attributeValues("href") }
}

extension TestClientProtocol {
    func page(_ uri: String) async throws -> Page {
        let response = try await execute(uri: uri, method: .get, headers: [:], body: nil)
        let html = String(buffer: response.body)
        return Page(status: response.status, contentType: response.headers[.contentType] ?? "", html: html,
                    bytes: response.body.readableBytes, headers: response.headers)
    }

    func json(_ uri: String) async throws -> JSONValue {
        let response = try await execute(uri: uri, method: .get, headers: [:], body: nil)
        return try JSONParser.parse(String(buffer: response.body))
    }
}
