import ArenaModel
import Backend
import Foundation
import Hummingbird
import Identity
import Judge
import ArenaRuntime
import AsyncHTTPClient
import Logging
import Sandbox
import Scoring
import Search
import ServiceLifecycle
import Store
import TestSupport
import Validator

/// A backend served over real HTTP on 127.0.0.1 (SQLite, lease reaper running) with a small suite and one
/// submitted agent, plus factories for validator daemons — for the fault tests of the validator loop.
struct ValidatorHarness {
    let services: BackendServices
    let baseURL: String
    let engine: SearchIndex
    let python: URL
    let root: URL
    let directory: URL
    let agentVersionID: String

    /// Builds the arena (suite of `problems` generated problems, `agent` submitted needing `required` successes).
    ///
    /// `clock` (e.g. a `ManualClock`) drives the backend's leases, claims and reaper; signed requests are still
    /// checked against the wall clock the validators sign with.
    static func make(problems: Int = 4, required: Int = 1, leaseSeconds: Double = 120, agentCode: String? = nil,
                     minerConnectsInference: Bool = true, retryPolicy: RunRetryPolicy = .default,
                     clock: (any ArenaClock)? = nil) async throws -> ValidatorHarness {
        let root = SharedData.repositoryRoot()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vh-\(UUID().uuidString)")
        let files = ArenaFiles(directory: directory)
        try await files.prepare(products: 800, problems: problems, seed: 7, log: { _ in })
        let database = try SQLiteDatabase(path: directory.appendingPathComponent("arena.sqlite").path)
        try await Migrator().migrate(database, now: SystemClock().nowMillis())
        let port = LocalArena.freePort()
        var settings = BackendSettings()
        settings.leaseSeconds = leaseSeconds
        settings.reaperIntervalSeconds = 0.2
        settings.requiredSuccesses = required
        settings.publicBaseURL = "http://127.0.0.1:\(port)"
        settings.runRetryPolicy = retryPolicy
        let blobs = try FileBlobStore(root: directory.appendingPathComponent("blobs"))
        let services = clock.map {
            BackendServices(database: database, blobs: blobs, clock: $0, settings: settings,
                            verifier: RequestVerifier(nonceStore: DatabaseNonceStore(database: database)))
        } ?? BackendServices(database: database, blobs: blobs, settings: settings)
        let now = services.now()
        let suites = SuiteRepository(database: database)
        let suite = try await suites.create(try SuiteRepository.load(uri: files.suite.path), sourceURI: nil, now: now)
        _ = try await suites.activate(suite.suiteID, requeueTopN: 0, requiredSuccesses: required, now: now, makeID: { UUIDText.random() })
        let miner = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        try await services.identities.register(miner.hotkey, role: .miner, now: now)
        if minerConnectsInference { _ = try await services.credentials.store("miner-token", forMiner: miner.hotkey, now: now) }
        let baseline = try String(contentsOf: root.appendingPathComponent("examples/agents/baseline_agent.py"), encoding: .utf8)
        let code = Array((agentCode ?? baseline).utf8)
        let sha = try await services.blobs.put(code)
        let result = try await services.agents.submit(
            .init(minerHotkey: miner.hotkey, agentName: "agent", codeSHA256: sha, codeSize: Int64(code.count), cooldownMillis: 0,
                  requiredSuccesses: required, now: now),
            workItemID: UUIDText.random(), newID: { UUIDText.random() })
        guard case .accepted(_, let versionID, _, _, _, _) = result else { throw HarnessError(description: "submission refused: \(result)") }
        return ValidatorHarness(services: services, baseURL: "http://127.0.0.1:\(port)", engine: try SearchIndex.open(path: files.index.path),
                                python: try SandboxPython.url(), root: root, directory: directory, agentVersionID: versionID)
    }

    struct HarnessError: Error, CustomStringConvertible { var description: String }

    /// The backend's services (HTTP app and, unless the test drives its passes itself, the lease reaper) as a
    /// service group.
    func serviceGroup(logger: Logger, runsReaper: Bool = true) -> ServiceGroup {
        let port = Int(baseURL.split(separator: ":").last!)!
        let app = BackendApplication.make(services: services, host: "127.0.0.1", port: port, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
        if runsReaper { services.append(.init(service: LeaseReaper(services: self.services, logger: logger))) }
        return ServiceGroup(configuration: .init(services: services, logger: logger))
    }

    /// A validator registered with the backend; `judge` defaults to the rule judge, `inferenceBaseURL` (the agents'
    /// LLM provider, model `m` allowed) to none.
    func validator(judge: any ReasoningJudge = RuleJudge(), maxRuns: Int? = 1, inferenceBaseURL: String? = nil,
                   logger: Logger) async throws -> ValidatorDaemon {
        let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        try await services.identities.register(signer.hotkey, role: .validator, now: SystemClock().nowMillis())
        let runner = try SandboxRunner(configuration: SandboxConfiguration(
            python: python, runtimeDirectory: root.appendingPathComponent("python"),
            workDirectory: directory.appendingPathComponent("sandbox-\(UUID().uuidString.prefix(8))")))
        let environment = EvaluationEnvironment(
            runner: runner, engine: engine, scorer: OutcomeScorer(profile: .oro, products: engine, similarity: LexicalTitleSimilarity()),
            judge: judge, inferenceBaseURL: inferenceBaseURL, allowedModels: ["m"], workers: 2, heartbeatInterval: 1, progressInterval: 0.5,
            workDirectory: directory.appendingPathComponent("runs-\(UUID().uuidString.prefix(8))"))
        var settings = ValidatorDaemon.Settings(backendURL: baseURL)
        settings.pollInterval = 0.2
        settings.backoff = Backoff(initial: 0.2, maximum: 1)
        settings.maxRuns = maxRuns
        return ValidatorDaemon(settings: settings, signer: signer, environment: environment, retryQueue: RetryQueue(path: nil), logger: logger)
    }

    /// A client signing as a fresh registered validator (to play a validator by hand).
    func manualValidator(http: HTTPClient) async throws -> BackendClient {
        let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        try await services.identities.register(signer.hotkey, role: .validator, now: SystemClock().nowMillis())
        return BackendClient(baseURL: baseURL, signer: signer, http: http)
    }

    func versionState() async throws -> (state: String, finalScore: Double?) {
        try await services.database.read { db in
            let row = try await db.first("SELECT state, final_score FROM agent_versions WHERE agent_version_id = ?", [.text(agentVersionID)])
            return (try row?.string("state") ?? "?", row?.optionalDouble("final_score"))
        }
    }

    func runStatuses() async throws -> [(status: String, reason: String?)] {
        try await services.database.read { db in
            try await db.query("SELECT status, failure_reason FROM evaluation_runs ORDER BY claimed_at", []).map {
                (try $0.string("status"), $0.optionalString("failure_reason"))
            }
        }
    }

    /// Waits until `condition` holds (checked every 100 ms) or `seconds` pass.
    static func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }
}
