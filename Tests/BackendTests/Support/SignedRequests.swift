import ArenaModel
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import ShopArenaTesting

extension TestClientProtocol {
    /// A request signed by `hotkey` now, with an optional JSON body and extra headers (e.g. X-Oro-Client-Version).
    func signed(_ method: HTTPRequest.Method, _ uri: String, by hotkey: TestHotkey, _ clock: ManualClock, json: String? = nil,
                headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var fields = extra
        if json != nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: hotkey.headers(clock, extra: fields),
                                 body: json.map { ByteBuffer(string: $0) })
    }
}

/// What oro-sdk 1.0.129+ send on every request.
let newerClientHeaders: HTTPFields = [HTTPField.Name("X-Oro-Client-Version")!: "7.0.2",
                                      HTTPField.Name("X-Oro-Client-Name")!: "oro-sdk-python"]
