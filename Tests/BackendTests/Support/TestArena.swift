import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Store
import ShopArenaTesting

/// A backend on a fresh database of either kind, with a manual clock and helpers to make hotkeys and sign
/// requests. Every backend test builds its own, so suites run in parallel.
struct TestArena: Sendable {
    let services: BackendServices
    let clock: ManualClock
    let kind: StoreKind

    static func make(_ kind: StoreKind, configure: (inout BackendSettings) -> Void = { _ in }) async throws -> TestArena {
        let clock = ManualClock()
        let database = try await TestDatabases.make(kind, now: clock.nowMillis())
        var settings = BackendSettings()
        settings.pythonRuntimePath = SharedDataPaths.pythonRuntime
        // Most suites submit without connecting inference; the credential rule has its own tests
        // (InferenceAuthRoutesTests), which turn it back on.
        settings.requireInferenceCredential = false
        configure(&settings)
        let services = BackendServices(database: database, blobs: try TestDatabases.blobs(), clock: clock, settings: settings)
        return TestArena(services: services, clock: clock, kind: kind)
    }

    var router: Router<ArenaRequestContext> { BackendApplication.makeRouter(services: services) }

    /// Runs `body` against the router in-process (HummingbirdTesting's router mode), then closes the database.
    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: router)
        do {
            try await app.test(.router) { client in try await body(client) }
        } catch {
            await services.database.close()
            throw error
        }
        await services.database.close()
    }

    /// A new random hotkey registered with `role` (nil: not registered).
    func hotkey(_ role: Role?) async throws -> TestHotkey {
        let key = TestHotkey()
        if let role { try await services.identities.register(key.address, role: role, now: clock.nowMillis()) }
        return key
    }
}

/// A random sr25519 hotkey that signs requests the way oro-sdk does.
struct TestHotkey: Sendable {
    let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
    var address: String { signer.hotkey }

    /// The four signed headers for "now" on `clock` with a fresh nonce.
    func headers(_ clock: ManualClock, extra: HTTPFields = [:]) -> HTTPFields {
        var fields = extra
        for (name, value) in signer.headers(timestamp: clock.nowMillis() / 1000).fields {
            fields[HTTPField.Name(name)!] = value
        }
        return fields
    }
}

enum SharedDataPaths {
    /// The repository's `python` folder (holds `shoparena_runtime`).
    static var pythonRuntime: String {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir.appendingPathComponent("python").path
            }
            dir = dir.deletingLastPathComponent()
        }
        return "python"
    }
}

extension TestResponse {
    /// The body parsed as JSON (fails the test with the raw body when it is not JSON).
    var json: JSONValue {
        get throws { try JSONParser.parse(String(buffer: body)) }
    }

    /// One top-level field of the JSON body as text (nil when absent or not a string).
    /// Not throwing, so it reads well inside `#expect` in a response callback.
    func field(_ key: String) -> String? { (try? json)?[key]?.stringValue }
}
