import ArenaModel
import Hummingbird

/// Answers every request no route matched with a JSON 404 `{detail, error_code}` instead of Hummingbird's empty
/// body (oro-sdk clients parse the body of a 404 and raise on an empty one), or with 405 `METHOD_NOT_ALLOWED` and an
/// `Allow` header when the path is served but not with that method (RFC 9110 §15.5.6).
///
/// Endpoints of ORO's newer evaluation model, which ShopArena does not implement (environment packs, episodes
/// with a simulated shopper, drand race seeds, weight salts, …: `reference/oro-sdk-7.md`), are named as such in
/// `detail`, with `"unsupported": true` and `error_code` `UNSUPPORTED_ENDPOINT` — except where oro-sdk 7.x parses
/// that endpoint's 404 into an error model with a constant `error_code` (race seed commitment and validator
/// variance: RACE_NOT_FOUND; episode feedback: ARTIFACT_NOT_FOUND): the client raises on any other code, so
/// those answer with the model's constant. Anything else is `NOT_FOUND`.
///
/// Add it to the router after every route: Hummingbird wraps only routes added later in a router middleware,
/// and always the not-found responder, so this runs for unmatched requests only.
public struct UnknownRouteMiddleware: RouterMiddleware {
    public typealias Context = ArenaRequestContext

    /// An ORO endpoint ShopArena answers with a clear refusal: its method, path (`{}` = any one segment) and
    /// what it is.
    public struct Unsupported: Sendable {
        public let method: HTTPRequest.Method
        public let path: String
        public let what: String
        /// The `error_code` of the 404 (the client's 404 model constant where it has one).
        public let errorCode: String

        init(_ method: HTTPRequest.Method, _ path: String, _ what: String, errorCode: String = "UNSUPPORTED_ENDPOINT") {
            self.method = method
            self.path = path
            self.what = what
            self.errorCode = errorCode
        }

        func matches(_ method: HTTPRequest.Method, _ segments: [Substring]) -> Bool {
            let pattern = path.split(separator: "/")
            guard method == self.method, pattern.count == segments.count else { return false }
            return zip(pattern, segments).allSatisfy { $0 == "{}" || $0 == $1 }
        }
    }

    /// oro-sdk 7.0.2's endpoints that ShopArena does not serve.
    public static let unsupported: [Unsupported] = [
        Unsupported(.get, "/v1/validator/pack/{}", "environment packs (envpack evaluation)"),
        Unsupported(.post, "/v1/validator/race/{}/pack", "race environment packs (envpack evaluation)"),
        Unsupported(.post, "/v1/validator/episode-results", "multi-turn episode results (envpack evaluation)"),
        Unsupported(.post, "/v1/validator/episode-artifacts/presign", "episode artifacts (envpack evaluation)"),
        Unsupported(.get, "/v1/validator/weight-salt", "per-epoch weight salts and pooled standings"),
        Unsupported(.get, "/v1/public/episode-results/{}/feedback", "episode feedback (envpack evaluation)",
                    errorCode: "ARTIFACT_NOT_FOUND"),
        Unsupported(.get, "/v1/public/races/{}/seed-commitment", "drand race seed commitments", errorCode: "RACE_NOT_FOUND"),
        Unsupported(.get, "/v1/public/races/{}/validator-variance", "per-race validator variance", errorCode: "RACE_NOT_FOUND"),
        Unsupported(.get, "/v1/public/trajectories/history", "the trajectory history feed"),
        Unsupported(.post, "/v1/miner/chutes/exchange-code", "the server-side Chutes OAuth code exchange"),
        Unsupported(.get, "/v1/demo/problems", "the demo API"),
        Unsupported(.get, "/v1/demo/run", "the demo API"),
    ]

    public init() {}

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            throw Self.answer(method: request.method, path: request.uri.path)
        }
    }

    /// The methods the API serves on a path matching `segments` (`{name}` in a documented path = any one segment),
    /// in document order; empty when no documented path matches.
    /// A literal path beats a template (`/v1/miner/inference-auth/default` is not `/…/{provider}`), as in the router.
    public static func allowedMethods(_ segments: [Substring]) -> [String] {
        var matches: [(method: String, templated: Int)] = []
        for operation in OpenAPIDocument.operations {
            let pattern = operation.path.split(separator: "/")
            guard pattern.count == segments.count, zip(pattern, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) else { continue }
            matches.append((operation.method, pattern.filter { $0.hasPrefix("{") }.count))
        }
        guard let fewest = matches.map(\.templated).min() else { return [] }
        var methods: [String] = []
        for match in matches where match.templated == fewest && !methods.contains(match.method) { methods.append(match.method) }
        return methods
    }

    /// The answer for an unmatched `method path`: ORO's unsupported endpoints by name (404), 405 with `Allow` for a
    /// served path asked with another method, else 404 NOT_FOUND.
    public static func answer(method: HTTPRequest.Method, path: String) -> APIError {
        let segments = path.split(separator: "/")
        let allowed = allowedMethods(segments)
        if !allowed.isEmpty, !allowed.contains(method.rawValue), !unsupported.contains(where: { $0.matches(method, segments) }) {
            return APIError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED",
                            detail: "\(method.rawValue) is not served on \(path.prefix(300)); allowed: \(allowed.joined(separator: ", "))",
                            headers: [.allow: allowed.joined(separator: ", ")])
        }
        if let known = unsupported.first(where: { $0.matches(method, segments) }) {
            return APIError(
                .notFound, code: known.errorCode,
                detail: "\(method.rawValue) \(path) is part of ORO's newer evaluation model (\(known.what)), which ShopArena "
                    + "does not implement: it evaluates ShoppingBench problems (execution_kind legacy_shoppingbench). "
                    + "See /openapi.json for what is served.",
                extras: [("unsupported", .bool(true))])
        }
        return APIError.notFound("NOT_FOUND", "no route \(method.rawValue) \(path.prefix(300)); see /openapi.json for the API")
    }
}
