import ArenaClient
import ArenaModel
import AsyncHTTPClient
import Backend
import Foundation
import Hummingbird
import Identity
import Judge
import ArenaRuntime
import Logging
import NIOHTTP1
import Sandbox
import Scoring
import Search
import ServiceLifecycle
import Store
import ShopArenaTesting
import Synchronization
import TestSupport
import Testing
import Validator

/// One `shoparena serve` replica, in process: its own connection pool to the shared PostgreSQL database, the
/// blob store that goes with it (rows in PostgreSQL), the API on its own port, the lease reaper and the race
/// scheduler — what `serve --database postgres://…` runs.
final class Replica: Sendable {
    let services: BackendServices
    let baseURL: String
    let group: ServiceGroup
    let running: Task<Void, any Error>
    /// Set when the replica was built to die right after answering a claim.
    let tripwire: Tripwire?

    private init(services: BackendServices, baseURL: String, group: ServiceGroup, running: Task<Void, any Error>,
                 tripwire: Tripwire?) {
        self.services = services
        self.baseURL = baseURL
        self.group = group
        self.running = running
        self.tripwire = tripwire
    }

    /// Starts a replica over `databaseURL` and returns once it listens. With `dieAfterClaim`, the first request
    /// after it answered a claim shuts it down (answered 503 while it goes): a replica killed mid-flow.
    static func start(databaseURL: String, root: URL, dieAfterClaim: Bool = false) async throws -> Replica {
        let database = try PostgresDatabase(url: databaseURL, maxConnections: 10)
        try await Migrator().migrate(database, now: SystemClock().nowMillis())
        let port = LocalArena.freePort()
        var settings = BackendSettings()
        settings.publicBaseURL = "http://127.0.0.1:\(port)"
        settings.pythonRuntimePath = root.appendingPathComponent("python").path
        settings.submissionCooldownSeconds = 0
        settings.requiredSuccesses = 1
        settings.reaperIntervalSeconds = 0.2
        let services = BackendServices(
            database: database,
            blobs: try BlobStores.matching(database, fileRoot: FileManager.default.temporaryDirectory.appendingPathComponent("unused")),
            settings: settings)
        var logger = Logger(label: "replica-\(port)")
        logger.logLevel = .warning
        let tripwire = dieAfterClaim ? Tripwire() : nil
        let router = BackendApplication.makeRouter(services: services).buildResponder()
        let responder = CallbackResponder<ArenaRequestContext> { request, context in
            let path = request.uri.path
            if let tripwire, tripwire.tripsOn(path: path) {
                Task { await tripwire.group?.triggerGracefulShutdown() }
                return Response(status: .serviceUnavailable)
            }
            let response = try await router.respond(to: request, context: context)
            if path.hasSuffix("/v1/validator/work/claim"), response.status == .ok { tripwire?.claimAnswered() }
            return response
        }
        let (listening, listeningSignal) = AsyncStream<Void>.makeStream()
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { _ in listeningSignal.yield() }, logger: logger)
        let races = RaceScheduler(engine: RaceEngine(database: database, settings: .init(backend: settings)),
                                  clock: services.clock, interval: 0.2, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: app), .init(service: LeaseReaper(services: services, logger: logger)), .init(service: races)],
            logger: logger))
        tripwire?.set(group: group)
        let running = Task { try await group.run() }
        for await _ in listening { break }
        return Replica(services: services, baseURL: "http://127.0.0.1:\(port)", group: group, running: running, tripwire: tripwire)
    }

    /// Shuts the replica down (requests in flight finish) and closes its connection pool.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await services.database.close()
    }
}

/// The kill switch of a replica that dies mid-flow: armed by the claim it answers, tripped by the next request.
final class Tripwire: Sendable {
    private let state = Mutex<(claimAnswered: Bool, tripped: Bool)>((false, false))
    private let groupBox = Mutex<ServiceGroup?>(nil)

    var group: ServiceGroup? { groupBox.withLock { $0 } }
    var tripped: Bool { state.withLock { $0.tripped } }

    func set(group: ServiceGroup) { groupBox.withLock { $0 = group } }
    func claimAnswered() { state.withLock { $0.claimAnswered = true } }

    /// True once, for the first request after a claim (the one that finds the replica dying).
    func tripsOn(path: String) -> Bool {
        state.withLock {
            if $0.tripped { return true }
            guard $0.claimAnswered, !path.hasSuffix("/v1/validator/work/claim") else { return false }
            $0.tripped = true
            return true
        }
    }
}

/// Two replicas over one fresh PostgreSQL database, a generated 3-problem suite (active, X = 1) and a miner
/// with an inference credential.
struct ReplicaArena {
    let a: Replica
    let b: Replica
    let files: ArenaFiles
    let directory: URL
    let root: URL
    let miner: RequestSigner

    static func make(aDiesAfterClaim: Bool = false) async throws -> ReplicaArena {
        let root = SharedData.repositoryRoot()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("replicas-\(UUID().uuidString)")
        let files = ArenaFiles(directory: directory)
        try await files.prepare(products: 400, problems: 3, seed: 11, log: { _ in })
        let url = try await PostgresTestServer.shared.freshDatabaseURL()
        let a = try await Replica.start(databaseURL: url, root: root, dieAfterClaim: aDiesAfterClaim)
        let b = try await Replica.start(databaseURL: url, root: root)
        let now = SystemClock().nowMillis()
        let suites = SuiteRepository(database: a.services.database)
        let suite = try await suites.create(try SuiteRepository.load(uri: files.suite.path), sourceURI: nil, now: now)
        _ = try await suites.activate(suite.suiteID, requeueTopN: 0, requiredSuccesses: 1, now: now, makeID: { UUIDText.random() })
        let miner = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        try await a.services.identities.register(miner.hotkey, role: .miner, now: now)
        _ = try await a.services.credentials.store("miner-token", forMiner: miner.hotkey, now: now)
        return ReplicaArena(a: a, b: b, files: files, directory: directory, root: root, miner: miner)
    }

    /// The baseline example agent, submitted through `replica` as the oro CLI does (signed multipart).
    func submit(through replica: Replica) async throws -> (versionID: String, code: [UInt8]) {
        let code = Array(try String(contentsOf: root.appendingPathComponent("examples/agents/baseline_agent.py"), encoding: .utf8).utf8)
        let answer = try await ArenaClient(baseURL: replica.baseURL, signer: miner)
            .submit(agentName: "replicated", fileName: "agent.py", code: code)
        let versionID = try #require(answer?["agent_version_id"]?.stringValue)
        return (versionID, code)
    }

    /// A validator hotkey registered with the arena.
    func validatorSigner() async throws -> RequestSigner {
        let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        try await b.services.identities.register(signer.hotkey, role: .validator, now: SystemClock().nowMillis())
        return signer
    }

    /// A validator daemon (sandbox, search, rule judge) configured with `urls`, stopping after one run.
    func daemon(urls: [String], logger: Logger) async throws -> ValidatorDaemon {
        let engine = try SearchIndex.open(path: files.index.path)
        let runner = try SandboxRunner(configuration: SandboxConfiguration(
            python: try SandboxPython.url(), runtimeDirectory: root.appendingPathComponent("python"),
            workDirectory: directory.appendingPathComponent("sandbox")))
        let environment = EvaluationEnvironment(
            runner: runner, engine: engine, scorer: OutcomeScorer(profile: .oro, products: engine, similarity: LexicalTitleSimilarity()),
            judge: RuleJudge(), inferenceBaseURL: nil, allowedModels: ["m"], workers: 2, heartbeatInterval: 1, progressInterval: 0.5,
            workDirectory: directory.appendingPathComponent("runs"))
        var settings = ValidatorDaemon.Settings(backendURLs: urls)
        settings.pollInterval = 0.2
        settings.backoff = Backoff(initial: 0.2, maximum: 1)
        settings.maxRuns = 1
        return ValidatorDaemon(settings: settings, signer: try await validatorSigner(), environment: environment,
                               retryQueue: RetryQueue(path: nil), logger: logger)
    }

    /// Reports every problem of `run` as a validator does: a gzip log uploaded (presign + PUT) and a progress
    /// entry naming it. Returns each problem's uploaded bytes.
    func reportProblems(_ client: BackendClient, run: Validator.ClaimedRun, problems: [Validator.RunProblem]) async throws -> [String: [UInt8]] {
        var logs: [String: [UInt8]] = [:]
        var entries: [JSONValue] = []
        for problem in problems {
            let bytes = StoredGzip.wrap(Array(#"{"problem_id":"\#(problem.problemID)","status":"SUCCESS"}"#.utf8))
            let key = try await client.uploadLog(run: run.evalRunID, problem: problem.problemID, bytes: bytes)
            logs[problem.problemID] = bytes
            entries.append(.object([("problem_id", .string(problem.problemID)), ("status", "SUCCESS"), ("score", .double(1)),
                                    ("logs_s3_key", .string(key))]))
        }
        try await client.progress(run: run.evalRunID, problems: entries)
        return logs
    }

    static let success: JSONValue = .object([
        ("terminal_status", "SUCCESS"), ("validator_score", .double(0.75)), ("score_components", .object([])),
    ])

    /// A problem's log as the public API serves it through `replica` (download-url, then the blob).
    func publicLog(through replica: Replica, versionID: String, runID: String, problemID: String, http: HTTPClient) async throws -> [UInt8] {
        let answer = try await ArenaClient(baseURL: replica.baseURL, http: http).call(.POST, "/v1/public/artifacts/download-url", json: .object([
            ("artifact_type", "EVAL_PROBLEM_LOGS"), ("agent_version_id", .string(versionID)), ("eval_run_id", .string(runID)),
            ("problem_id", .string(problemID)),
        ]))
        let url = try #require(answer?["download_url"]?.stringValue)
        #expect(url.hasPrefix(replica.baseURL + "/"))
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        #expect(response.status == .ok)
        return Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
    }

    func stop() async {
        await a.stop()
        await b.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
