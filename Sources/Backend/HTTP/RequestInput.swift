import ArenaModel
import Foundation
import Hummingbird

/// Reading request input with FastAPI-shaped 422s: JSON bodies, query parameters and path parameters.
public struct JSONBody: Sendable {
    public let value: JSONValue

    /// Parses the request body as a JSON object. An empty body is `{}` when `allowEmpty` (the validator's
    /// claim/heartbeat send `Content-Length: 0`); otherwise 422 `missing`.
    public static func read(_ request: Request, context: some RequestContext, limit: Int = 1 << 20,
                            allowEmpty: Bool = false) async throws -> JSONBody {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "VALIDATION_ERROR", detail: "request body larger than \(limit) bytes")
        }
        if buffer.readableBytes == 0 {
            if allowEmpty { return JSONBody(value: .object([])) }
            throw APIError.invalid(["body"], "Field required", type: "missing")
        }
        let value: JSONValue
        do {
            value = try buffer.withUnsafeReadableBytes { raw in
                try JSONParser.parse(bytes: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count))
            }
        } catch let error as JSONParseError {
            throw APIError.invalid(["body", String(error.offset)], "JSON decode error", type: "json_invalid",
                                   input: .object([]))
        }
        if value.isNull, allowEmpty { return JSONBody(value: .object([])) }
        guard value.objectValue != nil else {
            throw APIError.invalid(["body"], "Input should be a valid dictionary or object to extract fields from",
                                   type: "model_attributes_type", input: value)
        }
        return JSONBody(value: value)
    }

    public init(value: JSONValue) { self.value = value }

    /// True when the key is present (even with null): "absent means unchanged" updates need the difference.
    public func has(_ key: String) -> Bool { value.objectValue?.contains { $0.0 == key } ?? false }

    public func string(_ key: String) throws -> String {
        guard let raw = value[key], !raw.isNull else { throw APIError.invalid(["body", key], "Field required", type: "missing") }
        guard let text = raw.stringValue else {
            throw APIError.invalid(["body", key], "Input should be a valid string", type: "string_type", input: raw)
        }
        return text
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let raw = value[key], !raw.isNull else { return nil }
        guard let text = raw.stringValue else {
            throw APIError.invalid(["body", key], "Input should be a valid string", type: "string_type", input: raw)
        }
        return text
    }

    public func optionalDouble(_ key: String) throws -> Double? {
        guard let raw = value[key], !raw.isNull else { return nil }
        guard let number = raw.numberValue, number.isFinite else {
            throw APIError.invalid(["body", key], "Input should be a valid number", type: "float_parsing", input: raw)
        }
        return number
    }

    public func int(_ key: String) throws -> Int64 {
        guard let raw = value[key], !raw.isNull else { throw APIError.invalid(["body", key], "Field required", type: "missing") }
        guard let number = raw.intValue else {
            throw APIError.invalid(["body", key], "Input should be a valid integer", type: "int_parsing", input: raw)
        }
        return number
    }

    public func optionalInt(_ key: String) throws -> Int64? {
        guard let raw = value[key], !raw.isNull else { return nil }
        guard let number = raw.intValue else {
            throw APIError.invalid(["body", key], "Input should be a valid integer", type: "int_parsing", input: raw)
        }
        return number
    }

    public func optionalBool(_ key: String) throws -> Bool? {
        guard let raw = value[key], !raw.isNull else { return nil }
        if case .bool(let b) = raw { return b }
        throw APIError.invalid(["body", key], "Input should be a valid boolean", type: "bool_parsing", input: raw)
    }

    /// A JSON object field (nil when absent or null).
    public func optionalObject(_ key: String) throws -> JSONValue? {
        guard let raw = value[key], !raw.isNull else { return nil }
        guard raw.objectValue != nil else {
            throw APIError.invalid(["body", key], "Input should be a valid dictionary", type: "dict_type", input: raw)
        }
        return raw
    }

    /// A UUID-formatted string field, lower-cased.
    public func uuid(_ key: String) throws -> String {
        let text = try string(key)
        guard let id = UUIDText.normalized(text) else {
            throw APIError.invalid(["body", key], "Input should be a valid UUID", type: "uuid_parsing", input: .string(text))
        }
        return id
    }
}

/// Query and path parameters with FastAPI-shaped 422s.
public struct RequestParameters: Sendable {
    public let query: [String: String]

    public init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        query = values
    }

    public func int(_ key: String, default fallback: Int64, range: ClosedRange<Int64>? = nil) throws -> Int64 {
        guard let text = query[key] else { return fallback }
        guard let value = Int64(text) else {
            throw APIError.invalid(["query", key], "Input should be a valid integer, unable to parse string as an integer",
                                   type: "int_parsing", input: .string(text))
        }
        if let range, !range.contains(value) {
            throw APIError.invalid(["query", key], "Input should be between \(range.lowerBound) and \(range.upperBound)",
                                   type: "value_error", input: .string(text))
        }
        return value
    }

    public func optionalInt(_ key: String) throws -> Int64? {
        guard let text = query[key] else { return nil }
        guard let value = Int64(text) else {
            throw APIError.invalid(["query", key], "Input should be a valid integer, unable to parse string as an integer",
                                   type: "int_parsing", input: .string(text))
        }
        return value
    }

    public func optionalBool(_ key: String) throws -> Bool? {
        guard let text = query[key]?.lowercased() else { return nil }
        switch text {
        case "true", "1", "yes", "on", "t", "y": return true
        case "false", "0", "no", "off", "f", "n": return false
        default:
            throw APIError.invalid(["query", key], "Input should be a valid boolean, unable to interpret input",
                                   type: "bool_parsing", input: .string(text))
        }
    }

    public func optionalTimestamp(_ key: String) throws -> Int64? {
        guard let text = query[key] else { return nil }
        guard let millis = Wire.parseTimestamp(text) else {
            throw APIError.invalid(["query", key], "Input should be a valid datetime", type: "datetime_parsing",
                                   input: .string(text))
        }
        return millis
    }

    public func optionalUUID(_ key: String) throws -> String? {
        guard let text = query[key] else { return nil }
        guard let id = UUIDText.normalized(text) else {
            throw APIError.invalid(["query", key], "Input should be a valid UUID", type: "uuid_parsing", input: .string(text))
        }
        return id
    }

    /// A path parameter that must be a UUID (422 `uuid_parsing` otherwise, as FastAPI answers).
    public static func uuid(_ context: some RequestContext, _ name: String) throws -> String {
        let text = context.parameters.get(name) ?? ""
        guard let id = UUIDText.normalized(text) else {
            throw APIError.invalid(["path", name], "Input should be a valid UUID", type: "uuid_parsing", input: .string(text))
        }
        return id
    }

    /// A path parameter that must be an integer.
    public static func int(_ context: some RequestContext, _ name: String) throws -> Int64 {
        let text = context.parameters.get(name) ?? ""
        guard let value = Int64(text) else {
            throw APIError.invalid(["path", name], "Input should be a valid integer, unable to parse string as an integer",
                                   type: "int_parsing", input: .string(text))
        }
        return value
    }
}

/// UUID strings as the API stores them: lower case, hyphenated.
public enum UUIDText {
    public static func normalized(_ text: String) -> String? {
        UUID(uuidString: text).map { $0.uuidString.lowercased() }
    }

    public static func random() -> String { UUID().uuidString.lowercased() }
}
