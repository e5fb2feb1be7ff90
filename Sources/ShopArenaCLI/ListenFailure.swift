import ArenaRuntime

/// A command that listens on a TCP port, so a bind failure can name the port.
protocol Listening {
    var listenHost: String { get }
    var listenPort: Int { get }
}

extension ListenFailure {
    /// ``explain(_:host:port:)`` for a command's listener.
    static func explain(_ error: any Error, listener: (any Listening)?) -> any Error {
        guard let listener else { return error }
        return explain(error, host: listener.listenHost, port: listener.listenPort)
    }

    /// Runs `body`, explaining a bind failure of `listener`'s port.
    static func explaining<T>(_ listener: any Listening, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw explain(error, listener: listener)
        }
    }
}

extension ServeCommand: Listening {
    var listenHost: String { host }
    var listenPort: Int { port }
}

extension SearchServeCommand: Listening {
    var listenHost: String { host }
    var listenPort: Int { port }
}

extension LLMStubCommand: Listening {
    var listenHost: String { host }
    var listenPort: Int { port }
}

extension DemoCommand: Listening {
    var listenHost: String { "127.0.0.1" }
    var listenPort: Int { port }
}

extension ValidatorCommand: Listening {
    var listenHost: String { "127.0.0.1" }
    var listenPort: Int { metricsPort }
}
