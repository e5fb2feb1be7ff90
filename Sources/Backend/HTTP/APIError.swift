import ArenaModel
import Hummingbird

/// An error answer in the oro-sdk's shapes: a flat `{"detail": "...", "error_code": "CONST", ...extras}` body
/// (never FastAPI's nested `{"detail": {...}}`), or FastAPI's list-shaped 422 for request validation.
///
/// The client picks an error model by status and `error_code`, so every error carries one of the codes of
/// `reference/oro-api.md` §3 (or an auth code); a 422 outside `/v1/miner/submit` must be the list shape.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var body: JSONValue
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, detail: String, extras: [(String, JSONValue)] = [],
                headers: HTTPFields = [:]) {
        self.status = status
        self.body = .object([("detail", .string(detail)), ("error_code", .string(code))] + extras)
        self.headers = headers
    }

    /// FastAPI's validation error: `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}` with status 422.
    public static func validation(_ issues: [ValidationIssue]) -> APIError {
        var error = APIError(.unprocessableContent, code: "VALIDATION_ERROR", detail: "")
        error.body = .object([("detail", .array(issues.map(\.json)))])
        return error
    }

    /// One validation problem: where (`["body", "field"]`, `["query", "limit"]`, `["path", "id"]`), what, and
    /// FastAPI's type tag (`missing`, `int_parsing`, `uuid_parsing`, `json_invalid`, `string_type`, …).
    public struct ValidationIssue: Sendable {
        public var location: [String]
        public var message: String
        public var type: String
        public var input: JSONValue?

        public init(location: [String], message: String, type: String, input: JSONValue? = nil) {
            self.location = location
            self.message = message
            self.type = type
            self.input = input
        }

        var json: JSONValue {
            var fields: [(String, JSONValue)] = [
                ("type", .string(type)), ("loc", .array(location.map { JSONValue.string($0) })), ("msg", .string(message)),
            ]
            if let input { fields.append(("input", input)) }
            return .object(fields)
        }
    }

    public var description: String { "HTTP \(status.code): \(JSONWriter().string(body))" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: JSONWriter().string(body))))
    }
}

extension APIError {
    public static func notFound(_ code: String, _ detail: String) -> APIError { APIError(.notFound, code: code, detail: detail) }
    public static func conflict(_ code: String, _ detail: String) -> APIError { APIError(.conflict, code: code, detail: detail) }
    public static func badRequest(_ code: String, _ detail: String) -> APIError { APIError(.badRequest, code: code, detail: detail) }
    public static func forbidden(_ code: String, _ detail: String) -> APIError { APIError(.forbidden, code: code, detail: detail) }
    public static func unauthorized(_ code: String, _ detail: String) -> APIError { APIError(.unauthorized, code: code, detail: detail) }

    /// A one-field 422 in FastAPI's shape.
    public static func invalid(_ location: [String], _ message: String, type: String = "value_error",
                               input: JSONValue? = nil) -> APIError {
        .validation([ValidationIssue(location: location, message: message, type: type, input: input)])
    }
}
