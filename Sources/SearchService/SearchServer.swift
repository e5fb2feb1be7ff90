import Hummingbird
import Logging
import Search

/// A runnable search HTTP server: ``SearchRoutes`` on a Hummingbird application.
public enum SearchServer {
    /// Builds the application; run it with `runService()` (graceful shutdown on SIGINT/SIGTERM).
    public static func makeApplication(
        engine: any ProductSearching, host: String = "127.0.0.1", port: Int = 5631, logger: Logger? = nil
    ) -> some ApplicationProtocol {
        let router = Router()
        SearchRoutes(engine: engine).register(on: router)
        var log = logger ?? Logger(label: "shoparena.search")
        if logger == nil { log.logLevel = .notice }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "shoparena-search"),
            logger: log)
    }
}
