/// One bound parameter or result cell, in the small type vocabulary both SQLite and PostgreSQL agree on.
///
/// The arena's schema uses these: integers (ids, counts, booleans as 0/1, times as epoch milliseconds),
/// doubles (scores), text (ids, names, JSON documents) and bytes (`BLOB` on SQLite, `BYTEA` on PostgreSQL, e.g.
/// the PostgreSQL blob store's `blobs.content`). Text and bytes stay apart: a text column reads back as `.text`,
/// a byte column as `.blob` with its bytes exactly as written.
public enum SQLValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A 64-bit integer (`INTEGER` / `BIGINT`).
    case int(Int64)
    /// A double-precision float (`REAL` / `DOUBLE PRECISION`).
    case double(Double)
    /// UTF-8 text (`TEXT`).
    case text(String)
    /// Raw bytes (`BLOB` on SQLite, `BYTEA` on PostgreSQL), never reinterpreted as text.
    case blob([UInt8])

    /// `.int(1)` / `.int(0)`: booleans are stored as integers in both dialects.
    public static func bool(_ value: Bool) -> SQLValue { .int(value ? 1 : 0) }

    /// `.text(value)`, or `.null` when `value` is nil (the `optional` family binds a nullable column).
    public static func optional(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
    /// `.int(value)`, or `.null`.
    public static func optional(_ value: Int64?) -> SQLValue { value.map(SQLValue.int) ?? .null }
    /// `.int(value)`, or `.null`.
    public static func optional(_ value: Int?) -> SQLValue { value.map { .int(Int64($0)) } ?? .null }
    /// `.double(value)`, or `.null`.
    public static func optional(_ value: Double?) -> SQLValue { value.map(SQLValue.double) ?? .null }
    /// `.bool(value)`, or `.null`.
    public static func optional(_ value: Bool?) -> SQLValue { value.map(SQLValue.bool) ?? .null }

    /// True for `.null`.
    public var isNull: Bool { if case .null = self { return true } else { return false } }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByNilLiteral, ExpressibleByBooleanLiteral
{
    /// `.text(value)`.
    public init(stringLiteral value: String) { self = .text(value) }
    /// `.int(value)`.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// `.double(value)`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `.null`.
    public init(nilLiteral: ()) { self = .null }
    /// `.int(1)` or `.int(0)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
