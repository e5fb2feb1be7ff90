import ArenaModel
import Hummingbird
import Logging
import Store

/// Builds the arena's HTTP application: `/health`, `/v1/public/*`, `/v1/auth/*` (unsigned), and the signed
/// `/v1/miner/*`, `/v1/validator/*` and `/v1/admin/*` groups, each behind `AuthMiddleware` with its role.
public enum BackendApplication {
    /// The router with every route of the API. Tests drive it with HummingbirdTesting; `serve` binds it.
    /// `metrics` counts every request and is served at `GET /metrics` (a registry of its own unless given).
    public static func makeRouter(services: BackendServices,
                                  metrics: BackendMetrics = BackendMetrics()) -> Router<ArenaRequestContext> {
        let router = Router(context: ArenaRequestContext.self)
        // First: Hummingbird applies a middleware only to routes added after it.
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        MetricsRoute(services: services, metrics: metrics).register(on: router)
        router.get("/health") { _, _ in
            JSONResponse(.object([("status", "ok"), ("service", "shoparena-backend")]))
        }
        router.get("/health/deep") { _, _ in try await deepHealth(services) }
        OpenAPIRoutes().register(on: router)
        PublicRoutes(services: services).register(on: router.group("v1/public"))
        let races = RaceRoutes(services: services, engine: RaceEngine(database: services.database, settings: .init(backend: services.settings)))
        races.registerPublic(on: router.group("v1/public/races"))
        races.registerAdmin(on: router.group("v1/admin/races").add(middleware: AuthMiddleware(services: services, role: .admin)))
        AuthRoutes(services: services).register(on: router.group("v1/auth"))
        UploadRoutes(services: services).register(on: router)
        MinerRoutes(services: services).register(
            on: router.group("v1/miner").add(middleware: AuthMiddleware(services: services, role: .miner)))
        ValidatorRoutes(services: services).register(
            on: router.group("v1/validator").add(middleware: AuthMiddleware(services: services, role: .validator)))
        AdminRoutes(services: services).register(
            on: router.group("v1/admin").add(middleware: AuthMiddleware(services: services, role: .admin)))
        CorpusRoutes(services: services).register(on: router)
        // Last: it then wraps only the not-found responder (JSON 404s, ORO's newer endpoints named as unsupported).
        router.add(middleware: UnknownRouteMiddleware())
        return router
    }

    /// `/health/deep` (oro-sdk 7.x): liveness plus one database round trip; 503 when the database does not answer.
    static func deepHealth(_ services: BackendServices) async throws -> JSONResponse {
        do {
            let schema = try await services.database.ping()
            return JSONResponse(.object([("status", "ok"), ("service", "shoparena-backend"), ("database", "ok"),
                                         ("schema_version", schema.map { .int($0) } ?? .null)]))
        } catch {
            return JSONResponse(.object([("status", "degraded"), ("service", "shoparena-backend"),
                                         ("database", .string("\(error)"))]), status: .serviceUnavailable)
        }
    }

    /// A ready-to-run application on `host:port`. `extend` adds routes after the API's (the web pages).
    public static func make(services: BackendServices, host: String, port: Int, logger: Logger,
                            metrics: BackendMetrics = BackendMetrics(),
                            onServerRunning: (@Sendable (Int) async -> Void)? = nil,
                            extend: ((Router<ArenaRequestContext>) -> Void)? = nil) -> some ApplicationProtocol {
        let router = makeRouter(services: services, metrics: metrics)
        extend?(router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "shoparena"),
            onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
