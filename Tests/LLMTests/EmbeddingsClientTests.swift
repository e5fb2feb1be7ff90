import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import LLM
import Testing

/// A stub OpenAI-compatible embeddings server on 127.0.0.1 (random port).
enum StubServer {
    struct Body: Decodable {
        var model: String
        var input: [String]
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Vector of a text: [character count, first scalar, 1].
    static func vector(_ t: String) -> String {
        "[\(t.count).0,\(t.unicodeScalars.first?.value ?? 0).0,1.0]"
    }

    static func app() -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/embeddings") { request, _ -> Response in
            guard request.headers[.authorization] == "Bearer sk-test" else {
                return json(#"{"error":{"message":"invalid api key"}}"#, status: .unauthorized)
            }
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let body = try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
            // Answer out of order: clients must sort by "index".
            let items = body.input.enumerated().reversed().map { (i, t) in
                #"{"object":"embedding","index":\#(i),"embedding":\#(vector(t))}"#
            }
            return json(#"{"object":"list","model":"\#(body.model)","data":[\#(items.joined(separator: ","))]}"#)
        }
        router.post("/broken/v1/embeddings") { _, _ in json("upstream exploded", status: .internalServerError) }
        router.post("/garbage/v1/embeddings") { _, _ in json("not json at all") }
        router.post("/short/v1/embeddings") { _, _ in json(#"{"data":[{"index":0,"embedding":[1.0]}]}"#) }
        router.post("/slow/v1/embeddings") { _, _ -> Response in
            try await Task.sleep(for: .seconds(1))
            return json(#"{"data":[]}"#)
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func withServer(_ body: @Sendable (Int) async throws -> Void) async throws {
        try await app().test(.live) { client in
            try await body(try #require(client.port))
        }
    }
}

@Suite("OpenAI-compatible embeddings client against a local stub")
struct EmbeddingsClientTests {
    static func client(_ port: Int, path: String = "/v1", key: String? = "sk-test", timeout: Duration = .seconds(10)) throws
        -> EmbeddingsClient
    {
        try EmbeddingsClient(
            configuration: .init(baseURL: "http://127.0.0.1:\(port)\(path)/", apiKey: key, model: "stub-model", timeout: timeout))
    }

    @Test func embedsInInputOrder() async throws {
        try await StubServer.withServer { port in
            let v = try await Self.client(port).embed(["ab", "xyz", "q"])
            #expect(v == [[2, 97, 1], [3, 120, 1], [1, 113, 1]])
            #expect(try await Self.client(port).embed([]) == [])
        }
    }

    @Test func typedErrors() async throws {
        try await StubServer.withServer { port in
            await #expect(throws: EmbeddingsError.httpStatus(code: 401, body: #"{"error":{"message":"invalid api key"}}"#)) {
                _ = try await Self.client(port, key: "wrong").embed(["a"])
            }
            await #expect(throws: EmbeddingsError.httpStatus(code: 500, body: "upstream exploded")) {
                _ = try await Self.client(port, path: "/broken/v1").embed(["a"])
            }
            await #expect(throws: EmbeddingsError.countMismatch(expected: 2, got: 1)) {
                _ = try await Self.client(port, path: "/short/v1").embed(["a", "b"])
            }
            do {
                _ = try await Self.client(port, path: "/garbage/v1").embed(["a"])
                Issue.record("expected invalidResponse")
            } catch let error as EmbeddingsError {
                guard case .invalidResponse = error else { Issue.record("got \(error)"); return }
            }
            do {
                _ = try await Self.client(port, path: "/slow/v1", timeout: .milliseconds(300)).embed(["a"])
                Issue.record("expected a timeout")
            } catch let error as EmbeddingsError {
                #expect(error == .timedOut(after: .milliseconds(300)))
            }
        }
    }

    @Test func unreachableServerIsATransportError() async throws {
        // Port 1 on loopback: nothing listens there. Without connection retries the failure is immediate
        // (the shared client retries until the timeout, then reports the same transport error).
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let client = try EmbeddingsClient(configuration: .init(baseURL: "http://127.0.0.1:1/v1", model: "m"), httpClient: http)
        let result: Result<[[Float]], EmbeddingsError>
        do {
            result = .success(try await client.embed(["a"]))
        } catch {
            result = .failure(error)
        }
        try await http.shutdown()
        switch result {
        case .success: Issue.record("expected a transport error")
        case .failure(let error):
            if case .transport = error {} else { Issue.record("got \(error)") }
            #expect(error.description.contains("could not reach"))
        }
    }

    @Test("base URLs that are not http(s) are refused", arguments: ["ftp://x/v1", "not a url", "/v1"])
    func invalidBaseURL(url: String) {
        #expect(throws: EmbeddingsError.invalidBaseURL(url)) {
            _ = try EmbeddingsClient(configuration: .init(baseURL: url, model: "m"))
        }
    }

    @Test func endpointJoinsTheBaseURL() {
        #expect(EmbeddingsConfiguration(baseURL: "http://h:1/v1//", model: "m").endpoint == "http://h:1/v1/embeddings")
    }
}
