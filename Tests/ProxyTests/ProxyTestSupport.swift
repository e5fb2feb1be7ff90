import ArenaModel
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import Proxy
import Search

/// Two products and a trivial engine: every query returns both, ids select.
struct StubEngine: ProductSearching {
    let products = [
        Product(productID: "101", shopID: "s1", title: "red running shoe", shortDescription: "light", price: 49.5),
        Product(productID: "202", shopID: "s2", title: "blue boot", shortDescription: "warm", price: 80),
    ]
    var documentCount: Int { products.count }
    func findProduct(_ request: FindProductRequest) -> [Product] { request.q == nil ? [] : products }
    func viewProductInformation(productIDs: String) -> [Product] {
        let ids = productIDs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return ids.compactMap { id in products.first { $0.productID == id } }
    }
    func productsRaw(productIDs: String) -> [Product] { products }
    func product(id: String) -> Product? { products.first { $0.productID == id } }
}

enum ProxyTestSupport {
    static func scratch() throws -> URL {
        // Short path: Unix socket paths are limited to 107 bytes.
        let dir = URL(fileURLWithPath: "/tmp/pxt-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    struct Reply {
        var status: Int
        var body: String
        var json: JSONValue? { try? JSONParser.parse(body) }
    }

    /// One HTTP request to the proxy over its Unix socket.
    static func request(
        _ socket: String, _ uri: String, method: String = "GET", body: String? = nil,
        headers: [(String, String)] = [], timeout: TimeAmount = .seconds(10)
    ) async throws -> Reply {
        let host = socket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? socket
        var request = HTTPClientRequest(url: "http+unix://\(host)\(uri)")
        request.method = method == "POST" ? .POST : .GET
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), body: String(buffer: bytes))
    }
}

/// An OpenAI-compatible upstream on 127.0.0.1 that records what it got and answers with a fixed completion.
final class StubUpstream: @unchecked Sendable {
    private let lock = NSLock()
    private var _authorizations: [String] = []
    private var _bodies: [String] = []
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    var authorizations: [String] { lock.withLock { _authorizations } }
    var bodies: [String] { lock.withLock { _bodies } }
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    static func start() async throws -> StubUpstream {
        let stub = StubUpstream()
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            stub.lock.withLock {
                stub._authorizations.append(request.headers[.authorization] ?? "")
                stub._bodies.append(String(buffer: body))
            }
            let reply = #"{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hello"}}],"usage":{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}}"#
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: reply)))
        }
        let (ready, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        stub.task = Task { try await app.run() }
        for await port in ready {
            stub.port = port
            break
        }
        return stub
    }

    func stop() async {
        task?.cancel()
        _ = try? await task?.value
    }
}
