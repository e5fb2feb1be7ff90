import Foundation
import NIOCore

/// Turns a bind failure into a sentence a user can act on ("port 18200 is already in use…") instead of NIO's
/// `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`; any other error is returned unchanged.
public enum ListenFailure {
    /// The explanation, printed as `Error: …` without a usage line (the arguments were fine).
    public struct Explained: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// The explanation of `error` when it is a bind failure of `host:port`, else `error` unchanged.
    public static func explain(_ error: any Error, host: String, port: Int) -> any Error {
        guard let code = errno(of: error) else { return error }
        switch code {
        case EADDRINUSE:
            return Explained(
                "port \(port) is already in use on \(host): stop the program using it "
                    + "(e.g. `ss -ltnp 'sport = :\(port)'` shows it) or choose another port with --port")
        case EACCES:
            return Explained("port \(port) needs root on \(host): choose a port above 1023 with --port")
        case EADDRNOTAVAIL:
            return Explained("\(host) is not an address of this machine: check --host")
        default:
            return error
        }
    }

    /// The errno of a bind failure, from NIO's `IOError` or, when a service group re-wrapped it, its text.
    public static func errno(of error: any Error) -> Int32? {
        if let io = error as? IOError, io.description.hasPrefix("bind(") { return io.errnoCode }
        let text = String(describing: error)
        guard text.contains("bind("), let range = text.range(of: "(errno: ") else { return nil }
        return Int32(text[range.upperBound...].prefix(while: \.isNumber))
    }
}

extension ListenFailure {
    /// Runs `body` (which listens on `host:port`), explaining a bind failure of that port (see ``explain(_:host:port:)``).
    public static func explaining<T>(host: String, port: Int, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw explain(error, host: host, port: port)
        }
    }
}
