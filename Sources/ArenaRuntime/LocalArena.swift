import ArenaClient
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
import NIOHTTP1
import Sandbox
import Scoring
import Search
import ServiceLifecycle
import Store
import UnixSignals
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
        /// How long the stub LLM takes to answer each chat completion, milliseconds.
        public var llmLatencyMillis = 0
        /// With the ReAct agent: model calls per problem the stub scripts (`ReActStepsStubScript`); nil: the example
        /// agents' script.
        public var steps: Int?

        public init(directory: URL, agents: [URL], python: URL, runtime: URL, products: Int = 2_000, problems: Int = 30,
                    seed: UInt64 = 42, validators: Int = 2, requiredSuccesses: Int = 2, port: Int = 0,
                    workersPerValidator: Int = 2, llmURL: String? = nil, llmKey: String? = nil,
                    model: String = "shoparena-stub", judgeModels: [String] = [], insecure: Bool = false) {
            self.directory = directory
            self.agents = agents
            self.python = python
            self.runtime = runtime
            self.products = products
            self.problems = problems
            self.seed = seed
            self.validators = validators
            self.requiredSuccesses = requiredSuccesses
            self.port = port
            self.workersPerValidator = workersPerValidator
            self.llmURL = llmURL
            self.llmKey = llmKey
            self.model = model
            self.judgeModels = judgeModels
            self.insecure = insecure
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
        let store = try await ArenaStore.open(database: config.databaseURL, dataDir: stateDirectory.path)
        let database = store.database
        let port = config.port == 0 ? Self.freePort() : config.port
        let baseURL = "http://127.0.0.1:\(port)"
        var settings = BackendSettings()
        settings.requiredSuccesses = config.requiredSuccesses
        settings.publicBaseURL = baseURL
        settings.pythonRuntimePath = config.runtime.path
        settings.submissionCooldownSeconds = 0
        settings.inferenceModels = [config.model]
        let services = BackendServices(database: database, blobs: store.blobs, settings: settings)

        var stub: ScriptedChatServer?
        if config.llmURL == nil {
            let copies = 2 * config.validators * config.agents.count
            stub = try await ScriptedChatServer.start(
                script: config.steps.map { ReActStepsStubScript.make(problems: suite.problems.count, steps: $0, copies: copies) }
                    ?? ExampleAgentsStubScript.make(queries: suite.problems.map(\.query), copies: copies),
                models: [config.model], latency: .milliseconds(config.llmLatencyMillis))
        }
        let llmURL = config.llmURL ?? stub?.baseURL
        let website = try ArenaWebsite(
            services: services, corpus: StoredCorpusFigures(repository: TrajectoryRepository(database: services.database)),
            logger: logger)
        let app = BackendApplication.make(services: services, host: "127.0.0.1", port: port, logger: logger,
                                          extend: { website.mount(on: $0) })
        var evaluation = EvaluationEnvironmentBuilder(index: .file(files.index.path), python: config.python, runtime: config.runtime)
        evaluation.isolation = config.insecure ? .insecure : .bubblewrap
        evaluation.model = config.model
        evaluation.allowedModels = [config.model]
        evaluation.upstream = llmURL
        if let llmURL, !config.judgeModels.isEmpty {
            evaluation.judge = LLMRubricJudgeConfiguration(baseURL: llmURL, apiKey: config.llmKey, models: config.judgeModels)
        }
        evaluation.workers = config.workersPerValidator
        evaluation.limits = SandboxLimits(wallClockSeconds: config.problemTimeout)
        let engine = try evaluation.openIndex(scratch: stateDirectory)
        var daemons: [ValidatorDaemon] = []
        let now = SystemClock().nowMillis()
        for number in 1...max(1, config.validators) {
            let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
            try await services.identities.register(signer.hotkey, role: .validator, name: "local-validator-\(number)", now: now)
            let environment = try evaluation.validatorEnvironment(
                engine: engine, sandboxWorkDirectory: stateDirectory.appendingPathComponent("sandbox-\(number)"),
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
        var api = ArenaClient(baseURL: baseURL)
        api.timeout = .seconds(60)
        try await waitForHealth(api)
        log("the arena's pages are live at \(baseURL)/ (evaluations update there as they run)")
        let now = SystemClock().nowMillis()
        let admin = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        try await services.identities.register(admin.hotkey, role: .admin, name: "local-admin", now: now)
        let asAdmin = api.signed(by: admin)
        let created = try await asAdmin.call(.POST, "/v1/admin/suites",
                                             json: .object([("problem_suite_uri", .string(suiteFile.path))]))
        guard let suiteID = created?["suite_id"]?.intValue else { throw ArenaClientError.badResponse("no suite_id") }
        try await asAdmin.call(.POST, "/v1/admin/suites/\(suiteID)/activate?requeue_top_n=0")
        log("suite \(suiteID) active (\(configuration.problems) problems); submitting \(configuration.agents.count) agents")

        var submitted: [(String, String)] = []
        let submittedAt = ContinuousClock.now
        for agent in configuration.agents {
            let miner = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
            try await services.identities.register(miner.hotkey, role: .miner, now: now)
            let asMiner = api.signed(by: miner)
            try await asMiner.call(.POST, "/v1/miner/chutes-auth", json: .object([("refresh_token", "local-demo-token")]))
            let code = Array(try Data(contentsOf: agent))
            let name = agent.deletingPathExtension().lastPathComponent.replacingOccurrences(of: "_", with: "-")
            let answer = try await asMiner.submit(agentName: name, fileName: agent.lastPathComponent, code: code)
            guard let version = answer?["agent_version_id"]?.stringValue else {
                throw ArenaClientError.badResponse("submission of \(agent.lastPathComponent) was not accepted: "
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

    private func waitForHealth(_ api: ArenaClient) async throws {
        for _ in 0..<200 {
            if (try? await api.call(.GET, "/health")) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ArenaClientError.connection("the backend did not start on \(api.baseURL)")
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

extension LocalArena.Outcome {
    /// What `shoparena demo` prints at the end: the web address, each agent's state and score, the leaderboard, the
    /// corpus figures and the API addresses.
    public var report: String {
        let outcome = self
        var lines = ["", "Web: \(outcome.backendURL)/", "", "Agents (evaluated in \(String(format: "%.1f", outcome.seconds)) s):"]
        for agent in outcome.agents {
            lines.append("  \(agent.file): \(agent.state), final score \(agent.finalScore.map { String(format: "%.4f", $0) } ?? "-")"
                + "  (version \(agent.agentVersionID))")
        }
        lines.append("")
        lines.append("Leaderboard:")
        for entry in outcome.leaderboard?["entries"]?.arrayValue ?? [] {
            lines.append("  #\(entry["rank"]?.intValue ?? 0) \(entry["agent_name"]?.stringValue ?? "?") "
                + "\(entry["final_score"]?.numberValue.map { String(format: "%.4f", $0) } ?? "-") "
                + "(\(entry["miner_hotkey"]?.stringValue ?? "?"))")
        }
        if let corpus = outcome.corpus {
            lines.append("")
            lines.append("Trajectory corpus of this run (shoparena corpus stats):")
            lines += corpus.text.split(separator: "\n").map { "  " + $0 }
        }
        lines.append("")
        lines.append("API: \(outcome.backendURL)/v1/public/leaderboard, \(outcome.backendURL)/v1/public/top, "
            + "\(outcome.backendURL)/v1/public/corpus/stats, \(outcome.backendURL)/openapi.json")
        return lines.joined(separator: "\n")
    }
}
