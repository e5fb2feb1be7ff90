import ArenaClient
import ArenaModel
import AsyncHTTPClient
import Backend
import Foundation
import Identity
import NIOCore
import NIOHTTP1
import Store
import Validator

/// `shoparena bench faults --backend-kills N`: `shoparena serve` SIGKILLed `kills` times during a stream of writes
/// — miner submissions, validator progress and completes — and restarted each time; at the end every write the
/// backend acknowledged (2xx) must be in the store.
public struct BackendKillBench: Sendable {
    public struct Configuration: Sendable {
        public var directory: URL
        public var binary: URL
        public var runtime: URL
        public var agent: URL
        public var kills = 100
        public var problems = 3
        public var products = 300
        public var seed: UInt64 = 19
        /// Validators writing progress and completes at once.
        public var validators = 3
        public var databaseURL: String?
        /// The submission analyzer's interpreter, by absolute path (nil: `serve`'s default, `python3` on PATH).
        public var python: URL?

        public init(directory: URL, binary: URL, runtime: URL, agent: URL) {
            self.directory = directory
            self.binary = binary
            self.runtime = runtime
            self.agent = agent
        }
    }

    public struct Result: Sendable {
        public var kills: Int
        public var submissionsAcknowledged: Int
        public var submissionsLost: Int
        public var progressAcknowledged: Int
        public var progressLost: Int
        public var completesAcknowledged: Int
        public var completesLost: Int
        public var integrityOK: Bool
        public var database: String
        public var seconds: Double

        public var json: JSONValue {
            .object([
                ("benchmark", "backend_kills"), ("database", .string(database)), ("kills", .int(Int64(kills))),
                ("submissions_acknowledged", .int(Int64(submissionsAcknowledged))), ("submissions_lost", .int(Int64(submissionsLost))),
                ("progress_acknowledged", .int(Int64(progressAcknowledged))), ("progress_lost", .int(Int64(progressLost))),
                ("completes_acknowledged", .int(Int64(completesAcknowledged))), ("completes_lost", .int(Int64(completesLost))),
                ("integrity_ok", .bool(integrityOK)), ("seconds", .double((seconds * 10).rounded() / 10)),
            ])
        }
    }

    public let configuration: Configuration
    public let log: @Sendable (String) -> Void

    public init(configuration: Configuration, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.log = log
    }

    public func run() async throws -> Result {
        let started = ContinuousClock.now
        let config = configuration
        let fm = FileManager.default
        let dir = config.directory
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let files = ArenaFiles(directory: dir.appendingPathComponent("inputs"))
        try await files.prepare(products: config.products, problems: config.problems, seed: config.seed, log: log)
        let admin = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        let miners = (0..<4).map { _ in RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random())) }
        let validators = (0..<max(1, config.validators)).map { _ in RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random())) }
        let dataDir = dir.appendingPathComponent("serve")
        try? fm.removeItem(at: dataDir)
        try fm.createDirectory(at: dataDir, withIntermediateDirectories: true)
        do {
            let store = try await ArenaStore.open(database: config.databaseURL, dataDir: dataDir.path)
            let identities = IdentityRepository(database: store.database)
            let now = SystemClock().nowMillis()
            try await identities.register(admin.hotkey, role: .admin, name: "kill-admin", now: now)
            for v in validators { try await identities.register(v.hotkey, role: .validator, now: now) }
            for m in miners { try await identities.register(m.hotkey, role: .miner, now: now) }
            await store.database.close()
        }
        let logFile = dir.appendingPathComponent("serve.log")
        let port = LocalArena.freePort()
        let baseURL = "http://127.0.0.1:\(port)"
        var arguments = ["serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir.path,
                         "--lease-seconds", "3", "--submission-cooldown-seconds", "0", "--required-successes", "2",
                         "--python-runtime-path", config.runtime.path, "--inference-models", "shoparena-stub"]
        if let url = config.databaseURL { arguments += ["--database", url] }
        if let python = config.python { arguments += ["--python-executable", python.path] }
        let acks = Acknowledgements()
        let code = Array(try Data(contentsOf: config.agent))
        let api = ArenaClient(baseURL: baseURL)
        var rng = SplitMix64(seed: config.seed)
        for round in 0..<config.kills {
            let serve = try await BenchChild(binary: config.binary, arguments: arguments, environment: [:], log: logFile)
            try await Self.waitForHealth(api)
            if round == 0 {
                let asAdmin = api.signed(by: admin)
                let created = try await asAdmin.call(.POST, "/v1/admin/suites", json: .object([("problem_suite_uri", .string(files.suite.path))]))
                guard let suiteID = created?["suite_id"]?.intValue else { throw ArenaClientError.badResponse("no suite_id") }
                try await asAdmin.call(.POST, "/v1/admin/suites/\(suiteID)/activate?requeue_top_n=0")
                for m in miners {
                    try await api.signed(by: m).call(.POST, "/v1/miner/chutes-auth", json: .object([("refresh_token", "kill-bench-token")]))
                }
            }
            // Up to 3 s: a submission runs the analyzer (two interpreter start-ups, about a second on a busy machine),
            // so windows shorter than that would kill serve before any submission could be acknowledged.
            let window = 150 + Int(rng.next() % 2_850)
            await withTaskGroup(of: Void.self) { group in
                for (number, miner) in miners.enumerated() {
                    group.addTask {
                        var serial = 0
                        while !Task.isCancelled {
                            serial += 1
                            let answer = try? await api.signed(by: miner).submit(
                                agentName: "kill-agent-\(number)-\(round)-\(serial)", fileName: config.agent.lastPathComponent, code: code)
                            if let id = answer?["agent_version_id"]?.stringValue { acks.add(version: id) } else {
                                try? await Task.sleep(for: .milliseconds(20))
                            }
                        }
                    }
                }
                for validator in validators {
                    group.addTask { await Self.validatorWrites(baseURL: baseURL, signer: validator, acks: acks) }
                }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(Int64(window)))
                    serve.signal(SIGKILL)
                }
                _ = await group.next()  // the kill task finishes first (the writers loop until cancelled)
                _ = await serve.wait(seconds: 10)
                group.cancelAll()
            }
            if round % 10 == 9 { log("\(round + 1) kills; \(acks.counts)") }
        }
        let store = try await ArenaStore.open(database: config.databaseURL, dataDir: dataDir.path)
        let audit = FaultAudit(database: store.database)
        let snapshot = acks.snapshot()
        let lost = try await audit.missingAcknowledged(versions: snapshot.versions, progress: snapshot.progress,
                                                        completes: snapshot.completes)
        let integrity = try await audit.run().integrityOK
        await store.database.close()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        return Result(kills: config.kills, submissionsAcknowledged: snapshot.versions.count, submissionsLost: lost.versions,
                      progressAcknowledged: snapshot.progress.count, progressLost: lost.progress,
                      completesAcknowledged: snapshot.completes.count, completesLost: lost.completes, integrityOK: integrity,
                      database: config.databaseURL == nil ? "sqlite" : "postgresql", seconds: seconds(ContinuousClock.now - started))
    }

    /// One validator's stream of writes: claim, progress one problem at a time, complete SUCCESS — recording every
    /// acknowledged one — until cancelled. Errors (the backend is being killed) are expected and skipped.
    static func validatorWrites(baseURL: String, signer: RequestSigner, acks: Acknowledgements) async {
        var client = BackendClient(baseURL: baseURL, signer: signer, http: .shared)
        client.timeout = .seconds(5)
        while !Task.isCancelled {
            guard let run = try? await client.claim(serviceVersions: [:]) else {
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            guard let problems = try? await client.problems(run: run.evalRunID) else { continue }
            for problem in problems {
                let entry = JSONValue.object([("problem_id", .string(problem.problemID)), ("status", "SUCCESS"), ("score", 1.0)])
                if (try? await client.progress(run: run.evalRunID, problems: [entry])) != nil {
                    acks.add(progress: run.evalRunID, problem: problem.problemID)
                }
            }
            let body = JSONValue.object([("terminal_status", "SUCCESS"), ("validator_score", 1.0),
                                         ("score_components", .object([("success_rate", 1.0)]))])
            if (try? await client.complete(run: run.evalRunID, body: body)) != nil { acks.add(complete: run.evalRunID) }
        }
    }

    private static func waitForHealth(_ api: ArenaClient) async throws {
        for _ in 0..<600 {
            if (try? await api.call(.GET, "/health")) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ArenaClientError.connection("shoparena serve did not answer on \(api.baseURL) within 30 s")
    }
}

/// The writes the backend acknowledged, from every writer task.
final class Acknowledgements: @unchecked Sendable {
    private let lock = NSLock()
    private var versions: [String] = []
    private var progress: [(run: String, problem: String)] = []
    private var completes: [String] = []

    func add(version: String) { lock.lock(); versions.append(version); lock.unlock() }
    func add(progress run: String, problem: String) { lock.lock(); progress.append((run, problem)); lock.unlock() }
    func add(complete run: String) { lock.lock(); completes.append(run); lock.unlock() }

    var counts: String {
        lock.lock(); defer { lock.unlock() }
        return "\(versions.count) submissions, \(progress.count) progress rows, \(completes.count) completes acknowledged"
    }

    func snapshot() -> (versions: [String], progress: [(run: String, problem: String)], completes: [String]) {
        lock.lock(); defer { lock.unlock() }
        return (versions, progress, completes)
    }
}
