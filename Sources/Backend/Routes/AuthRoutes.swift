import ArenaModel
import Hummingbird
import Identity
import Store

/// The dashboard login routes (oro-api §1): a one-shot challenge, a session for a signature over it, and
/// logout. Unsigned; the session token then works as `Authorization: Bearer` on the role groups.
///
/// - challenge: `bittensor-auth:{unix_ts}:{32 hex}`, valid `challengeTTLSeconds` (60 s), usable once;
/// - session: sr25519 signature over the exact challenge (or its `<Bytes>…</Bytes>` wrapping, as browser
///   wallets sign), `0x` optional; the role comes from the registry (an unknown hotkey becomes a miner when
///   `openMinerRegistration` is on); token `ses_` + 64 hex, valid `sessionTTLSeconds`;
/// - rate limits: 10 challenges and 5 session attempts per minute per client IP, as the reference, and the
///   same per hotkey (429 RATE_LIMIT_EXCEEDED). The IP is the TCP peer's, not `X-Forwarded-For` unless
///   `trustForwardedFor` is set (a client could otherwise pick a fresh address per request). In-process
///   requests without a peer address are limited per hotkey only. Counters are per replica.
public struct AuthRoutes: Sendable {
    public let services: BackendServices
    let limiter = AuthRateLimiter()

    public static let challengePrefix = "bittensor-auth"
    static let challengesPerMinute = 10
    static let sessionsPerMinute = 5

    public init(services: BackendServices) { self.services = services }

    public func register(on group: RouterGroup<ArenaRequestContext>) {
        group.post("challenge") { request, context in try await challenge(request, context: context) }
        group.post("session") { request, context in try await session(request, context: context) }
        group.post("logout") { request, _ in try await logout(request) }
    }

    func challenge(_ request: Request, context: ArenaRequestContext) async throws -> JSONResponse {
        let body = try await JSONBody.read(request, context: context, limit: 16 << 10)
        let hotkey = try body.string("hotkey")
        if let error = Self.hotkeyFormatError(hotkey) { throw error }
        let now = services.now()
        try await limit("challenge", hotkey: hotkey, request, context, Self.challengesPerMinute, now: now)
        let seconds = now / 1000
        let challenge = "\(Self.challengePrefix):\(seconds):\(Self.randomHex(bytes: 16))"
        let expiresAt = now + Int64((services.settings.challengeTTLSeconds * 1000).rounded())
        try await services.sessions.storeChallenge(challenge, hotkey: hotkey, expiresAt: expiresAt, now: now)
        return JSONResponse(.object([("challenge", .string(challenge)), ("expires_at", .int(expiresAt / 1000))]))
    }

    func session(_ request: Request, context: ArenaRequestContext) async throws -> JSONResponse {
        let body = try await JSONBody.read(request, context: context, limit: 16 << 10)
        let hotkey = try body.string("hotkey")
        let challenge = try body.string("challenge")
        let signature = try body.string("signature")
        let now = services.now()
        try await limit("session", hotkey: hotkey, request, context, Self.sessionsPerMinute, now: now)
        // Consumed before the signature is checked: a challenge is good for one attempt.
        guard try await services.sessions.consumeChallenge(challenge, hotkey: hotkey, now: now) else {
            throw APIError.unauthorized("INVALID_CHALLENGE",
                                        "the challenge is unknown, expired, already used or was issued to another hotkey; request a new one")
        }
        if let error = Self.signatureError(message: challenge, signature: signature, hotkey: hotkey) {
            throw APIError(HTTPResponse.Status(code: error.httpStatus), code: error.errorCode, detail: error.message)
        }
        var identity = try await services.identities.find(hotkey)
        if identity == nil, services.settings.openMinerRegistration {
            identity = try await services.identities.register(hotkey, role: .miner, now: now)
        }
        guard let identity else {
            throw APIError.unauthorized("NOT_REGISTERED", "hotkey \(hotkey) is not registered with the arena")
        }
        if identity.isBanned {
            throw APIError.forbidden("BANNED", "hotkey \(hotkey) is banned" + (identity.banReason.map { ": \($0)" } ?? ""))
        }
        let token = "ses_" + Self.randomHex(bytes: 32)
        let expiresAt = now + Int64((services.settings.sessionTTLSeconds * 1000).rounded())
        try await services.sessions.createSession(token: token, hotkey: hotkey, role: identity.role, expiresAt: expiresAt, now: now)
        return JSONResponse(.object([
            ("session_token", .string(token)), ("expires_at", .int(expiresAt / 1000)), ("role", .string(identity.role.rawValue)),
        ]))
    }

    func logout(_ request: Request) async throws -> JSONResponse {
        // No Authorization header is 401, like a token that is not a live session (RFC 9110 §15.5.2; the reference's
        // FastAPI answered 422 for the missing header, which no client relies on).
        guard let authorization = request.headers[.authorization] else {
            throw APIError.unauthorized("NOT_AUTHENTICATED", "logout needs an Authorization: Bearer <session token> header")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
              try await services.sessions.deleteSession(token: String(parts[1]))
        else {
            throw APIError.unauthorized("INVALID_SESSION", "no live session for this token")
        }
        return JSONResponse(.object([("success", .bool(true))]))
    }

    /// Counts one `route` hit against the client address and the hotkey; 429 when either is over the limit.
    private func limit(_ route: String, hotkey: String, _ request: Request, _ context: ArenaRequestContext, _ perMinute: Int,
                       now: Int64) async throws {
        if let address = context.clientAddress(request, trustForwardedFor: services.settings.trustForwardedFor) {
            try await limit("\(route)-ip:\(address)", perMinute, now: now)
        }
        try await limit("\(route):\(hotkey)", perMinute, now: now)
    }

    private func limit(_ key: String, _ perMinute: Int, now: Int64) async throws {
        if let retry = await limiter.hit(key, limit: perMinute, now: now) {
            throw APIError(.tooManyRequests, code: "RATE_LIMIT_EXCEEDED",
                           detail: "at most \(perMinute) requests per minute; retry in \(retry) s",
                           headers: [.retryAfter: String(retry)])
        }
    }

    static func hotkeyFormatError(_ hotkey: String) -> APIError? {
        guard let error = SS58.validate(hotkey) else { return nil }
        return APIError.badRequest("INVALID_HOTKEY_FORMAT", "hotkey is not a valid SS58 address: \(error)")
    }

    static func signatureError(message: String, signature: String, hotkey: String) -> AuthError? {
        do {
            try MessageSignature.verify(message: message, signatureHex: signature, hotkey: hotkey)
            return nil
        } catch {
            return error
        }
    }

    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(count * 2)
        for _ in 0..<count {
            let byte = UInt8.random(in: 0...255, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return text
    }
}
