import Foundation
import NIOCore

/// A command that listens on a TCP port, so a bind failure can name the port.
protocol Listening {
    var listenHost: String { get }
    var listenPort: Int { get }
}

/// Turns a bind failure into a sentence a user can act on ("port 18200 is already in use…") instead of NIO's
/// `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`; any other error is returned unchanged.
enum ListenFailure {
    /// The explanation, printed as `Error: …` without a usage line (the arguments were fine).
    struct Explained: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func explain(_ error: any Error, listener: (any Listening)?) -> any Error {
        guard let listener, let code = errno(of: error) else { return error }
        let port = listener.listenPort
        switch code {
        case EADDRINUSE:
            return Explained(
                "port \(port) is already in use on \(listener.listenHost): stop the program using it "
                    + "(e.g. `ss -ltnp 'sport = :\(port)'` shows it) or choose another port with --port")
        case EACCES:
            return Explained("port \(port) needs root on \(listener.listenHost): choose a port above 1023 with --port")
        case EADDRNOTAVAIL:
            return Explained("\(listener.listenHost) is not an address of this machine: check --host")
        default:
            return error
        }
    }

    /// Runs `body`, explaining a bind failure of `listener`'s port.
    static func explaining<T>(_ listener: any Listening, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw explain(error, listener: listener)
        }
    }

    /// The errno of a bind failure, from NIO's `IOError` or, when a service group re-wrapped it, its text.
    static func errno(of error: any Error) -> Int32? {
        if let io = error as? IOError, io.description.hasPrefix("bind(") { return io.errnoCode }
        let text = String(describing: error)
        guard text.contains("bind("), let range = text.range(of: "(errno: ") else { return nil }
        return Int32(text[range.upperBound...].prefix(while: \.isNumber))
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
