import ArenaModel
import AsyncHTTPClient
import Backend
import Corpus
import Foundation
import Hummingbird
import Identity
import Judge
import LLM
import Logging
import Sandbox
import Scoring
import Search
import ServiceLifecycle
import Store
import Validator
import Web

/// The whole arena in one process on embedded defaults: backend (SQLite + file blobs), validators with their
/// own sandbox, proxy and search index, and an LLM stub — for `shoparena demo`, the end-to-end tests and
/// `shoparena bench e2e`. Everything goes through the real HTTP API, as separate processes would.
public struct LocalArena: Sendable {
    public struct Configuration: Sendable {
        public var directory: URL
        public var products = 2_000
        public var problems = 30
        public var seed: UInt64 = 42
        public var validators = 2
        public var requiredSuccesses = 2
        /// Backend port on 127.0.0.1 (0: a free one).
        public var port = 0
        public var agents: [URL]
        public var python: URL
        public var runtime: URL
        public var workersPerValidator = 2
        public var problemTimeout: Double = 120
        /// A real OpenAI-compatible upstream for agents and judge; nil starts the stub.
        public var llmURL: String?
        public var llmKey: String?
        public var model = "shoparena-stub"
        public var judgeModels: [String] = []
        public var insecure = false
        /// Give up waiting for eligibility after this many seconds.
        public var deadlineSeconds: Double = 900
        /// A `postgres://` URL to run the backend on instead of the SQLite file under `directory/arena`.
        public var databaseURL: String?

        public init(directory: URL, agents: [URL], python: URL, runtime: URL) {
            self.directory = directory
            self.agents = agents
            self.python = python
            self.runtime = runtime
        }
    }

    /// One submitted agent and how it ended.
    public struct AgentResult: Sendable {
        public var file: String
        public var agentVersionID: String
        public var state: String
        public var finalScore: Double?
    }

    public struct Outcome: Sendable {
        public var backendURL: String
        public var agents: [AgentResult]
        public var leaderboard: JSONValue?
        /// From start (files, servers) to every agent eligible.
        public var seconds: Double
        /// From the first submission to every agent eligible: the evaluation itself.
        public var evaluationSeconds: Double
        /// The trajectory corpus of the run (every completed run ingested).
        public var corpus: CorpusStats?
    }

    public let configuration: Configuration
    public let log: @Sendable (String) -> Void

    public init(configuration: Configuration, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.log = log
    }

    /// Runs everything until every agent is eligible (or the deadline), then either returns or, with
    /// `keepServing`, serves until SIGINT/SIGTERM.
    public func run(keepServing: Bool = false) async throws -> Outcome {
        let started = ContinuousClock.now
        let config = configuration
        let files = ArenaFiles(directory: config.directory)
        try await files.prepare(products: config.products, problems: config.problems, seed: config.seed, log: log)
        let suite = try ProblemSuite(text: String(contentsOf: files.suite, encoding: .utf8), fileName: files.suite.path)

        var logger = Logger(label: "shoparena.local")
        logger.logLevel = .warning
        let stateDirectory = config.directory.appendingPathComponent("arena")
        try? FileManager.default.removeItem(at: stateDirectory)
        let database: any SQLDatabase
        if let url = config.databaseURL {
            database = try PostgresDatabase(url: url)
        } else {
            database = try SQLiteDatabase(path: stateDirectory.appendingPathComponent("arena.sqlite").path)
        }
        try await Migrator().migrate(database, now: SystemClock().nowMillis())
        let port = config.port == 0 ? Self.freePort() : config.port
        let baseURL = "http://127.0.0.1:\(port)"
        var settings = BackendSettings()
        settings.requiredSuccesses = config.requiredSuccesses
        settings.publicBaseURL = baseURL
        settings.pythonRuntimePath = config.runtime.path
        settings.submissionCooldownSeconds = 0
        settings.inferenceModels = [config.model]
        let services = BackendServices(
            database: database, blobs: try BlobStores.matching(database, fileRoot: stateDirectory.appendingPathComponent("blobs")),
            settings: settings)

        var stub: ScriptedChatServer?
        if config.llmURL == nil {
            stub = try await ScriptedChatServer.start(
                script: ExampleAgentsStubScript.make(queries: suite.problems.map(\.query),
                                                     copies: 2 * config.validators * config.agents.count),
                models: [config.model])
        }
        let llmURL = config.llmURL ?? stub?.baseURL
        let website = try ArenaWebsite(
            services: services, corpus: StoredCorpusFigures(repository: TrajectoryRepository(database: services.database)),
            logger: logger)
        let app = BackendApplication.make(services: services, host: "127.0.0.1", port: port, logger: logger,
                                          extend: { website.mount(on: $0) })
        let engine = try SearchIndex.open(path: files.index.path)
        var daemons: [ValidatorDaemon] = []
        let now = SystemClock().nowMillis()
        for number in 1...max(1, config.validators) {
            let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
            try await services.identities.register(signer.hotkey, role: .validator, name: "local-validator-\(number)", now: now)
            let runner = try SandboxRunner(configuration: SandboxConfiguration(
                python: config.python, runtimeDirectory: config.runtime,
                workDirectory: stateDirectory.appendingPathComponent("sandbox-\(number)"),
                isolation: config.insecure ? .insecure : .bubblewrap,
                agentEnvironment: ["CHUTES_ACCESS_TOKEN": "shoparena-proxy", "SANDBOX_MODEL": config.model]))
            let judge = Judges.make(llm: config.judgeModels.isEmpty || llmURL == nil ? nil
                : LLMRubricJudgeConfiguration(baseURL: llmURL!, apiKey: config.llmKey, models: config.judgeModels))
            let environment = EvaluationEnvironment(
                runner: runner, engine: engine,
                scorer: OutcomeScorer(profile: .oro, products: engine, similarity: LexicalTitleSimilarity()),
                judge: judge, inferenceBaseURL: llmURL, allowedModels: [config.model],
                workers: config.workersPerValidator, limits: SandboxLimits(wallClockSeconds: config.problemTimeout),
                heartbeatInterval: 10, progressInterval: 2,
                workDirectory: stateDirectory.appendingPathComponent("validator-\(number)"))
            var daemonSettings = ValidatorDaemon.Settings(backendURL: baseURL)
            daemonSettings.pollInterval = 0.5
            daemonSettings.backoff = Backoff(initial: 0.5, maximum: 5)
            daemons.append(ValidatorDaemon(settings: daemonSettings, signer: signer, environment: environment,
                                           retryQueue: RetryQueue(path: nil), logger: logger))
        }
        let group = ServiceGroup(configuration: .init(
            services: [ServiceGroupConfiguration.ServiceConfiguration(service: app),
                       .init(service: CorpusIngestService(services: services, intervalSeconds: 2, logger: logger))]
                + daemons.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))

        return try await withThrowingTaskGroup(of: Outcome?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            tasks.addTask {
                let outcome = try await self.drive(services: services, baseURL: baseURL, suiteFile: files.suite,
                                                   started: started)
                if keepServing {
                    self.log("serving the arena's pages on \(baseURL)/ and its API until Ctrl-C (try \(baseURL)/v1/public/leaderboard)")
                } else {
                    await group.triggerGracefulShutdown()
                }
                return outcome
            }
            var outcome: Outcome?
            do {
                while let next = try await tasks.next() { if let next { outcome = next } }
            } catch {
                await group.triggerGracefulShutdown()
                await stub?.shutdown()
                await database.close()
                throw error
            }
            await stub?.shutdown()
            await database.close()
            guard let outcome else { throw CancellationError() }
            return outcome
        }
    }

    /// Registers the admin and miners, adds the suite, submits the agents and waits for eligibility.
    private func drive(services: BackendServices, baseURL: String, suiteFile: URL, started: ContinuousClock.Instant)
        async throws -> Outcome
    {
        let api = ArenaHTTP(baseURL: baseURL)
        try await waitForHealth(api)
        log("the arena's pages are live at \(baseURL)/ (evaluations update there as they run)")
        let now = SystemClock().nowMillis()
        let admin = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        try await services.identities.register(admin.hotkey, role: .admin, name: "local-admin", now: now)
        let created = try await api.call(.POST, "/v1/admin/suites",
                                         json: .object([("problem_suite_uri", .string(suiteFile.path))]), signer: admin)
        guard let suiteID = created?["suite_id"]?.intValue else { throw ArenaHTTP.Failure(status: 0, body: "no suite_id") }
        try await api.call(.POST, "/v1/admin/suites/\(suiteID)/activate?requeue_top_n=0", signer: admin)
        log("suite \(suiteID) active (\(configuration.problems) problems); submitting \(configuration.agents.count) agents")

        var submitted: [(String, String)] = []
        let submittedAt = ContinuousClock.now
        for agent in configuration.agents {
            let miner = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
            try await services.identities.register(miner.hotkey, role: .miner, now: now)
            try await api.call(.POST, "/v1/miner/chutes-auth", json: .object([("refresh_token", "local-demo-token")]), signer: miner)
            let code = Array(try Data(contentsOf: agent))
            let name = agent.deletingPathExtension().lastPathComponent.replacingOccurrences(of: "_", with: "-")
            let answer = try await api.submit(agentName: name, fileName: agent.lastPathComponent, code: code, signer: miner)
            guard let version = answer?["agent_version_id"]?.stringValue else {
                throw ArenaHTTP.Failure(status: 200, body: "submission of \(agent.lastPathComponent) was not accepted: "
                    + JSONWriter().string(answer ?? .null))
            }
            log("submitted \(agent.lastPathComponent) as version \(version)")
            submitted.append((agent.lastPathComponent, version))
        }

        var results: [AgentResult] = []
        let deadline = ContinuousClock.now + .seconds(configuration.deadlineSeconds)
        while true {
            results = []
            for (file, version) in submitted {
                let status = try await api.call(.GET, "/v1/public/agent-versions/\(version)/status")
                results.append(AgentResult(file: file, agentVersionID: version,
                                           state: status?["state"]?.stringValue ?? "?",
                                           finalScore: status?["final_score"]?.numberValue))
            }
            if results.allSatisfy({ $0.state == "ELIGIBLE" }) || ContinuousClock.now > deadline { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        let leaderboard = try? await api.call(.GET, "/v1/public/leaderboard")
        // Every completed run's trajectories (ingest follows each completion; this catches one still in flight).
        let ingest = CorpusIngest(services: services)
        try await ingest.ingestPending()
        let corpus = try await TrajectoryRepository(database: services.database).stats(publicOnly: false)
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        return Outcome(backendURL: baseURL, agents: results, leaderboard: leaderboard,
                       seconds: seconds(ContinuousClock.now - started),
                       evaluationSeconds: seconds(ContinuousClock.now - submittedAt), corpus: corpus)
    }

    private func waitForHealth(_ api: ArenaHTTP) async throws {
        for _ in 0..<200 {
            if (try? await api.call(.GET, "/health")) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ArenaHTTP.Failure(status: 0, body: "the backend did not start on \(api.baseURL)")
    }

    /// A free TCP port on 127.0.0.1 (bound and released; good enough for tests and local runs).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
