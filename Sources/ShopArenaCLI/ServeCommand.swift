import ArgumentParser
import Backend
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Store
import Web

/// `shoparena serve`: the arena backend (oro-sdk compatible API) on SQLite or PostgreSQL.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the arena backend: the oro-sdk compatible HTTP API and the lease reaper.",
        discussion: """
            Runs the database migrations, then serves until Ctrl-C or SIGTERM (graceful shutdown: requests in \
            flight finish). Every backend setting can be given as a flag, an environment variable or a key of \
            the JSON --config file; precedence is flag > environment > config file > default:
            \(ServeSettings.helpText)
            """)

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port: Int = 8080

    @Option(help: "A SQLite file path, or a postgres://user[:password]@host[:port]/database URL (default: DATA-DIR/arena.sqlite).")
    var database: String?

    @Option(name: .customLong("data-dir"), help: "Folder for the SQLite database and the blob store (agent code, logs).")
    var dataDir: String = "shoparena-data"

    @Option(help: "A JSON object of settings (snake_case keys, see above).")
    var config: String?

    @Option(name: .customLong("required-successes"), help: "Setting required_successes (see above).") var requiredSuccesses: String?
    @Option(name: .customLong("lease-seconds"), help: "Setting lease_seconds (see above).") var leaseSeconds: String?
    @Option(name: .customLong("reaper-interval-seconds"), help: "Setting reaper_interval_seconds (see above).") var reaperIntervalSeconds: String?
    @Option(name: .customLong("submission-cooldown-seconds"), help: "Setting submission_cooldown_seconds (see above).") var submissionCooldownSeconds: String?
    @Option(name: .customLong("security-violation-cooldown-seconds"), help: "Setting security_violation_cooldown_seconds (see above).") var securityViolationCooldownSeconds: String?
    @Option(name: .customLong("open-miner-registration"), help: "Setting open_miner_registration (see above).") var openMinerRegistration: String?
    @Option(name: .customLong("max-agent-bytes"), help: "Setting max_agent_bytes (see above).") var maxAgentBytes: String?
    @Option(name: .customLong("max-upload-bytes"), help: "Setting max_upload_bytes (see above).") var maxUploadBytes: String?
    @Option(name: .customLong("upload-url-seconds"), help: "Setting upload_url_seconds (see above).") var uploadUrlSeconds: String?
    @Option(name: .customLong("public-base-url"), help: "Setting public_base_url (see above).") var publicBaseUrl: String?
    @Option(name: .customLong("python-executable"), help: "Setting python_executable (see above).") var pythonExecutable: String?
    @Option(name: .customLong("python-runtime-path"), help: "Setting python_runtime_path (see above).") var pythonRuntimePath: String?
    @Option(name: .customLong("analyzer-timeout-seconds"), help: "Setting analyzer_timeout_seconds (see above).") var analyzerTimeoutSeconds: String?
    @Option(name: .customLong("session-ttl-seconds"), help: "Setting session_ttl_seconds (see above).") var sessionTtlSeconds: String?
    @Option(name: .customLong("challenge-ttl-seconds"), help: "Setting challenge_ttl_seconds (see above).") var challengeTtlSeconds: String?
    @Option(name: .customLong("inference-models"), help: "Setting inference_models (see above).") var inferenceModels: String?
    @Option(name: .customLong("credential-key"), help: "Setting credential_key (see above).") var credentialKey: String?
    @Option(name: .customLong("require-inference-credential"), help: "Setting require_inference_credential (see above).") var requireInferenceCredential: String?
    @Option(name: .customLong("requeue-top-n"), help: "Setting requeue_top_n (see above).") var requeueTopN: String?
    @Option(name: .customLong("qualifying-close-time"), help: "Setting qualifying_close_time (see above).") var qualifyingCloseTime: String?
    @Option(name: .customLong("qualifying-time-zone"), help: "Setting qualifying_time_zone (see above).") var qualifyingTimeZone: String?
    @Option(name: .customLong("race-problem-count"), help: "Setting race_problem_count (see above).") var raceProblemCount: String?
    @Option(name: .customLong("qualifying-ratio"), help: "Setting qualifying_ratio (see above).") var qualifyingRatio: String?
    @Option(name: .customLong("challenge-headroom-fraction"), help: "Setting challenge_headroom_fraction (see above).") var challengeHeadroomFraction: String?
    @Option(name: .customLong("challenge-half-life-days"), help: "Setting challenge_half_life_days (see above).") var challengeHalfLifeDays: String?
    @Option(name: .customLong("emission-grace-days"), help: "Setting emission_grace_days (see above).") var emissionGraceDays: String?
    @Option(name: .customLong("emission-decay-per-day"), help: "Setting emission_decay_per_day (see above).") var emissionDecayPerDay: String?
    @Option(name: .customLong("emission-floor"), help: "Setting emission_floor (see above).") var emissionFloor: String?
    @Option(name: .customLong("emission-decay"), help: "Setting emission_decay (see above).") var emissionDecay: String?

    var flagValues: [String: String] {
        let all: [String: String?] = [
            "required_successes": requiredSuccesses,
            "lease_seconds": leaseSeconds,
            "reaper_interval_seconds": reaperIntervalSeconds,
            "submission_cooldown_seconds": submissionCooldownSeconds,
            "security_violation_cooldown_seconds": securityViolationCooldownSeconds,
            "open_miner_registration": openMinerRegistration,
            "max_agent_bytes": maxAgentBytes,
            "max_upload_bytes": maxUploadBytes,
            "upload_url_seconds": uploadUrlSeconds,
            "public_base_url": publicBaseUrl,
            "python_executable": pythonExecutable,
            "python_runtime_path": pythonRuntimePath,
            "analyzer_timeout_seconds": analyzerTimeoutSeconds,
            "session_ttl_seconds": sessionTtlSeconds,
            "challenge_ttl_seconds": challengeTtlSeconds,
            "inference_models": inferenceModels,
            "credential_key": credentialKey,
            "require_inference_credential": requireInferenceCredential,
            "requeue_top_n": requeueTopN,
            "qualifying_close_time": qualifyingCloseTime,
            "qualifying_time_zone": qualifyingTimeZone,
            "race_problem_count": raceProblemCount,
            "qualifying_ratio": qualifyingRatio,
            "challenge_headroom_fraction": challengeHeadroomFraction,
            "challenge_half_life_days": challengeHalfLifeDays,
            "emission_grace_days": emissionGraceDays,
            "emission_decay_per_day": emissionDecayPerDay,
            "emission_floor": emissionFloor,
            "emission_decay": emissionDecay,
        ]
        return all.compactMapValues { $0 }
    }

    func run() async throws {
        let (resolved, explicit) = try Self.settings(config: config, flags: flagValues)
        var settings = resolved
        if !explicit.contains("public_base_url") { settings.publicBaseURL = "http://\(host):\(port)" }
        let store = try await ArenaStore.open(database: database, dataDir: dataDir)
        let services = BackendServices(database: store.database, blobs: store.blobs, settings: settings)
        var logger = Logger(label: "shoparena.serve")
        logger.logLevel = .info
        let where_ = store.description
        let website = try ArenaWebsite(
            services: services, corpus: StoredCorpusFigures(repository: TrajectoryRepository(database: services.database)),
            logger: logger)
        let app = BackendApplication.make(services: services, host: host, port: port, logger: logger, onServerRunning: { port in
            printError("shoparena: serving the arena's pages on http://\(host):\(port)/ and its API (store: \(where_); docs: /openapi.json)")
        }, extend: { website.mount(on: $0) })
        // The lease reaper frees lapsed runs; the race scheduler closes qualifying and finishes races on time.
        let races = RaceScheduler(engine: RaceEngine(database: store.database, settings: .init(backend: settings)),
                                  clock: services.clock, logger: logger)
        // The corpus sweep ingests any completed run whose trajectories are missing (e.g. after a restart).
        let group = ServiceGroup(services: [app, LeaseReaper(services: services, logger: logger), races,
                                            CorpusIngestService(services: services, logger: logger)],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            await store.database.close()
            throw ListenFailure.explain(error, listener: self)
        }
        await store.database.close()
    }

    static func settings(config: String?, flags: [String: String]) throws -> (BackendSettings, Set<String>) {
        do {
            return try ServeSettings.resolve(file: config, environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// The database and blob store `serve` and `admin` open: SQLite in the data folder unless a postgres:// URL is
/// given; migrations are applied on open. Blobs go with the database: files in the data folder for SQLite,
/// the `blobs` table for PostgreSQL (shared by every replica).
struct ArenaStore {
    let database: any SQLDatabase
    let blobs: any BlobStore
    let description: String

    static func open(database: String?, dataDir: String) async throws -> ArenaStore {
        let folder = URL(fileURLWithPath: dataDir)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("cannot create the data folder \(dataDir): \(error.localizedDescription)")
        }
        let target = database ?? folder.appendingPathComponent("arena.sqlite").path
        let opened: any SQLDatabase
        do {
            if target.hasPrefix("postgres://") || target.hasPrefix("postgresql://") {
                opened = try PostgresDatabase(url: target)
            } else {
                opened = try SQLiteDatabase(path: target)
            }
            _ = try await Migrator().migrate(opened, now: SystemClock().nowMillis())
        } catch {
            throw ValidationError("cannot open the database \(target): \(error)")
        }
        let blobs: any BlobStore
        do {
            blobs = try BlobStores.matching(opened, fileRoot: folder.appendingPathComponent("blobs"))
        } catch {
            throw ValidationError("cannot open the blob store in \(dataDir): \(error)")
        }
        let shown = target.hasPrefix("postgres") ? "PostgreSQL" : "SQLite \(target)"
        return ArenaStore(database: opened, blobs: blobs, description: shown)
    }
}
