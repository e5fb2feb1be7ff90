import HTTPTypes
import Hummingbird
import Store

/// A static file the site serves from memory, with a content hash as its ETag so browsers revalidate cheaply.
struct Asset: Sendable {
    let path: String
    let contentType: String
    let body: String
    let etag: String

    init(path: String, contentType: String, body: String) {
        self.path = path
        self.contentType = contentType
        self.body = body
        etag = "\"" + String(SHA256Hex.digest(Array(body.utf8)).prefix(16)) + "\""
    }

    static let all: [Asset] = [
        Asset(path: "/assets/site.css", contentType: "text/css; charset=utf-8", body: Stylesheet.css),
        Asset(path: "/assets/site.js", contentType: "text/javascript; charset=utf-8", body: Script.js),
        Asset(path: "/assets/icon.svg", contentType: "image/svg+xml", body: Script.icon),
        Asset(path: "/favicon.ico", contentType: "image/svg+xml", body: Script.icon),
    ]

    func response(ifNoneMatch: String?) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .eTag: etag, .cacheControl: "public, max-age=300"]
        if ifNoneMatch == etag {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
