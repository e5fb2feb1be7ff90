import ArenaRuntime
import ArgumentParser
import Backend
import Foundation

/// `shoparena serve`: the arena backend (oro-sdk compatible API) on SQLite or PostgreSQL.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the arena backend: the oro-sdk compatible HTTP API and the lease reaper.",
        discussion: """
            Runs the database migrations, then serves until Ctrl-C or SIGTERM (graceful shutdown: requests in \
            flight finish). Every backend setting can be given as a flag, an environment variable or a key of \
            the JSON --config file; precedence is flag > environment > config file > default:
            \(BackendSettingsResolver.helpText)
            """)

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Option(help: "A SQLite file path, or a postgres://user[:password]@host[:port]/database URL (default: DATA-DIR/arena.sqlite).") var database: String?
    @Option(name: .customLong("data-dir"), help: "Folder for the SQLite database and the blob store (agent code, logs).") var dataDir: String = "shoparena-data"
    @Option(help: "A JSON object of settings (snake_case keys, see above).") var config: String?
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp(
        "Settings as --key value (see above).", valueName: "setting"))
    var settingArguments: [String] = []

    func run() async throws {
        let resolved: BackendSettingsResolver.Resolved
        do {
            resolved = try await BackendSettingsResolver.resolve(file: config, environment: ProcessInfo.processInfo.environment, arguments: settingArguments)
        } catch { throw ValidationError("\(error)") }
        var settings = resolved.settings
        if !resolved.explicit.contains("public_base_url") { settings.publicBaseURL = "http://\(host):\(port)" }
        let store: ArenaStore
        do { store = try await ArenaStore.open(database: database, dataDir: dataDir) } catch { throw ValidationError("\(error)") }
        let server = ArenaServer(host: host, port: port, settings: settings, store: store)
        let host = host
        try await ListenFailure.explaining(host: host, port: port) {
            try await server.run(onListening: { port in
                printError("shoparena: serving the arena's pages on http://\(host):\(port)/ and its API (store: \(store.description); docs: /openapi.json)")
            })
        }
    }
}

/// `admin` and `serve` open the store through the runtime's one `ArenaStore.open`.
typealias ArenaStore = ArenaRuntime.ArenaStore
