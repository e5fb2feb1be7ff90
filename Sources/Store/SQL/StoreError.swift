import Foundation

/// Everything the store layer can fail with, in words an operator can act on.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A UNIQUE or PRIMARY KEY constraint refused the write (`constraint` names it when the driver says).
    case uniqueViolation(constraint: String)
    /// A column held a value of the wrong type (schema drift or a bug in a query).
    case decoding(column: String, expected: String, found: SQLValue)
    /// The database refused a statement; `message` is the driver's text, `sql` the statement's first line.
    case database(message: String, sql: String)
    /// The database could not be opened or reached.
    case connection(String)
    /// A migration failed or the database is newer than this binary.
    case migration(String)
    /// The blob store could not read or write a blob.
    case blob(String)

    /// The failure in words an operator can act on.
    public var description: String {
        switch self {
        case .uniqueViolation(let c): return "a row with the same key already exists (\(c))"
        case .decoding(let column, let expected, let found):
            if case .blob(let bytes) = found { return "column '\(column)' should hold \(expected) but holds \(bytes.count) bytes" }
            return "column '\(column)' should hold \(expected) but holds \(found)"
        case .database(let message, let sql): return "database error: \(message) (in: \(sql))"
        case .connection(let m): return "cannot open the database: \(m)"
        case .migration(let m): return "database migration failed: \(m)"
        case .blob(let m): return "blob store error: \(m)"
        }
    }

    /// The first line of a statement, for error messages that stay readable.
    static func summary(of sql: String) -> String {
        let line = sql.split(whereSeparator: \.isNewline).first.map(String.init) ?? sql
        return String(line.trimmingCharacters(in: .whitespaces).prefix(120))
    }
}
