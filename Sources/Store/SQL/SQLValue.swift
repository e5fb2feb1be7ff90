/// One bound parameter or result cell, in the small type vocabulary both SQLite and PostgreSQL agree on.
///
/// The arena's schema uses only these: integers (ids, counts, booleans as 0/1, times as epoch milliseconds),
/// doubles (scores), text (ids, names, JSON documents). Blobs live in the `BlobStore`, not in the database.
public enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    /// `.int(1)` / `.int(0)`: booleans are stored as integers in both dialects.
    public static func bool(_ value: Bool) -> SQLValue { .int(value ? 1 : 0) }

    public static func optional(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
    public static func optional(_ value: Int64?) -> SQLValue { value.map(SQLValue.int) ?? .null }
    public static func optional(_ value: Int?) -> SQLValue { value.map { .int(Int64($0)) } ?? .null }
    public static func optional(_ value: Double?) -> SQLValue { value.map(SQLValue.double) ?? .null }
    public static func optional(_ value: Bool?) -> SQLValue { value.map(SQLValue.bool) ?? .null }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByNilLiteral, ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
