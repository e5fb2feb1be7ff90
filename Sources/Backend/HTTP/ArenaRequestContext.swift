import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Who made a request, once the auth middleware has checked it.
public struct Caller: Sendable, Equatable {
    public enum Method: Sendable, Equatable { case signedHeaders, session }
    public var hotkey: String
    public var role: Role
    public var method: Method
}

/// The request context of every backend route: Hummingbird's core storage plus the authenticated caller.
public struct ArenaRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on the miner, validator and admin route groups; nil on public routes.
    public var caller: Caller?
    /// The TCP peer's IP address (nil in-process, e.g. HummingbirdTesting's router mode): the key of per-IP
    /// rate limits.
    public var peerAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        caller = nil
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The client address rate limits are keyed on: the peer address, or the last `X-Forwarded-For` entry
    /// (what the reverse proxy in front of us saw) when `trustForwardedFor` is set. Nil when neither is known.
    public func clientAddress(_ request: Request, trustForwardedFor: Bool) -> String? {
        if trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            return String(last.prefix(64))
        }
        return peerAddress
    }

    /// Bodies are read with explicit limits per route (`JSONBody.read`, the submit and upload handlers).
    public var maxUploadSize: Int { 64 << 20 }

    /// The caller, or 401 when a route forgot its auth middleware (a bug, reported rather than served).
    public func requireCaller() throws -> Caller {
        guard let caller else { throw APIError.unauthorized("MISSING_HEADERS", "authentication required") }
        return caller
    }
}
