import ArenaModel
import AsyncHTTPClient
import Foundation
import Identity
import NIOCore
import NIOHTTP1

/// Signed calls to an arena backend as a miner or an admin would make them (the oro-sdk's wire format):
/// JSON requests and the multipart agent submission.
public struct ArenaHTTP: Sendable {
    public let baseURL: String
    public let http: HTTPClient

    public init(baseURL: String, http: HTTPClient = .shared) {
        self.baseURL = baseURL
        self.http = http
    }

    public struct Failure: Error, CustomStringConvertible {
        public var status: Int
        public var body: String
        public var description: String { "HTTP \(status): \(body)" }
    }

    /// Sends a request signed by `signer` (unsigned when nil) and returns the parsed JSON answer (nil for
    /// an empty body); non-2xx answers throw `Failure`.
    @discardableResult
    public func call(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, signer: RequestSigner? = nil)
        async throws -> JSONValue?
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: JSONWriter().string(json)))
        }
        return try await send(request, signer: signer)
    }

    /// `POST /v1/miner/submit` with the two multipart parts the oro CLI sends: `agent_name`, then `file`.
    public func submit(agentName: String, fileName: String, code: [UInt8], signer: RequestSigner) async throws -> JSONValue? {
        let boundary = "shoparena-" + UUID().uuidString
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"agent_name\"\r\n")
        body.writeString("Content-Type: text/plain\r\n\r\n\(agentName)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n")
        body.writeString("Content-Type: text/x-python\r\n\r\n")
        body.writeBytes(code)
        body.writeString("\r\n--\(boundary)--\r\n")
        var request = HTTPClientRequest(url: baseURL + "/v1/miner/submit")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        request.body = .bytes(body)
        return try await send(request, signer: signer)
    }

    private func send(_ request: HTTPClientRequest, signer: RequestSigner?) async throws -> JSONValue? {
        var request = request
        if let signer {
            for (name, value) in signer.headers(timestamp: Int64(Date().timeIntervalSince1970)).fields {
                request.headers.replaceOrAdd(name: name, value: value)
            }
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = Array(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Failure(status: Int(response.status.code), body: String(decoding: bytes.prefix(2000), as: UTF8.self))
        }
        return bytes.isEmpty ? nil : try JSONParser.parse(utf8: bytes)
    }
}
