import HTTPTypes
import Hummingbird
import Identity
import Store

/// Authenticates every request of a route group and checks the caller's role and ban state.
///
/// A present `Authorization` header must be a live Bearer session (no fallback to signing, as the reference);
/// otherwise the four signed headers must verify (±60 s skew, nonce never reused). The hotkey must then be in
/// the registry with the group's role — except that an unknown hotkey signing a *miner* request is registered
/// as a miner on the spot when `openMinerRegistration` is on. Banned hotkeys get 403 BANNED (the validator
/// looks for "banned" in the body and sleeps). A hotkey holds one role, so an admin hotkey can only use admin
/// routes.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = ArenaRequestContext
    public let services: BackendServices
    public let role: Role

    public init(services: BackendServices, role: Role) {
        self.services = services
        self.role = role
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.caller = try await authenticate(request)
        return try await next(request, context)
    }

    func authenticate(_ request: Request) async throws -> Caller {
        let now = services.now()
        let hotkey: String
        let method: Caller.Method
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                  let sessionHotkey = try await services.sessions.sessionHotkey(token: String(parts[1]), now: now)
            else {
                throw APIError.unauthorized("INVALID_SESSION", "the Bearer session is unknown or expired; sign in again")
            }
            hotkey = sessionHotkey
            method = .session
        } else {
            let headers = SignedRequestHeaders(lookup: { name in
                HTTPField.Name(name).flatMap { request.headers[$0] }
            })
            switch await Self.verify(headers, with: services.verifier) {
            case .success(let verified): hotkey = verified.hotkey
            case .failure(let error):
                throw APIError(HTTPResponse.Status(code: error.httpStatus), code: error.errorCode, detail: error.message)
            }
            method = .signedHeaders
        }
        var identity = try await services.identities.find(hotkey)
        if identity == nil, role == .miner, services.settings.openMinerRegistration {
            identity = try await services.identities.register(hotkey, role: .miner, now: now)
        }
        guard let identity else {
            throw APIError.forbidden(Self.refusalCode(role), "hotkey \(hotkey) is not registered as \(Self.article(role)) \(role.rawValue)")
        }
        if identity.isBanned {
            throw APIError.forbidden("BANNED", "hotkey \(hotkey) is banned" + (identity.banReason.map { ": \($0)" } ?? ""))
        }
        guard identity.role == role else {
            throw APIError.forbidden(Self.refusalCode(role), "hotkey \(hotkey) is registered as \(Self.article(identity.role)) "
                + "\(identity.role.rawValue), not \(Self.article(role)) \(role.rawValue): \(Self.routes(role)) need \(Self.article(role)) "
                + "\(role.rawValue) hotkey")
        }
        return Caller(hotkey: hotkey, role: identity.role, method: method)
    }

    /// The 403 code of a route group's role check: bittensor-auth's `NOT_REGISTERED` (miners) and
    /// `NOT_REGISTERED_AS_VALIDATOR`, and ShopArena's `NOT_REGISTERED_AS_ADMIN` for the admin routes.
    static func refusalCode(_ role: Role) -> String {
        switch role {
        case .miner: "NOT_REGISTERED"
        case .validator: "NOT_REGISTERED_AS_VALIDATOR"
        case .admin: "NOT_REGISTERED_AS_ADMIN"
        }
    }

    static func article(_ role: Role) -> String { role == .admin ? "an" : "a" }

    static func routes(_ role: Role) -> String { "/v1/\(role.rawValue)/* routes" }

    private static func verify(_ headers: SignedRequestHeaders, with verifier: RequestVerifier) async
        -> Result<RequestVerifier.Verified, AuthError>
    {
        do { return .success(try await verifier.verify(headers)) } catch { return .failure(error) }
    }
}
