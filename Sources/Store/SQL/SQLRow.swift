/// One result row: column names (lower-case, as both dialects report unquoted identifiers) and their values.
///
/// The typed accessors throw `StoreError.decoding` naming the column, so a schema drift fails loudly.
public struct SQLRow: Sendable, Hashable {
    /// Column names, lower-case, in select order.
    public let columns: [String]
    /// The values, one per column.
    public let values: [SQLValue]

    /// A row of `values` named by `columns` (same count).
    public init(columns: [String], values: [SQLValue]) {
        precondition(columns.count == values.count, "SQLRow: \(columns.count) columns for \(values.count) values")
        self.columns = columns
        self.values = values
    }

    /// The raw value of `column`, or `.null` when the column is absent (use `has(_:)` to tell them apart).
    public subscript(_ column: String) -> SQLValue {
        guard let index = columns.firstIndex(of: column) else { return .null }
        return values[index]
    }

    /// Whether the row has `column` (even when its value is null).
    public func has(_ column: String) -> Bool { columns.contains(column) }

    /// The integer in `column` (an integral double or numeric text is accepted); throws `.decoding` otherwise.
    public func int(_ column: String) throws(StoreError) -> Int64 {
        guard let value = optionalInt(column) else { throw .decoding(column: column, expected: "integer", found: self[column]) }
        return value
    }

    /// The integer in `column`, or nil when it is null, absent or not an integer.
    public func optionalInt(_ column: String) -> Int64? {
        switch self[column] {
        case .int(let v): return v
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: return Int64(d)
        case .text(let t): return Int64(t)
        default: return nil
        }
    }

    /// The number in `column` (integers and numeric text are accepted); throws `.decoding` otherwise.
    public func double(_ column: String) throws(StoreError) -> Double {
        guard let value = optionalDouble(column) else { throw .decoding(column: column, expected: "number", found: self[column]) }
        return value
    }

    /// The number in `column`, or nil when it is null, absent, bytes or not numeric.
    public func optionalDouble(_ column: String) -> Double? {
        switch self[column] {
        case .double(let d): return d
        case .int(let i): return Double(i)
        case .text(let t): return Double(t)
        case .null, .blob: return nil
        }
    }

    /// The text in `column` (numbers are rendered as text; bytes are not); throws `.decoding` otherwise.
    public func string(_ column: String) throws(StoreError) -> String {
        guard let value = optionalString(column) else { throw .decoding(column: column, expected: "text", found: self[column]) }
        return value
    }

    /// The text in `column`, or nil when it is null, absent or bytes.
    public func optionalString(_ column: String) -> String? {
        switch self[column] {
        case .text(let t): return t
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .null, .blob: return nil
        }
    }

    /// The bytes of a `BLOB` / `BYTEA` column; throws `StoreError.decoding` for any other value (text is not
    /// silently taken for bytes, nor bytes for text).
    public func bytes(_ column: String) throws(StoreError) -> [UInt8] {
        guard let value = optionalBytes(column) else { throw .decoding(column: column, expected: "bytes", found: self[column]) }
        return value
    }

    /// The bytes of a `BLOB` / `BYTEA` column, or nil when it is null, absent or not bytes.
    public func optionalBytes(_ column: String) -> [UInt8]? {
        if case .blob(let bytes) = self[column] { return bytes }
        return nil
    }

    /// The boolean stored as an integer in `column` (non-zero is true).
    public func bool(_ column: String) throws(StoreError) -> Bool { try int(column) != 0 }

    /// The boolean in `column`, or nil.
    public func optionalBool(_ column: String) -> Bool? { optionalInt(column).map { $0 != 0 } }
}
