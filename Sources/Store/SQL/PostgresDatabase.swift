import Foundation
import Logging
import PostgresNIO

/// PostgreSQL through PostgresNIO's connection pool: the choice for many backend replicas over one database.
///
/// The pool's `run()` loop lives in a task owned by this object and ends in `close()`. Statements are written
/// with `?` placeholders (shared with SQLite) and rewritten to `$1, $2, …` here.
public final class PostgresDatabase: SQLDatabase {
    /// Always `.postgres`.
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// Connects to `url` (`postgres://user:password@host:port/database`); TLS is off (loopback and private
    /// networks; put a TLS-terminating proxy in front otherwise).
    public init(url: String, maxConnections: Int = 20, logger: Logger = Logger(label: "shoparena.postgres")) throws(StoreError) {
        let configuration = try Self.configuration(from: url, maxConnections: maxConnections)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
    }

    static func configuration(from url: String, maxConnections: Int) throws(StoreError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else {
            throw .connection("'\(url)' is not a postgres://user[:password]@host[:port]/database URL")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database.isEmpty ? nil : database, tls: .disable)
        configuration.options.maximumConnections = maxConnections
        configuration.options.minimumConnections = 0
        return configuration
    }

    /// Runs `body` in one transaction on a pooled connection (`BEGIN … COMMIT`, rolled back when it throws); the closure's own error is rethrown as it was.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(Executor(connection: connection, logger: logger))
            }
        } catch let error as PostgresTransactionError {
            // Surface the closure's own error (e.g. an APIError) rather than the transaction wrapper.
            if let closureError = error.closureError { throw closureError }
            throw StoreError.database(message: "\(error)", sql: "transaction")
        }
    }

    /// Runs `body` on a pooled connection in autocommit mode (each statement sees committed data).
    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(Executor(connection: connection, logger: logger))
        }
    }

    /// Stops the pool's run loop and closes its connections.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    private struct Executor: SQLExecutor {
        let connection: PostgresConnection
        let logger: Logger
        var dialect: SQLDialect { .postgres }

        func query(_ sql: String, _ binds: [SQLValue]) async throws(StoreError) -> [SQLRow] {
            var bindings = PostgresBindings(capacity: binds.count)
            for bind in binds {
                switch bind {
                case .null: bindings.appendNull()
                case .int(let v): bindings.append(v)
                case .double(let v): bindings.append(v)
                case .text(let v): bindings.append(v)
                case .blob(let v): bindings.append(ByteBuffer(bytes: v))
                }
            }
            let query = PostgresQuery(unsafeSQL: PostgresPlaceholders.rewrite(sql), binds: bindings)
            do {
                let rows = try await connection.query(query, logger: logger)
                var result: [SQLRow] = []
                for try await row in rows {
                    var columns: [String] = []
                    var values: [SQLValue] = []
                    for cell in row {
                        columns.append(cell.columnName.lowercased())
                        values.append(try Self.value(of: cell))
                    }
                    result.append(SQLRow(columns: columns, values: values))
                }
                return result
            } catch let error as PSQLError {
                let state = error.serverInfo?[.sqlState]
                let message = error.serverInfo?[.message] ?? "\(error.code)"
                if state == "23505" {
                    throw .uniqueViolation(constraint: error.serverInfo?[.constraintName] ?? message)
                }
                throw .database(message: message, sql: StoreError.summary(of: sql))
            } catch let error as StoreError {
                throw error
            } catch {
                throw .database(message: "\(error)", sql: StoreError.summary(of: sql))
            }
        }

        private static func value(of cell: PostgresCell) throws -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int8, .int4, .int2: return .int(try cell.decode(Int64.self))
            case .float8, .float4: return .double(try cell.decode(Double.self))
            case .numeric: return .double(try cell.decode(Double.self))
            case .bool: return .bool(try cell.decode(Bool.self))
            case .bytea: return .blob(Array(try cell.decode(ByteBuffer.self).readableBytesView))
            default: return .text(try cell.decode(String.self))
            }
        }
    }
}

/// Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`, leaving quoted literals and identifiers alone.
public enum PostgresPlaceholderProbe {
    /// `sql` with its `?` placeholders numbered `$1, $2, …` (quoted text left alone).
    public static func rewrite(_ sql: String) -> String { PostgresPlaceholders.rewrite(sql) }
}

enum PostgresPlaceholders {
    static func rewrite(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var index = 0
        var quote: Character? = nil
        for ch in sql {
            if let q = quote {
                out.append(ch)
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                out.append(ch)
            } else if ch == "?" {
                index += 1
                out += "$\(index)"
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
