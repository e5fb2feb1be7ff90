import ArenaModel
import Foundation
import Hummingbird
import Identity
import Judge
import Logging
import Sandbox
import Search
import ServiceLifecycle
import UnixSignals
import Validator

/// `shoparena validator`: one validator daemon against a backend (or several replicas of one arena, failing over
/// between them on no answer or a 5xx — `BackendEndpoints`), with its evaluation environment (from an
/// ``EvaluationEnvironmentBuilder``), its live model allowlist, its retry queue and its Prometheus endpoint, run as one
/// service group until SIGTERM/SIGINT (reference/oro-validator.md §7).
public struct ValidatorNode: Sendable {
    /// The backend replicas in preference order (one arena, one database); never empty.
    public var backendURLs: [String]
    /// The first replica.
    public var backendURL: String { backendURLs.first ?? "" }
    public var keypair: Sr25519.Keypair
    /// Index, sandbox, scorer, judge, inference upstream. With `allowedModels` empty, the backend's list is used
    /// (refreshed every `allowlistRefresh` seconds, the built-in defaults until it answers).
    public var environment: EvaluationEnvironmentBuilder
    public var allowlistRefresh: Double = 900
    public var pollInterval: Double = 30
    public var heartbeatInterval: Double = 30
    /// Port for `/metrics` on 127.0.0.1 (0: off).
    public var metricsPort = 9100
    /// The retry queue file for complete calls that failed transiently.
    public var retryQueue: URL
    public var maxRuns: Int?

    public init(backendURL: String, keypair: Sr25519.Keypair, environment: EvaluationEnvironmentBuilder, retryQueue: URL) {
        self.init(backendURLs: [backendURL], keypair: keypair, environment: environment, retryQueue: retryQueue)
    }

    public init(backendURLs: [String], keypair: Sr25519.Keypair, environment: EvaluationEnvironmentBuilder, retryQueue: URL) {
        self.backendURLs = backendURLs
        self.keypair = keypair
        self.environment = environment
        self.retryQueue = retryQueue
    }

    /// Builds everything and runs until a shutdown signal (or `maxRuns`).
    public func run(console: Console) async throws {
        var logger = Logger(label: "shoparena.validator")
        logger.logLevel = .info
        Self.removeDeadValidatorFolders(in: FileManager.default.temporaryDirectory)
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-validator-\(getpid())")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let engine = try environment.openIndex(scratch: temporary)
        // Pinned models; otherwise the backend's list, with the built-in defaults until it answers.
        let endpoints = BackendEndpoints(backendURLs)
        var builder = environment
        var allowlist: BackendModelAllowlist?
        if environment.allowedModels.isEmpty {
            let live = BackendModelAllowlist(endpoints: endpoints, fallback: InferenceModels.defaults,
                                             settings: .init(refreshInterval: allowlistRefresh), logger: logger)
            await live.refresh()
            allowlist = live
            builder.allowedModels = InferenceModels.defaults
        }
        let evaluation = try builder.validatorEnvironment(
            engine: engine, heartbeatInterval: heartbeatInterval, workDirectory: temporary.appendingPathComponent("runs"),
            modelAllowlist: allowlist)
        var settings = ValidatorDaemon.Settings(backendURLs: endpoints.urls)
        settings.pollInterval = pollInterval
        settings.maxRuns = maxRuns
        let metrics = ValidatorMetrics()
        let signer = RequestSigner(keypair: keypair)
        let daemon = ValidatorDaemon(settings: settings, signer: signer, environment: evaluation,
                                     metrics: metrics, retryQueue: RetryQueue(path: retryQueue), logger: logger)
        console.note("validator \(keypair.publicKey.ss58Address()) → \(endpoints.urls.joined(separator: ", ")); \(engine.documentCount) products; judge: "
            + (environment.judge.map { $0.models.joined(separator: ",") } ?? "rule") + "; "
            + evaluation.runner.capabilities.summary)
        let swept = evaluation.runner.leftoversSwept
        if !swept.isEmpty {
            console.note("swept the sandboxes of \(swept.owners) dead validator process(es): \(swept.processes) processes killed, "
                + "\(swept.cgroups) cgroups removed")
        }
        if let allowlist {
            let (models, origin) = await allowlist.snapshot()
            console.note("model allowlist (\(origin == .backend ? "from the backend" : "built-in, the backend did not answer")): "
                + (models ?? []).joined(separator: ", "))
        } else {
            console.note("model allowlist (--allow-model): " + environment.allowedModels.joined(separator: ", "))
        }
        var services: [any ServiceLifecycle.Service] = [daemon]
        if metricsPort > 0 {
            let router = Router()
            router.get("/metrics") { _, _ in metrics.prometheusText() }
            services.append(Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: metricsPort)),
                                        logger: logger))
        }
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Removes the `shoparena-validator-<pid>` folders (index scratch, agent files) of validators that are gone — a
    /// SIGKILLed one cannot remove its own. A folder whose pid runs (this validator or another) is kept.
    static func removeDeadValidatorFolders(in parent: URL) {
        let prefix = "shoparena-validator-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }
}
