import Hummingbird
import Logging
import Store

/// Builds the arena's HTTP application: `/health`, `/v1/public/*`, `/v1/auth/*` (unsigned), and the signed
/// `/v1/miner/*`, `/v1/validator/*` and `/v1/admin/*` groups, each behind `AuthMiddleware` with its role.
public enum BackendApplication {
    /// The router with every route of the API. Tests drive it with HummingbirdTesting; `serve` binds it.
    public static func makeRouter(services: BackendServices) -> Router<ArenaRequestContext> {
        let router = Router(context: ArenaRequestContext.self)
        router.get("/health") { _, _ in
            JSONResponse(.object([("status", "ok"), ("service", "shoparena-backend")]))
        }
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
        return router
    }

    /// A ready-to-run application on `host:port`.
    public static func make(services: BackendServices, host: String, port: Int, logger: Logger,
                            onServerRunning: (@Sendable (Int) async -> Void)? = nil) -> some ApplicationProtocol {
        Application(
            router: makeRouter(services: services),
            configuration: .init(address: .hostname(host, port: port), serverName: "shoparena"),
            onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
