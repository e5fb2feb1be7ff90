import ArenaModel
import Hummingbird

/// Serves the OpenAPI document at `GET /openapi.json` (unsigned).
public struct OpenAPIRoutes: Sendable {
    public init() {}

    public func register(on router: Router<ArenaRequestContext>) {
        let text = JSONWriter().string(OpenAPIDocument.json)
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
