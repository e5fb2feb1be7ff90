import ArenaClient
import ArenaModel
import Backend
import Foundation
import Identity
import NIOCore
import NIOHTTP1
import Store
import Validator

/// `shoparena bench faults`: a long-running arena whose validators are killed with SIGKILL over and over at the
/// points of ``FaultPoint`` (issue 19), then drained by clean validators and audited.
///
/// The bench starts `shoparena serve` (SQLite under its folder, or `databaseURL`: a fresh PostgreSQL database) with
/// a short lease, submits `versions` agents, and runs `crashes` `shoparena validator` children, `parallel` at a
/// time, each with `SHOPARENA_FAULT_POINT` set so it kills itself at a seeded, random point (with a seeded delay for
/// the in-flight points). A child that has not died after `stallSeconds` is killed by the bench and counted as a
/// watchdog kill. Clean validators then finish every version; `serve` is stopped, the corpus sweep runs once, and
/// ``FaultAudit`` checks the invariants.
public struct ValidatorFaultBench: Sendable {
    public struct Configuration: Sendable {
        public var directory: URL
        /// The `shoparena` executable the children run.
        public var binary: URL
        public var python: URL
        public var runtime: URL
        public var agent: URL
        public var insecure = false
        public var crashes = 1_000
        public var parallel = 4
        /// Validator keys per parallel slot (a crashed key holds its lease until it lapses).
        public var keysPerSlot = 3
        /// Agent versions submitted (nil: crashes / 4 + 2, so work never runs out during the storm).
        public var versions: Int?
        public var problems = 3
        public var products = 300
        public var seed: UInt64 = 19
        public var leaseSeconds = 2.0
        public var stallSeconds = 30.0
        public var drainSeconds = 600.0
        /// A `postgres://` URL of an empty database; nil: SQLite under `directory`.
        public var databaseURL: String?

        public init(directory: URL, binary: URL, python: URL, runtime: URL, agent: URL, insecure: Bool = false,
                    crashes: Int = 1_000, parallel: Int = 4, versions: Int? = nil, problems: Int = 3,
                    seed: UInt64 = 19, leaseSeconds: Double = 2.0, databaseURL: String? = nil) {
            self.directory = directory
            self.binary = binary
            self.python = python
            self.runtime = runtime
            self.agent = agent
            self.insecure = insecure
            self.crashes = crashes
            self.parallel = parallel
            self.versions = versions
            self.problems = problems
            self.seed = seed
            self.leaseSeconds = leaseSeconds
            self.databaseURL = databaseURL
        }
    }

    /// What the bench measured; every count but `crashes`, `byPoint` and `versionsFinal` should be zero.
    public struct Result: Sendable {
        public var crashes: Int
        public var byPoint: [String: Int]
        public var watchdogKills: Int
        public var versionsTotal: Int
        public var versionsFinal: Int
        public var versionsByState: [String: Int64]
        public var runsDoubleCounted: Int64
        public var missingProblems: Int64
        public var corpusDuplicates: Int64
        public var corpusMissing: Int64
        public var runsInFlight: Int64
        public var orphanProcesses: Int
        public var orphanCgroups: Int
        public var integrityOK: Bool
        public var integrityDetail: String
        public var database: String
        public var seconds: Double

        public var json: JSONValue {
            .object([
                ("benchmark", "faults"),
                ("database", .string(database)),
                ("crashes", .int(Int64(crashes))),
                ("by_point", .object(byPoint.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
                ("watchdog_kills", .int(Int64(watchdogKills))),
                ("versions_total", .int(Int64(versionsTotal))),
                ("versions_final", .int(Int64(versionsFinal))),
                ("versions_by_state", .object(versionsByState.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                ("runs_double_counted", .int(runsDoubleCounted)),
                ("missing_problems", .int(missingProblems)),
                ("corpus_duplicates", .int(corpusDuplicates)),
                ("corpus_missing", .int(corpusMissing)),
                ("runs_in_flight", .int(runsInFlight)),
                ("orphan_processes", .int(Int64(orphanProcesses))),
                ("orphan_cgroups", .int(Int64(orphanCgroups))),
                ("integrity_ok", .bool(integrityOK)),
                ("integrity_detail", .string(integrityDetail)),
                ("seconds", .double((seconds * 10).rounded() / 10)),
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
        let tmp = dir.appendingPathComponent("tmp")
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        let cgroupsBefore = HostLeftovers.cgroups()
        let files = ArenaFiles(directory: dir.appendingPathComponent("inputs"))
        try await files.prepare(products: config.products, problems: config.problems, seed: config.seed, log: log)

        // Keys: validators in a key store the children read; admin and miners in memory.
        let keysDir = dir.appendingPathComponent("keys")
        try? fm.removeItem(at: keysDir)
        let keyStore = KeyStore(directory: keysDir.path)
        let keyCount = max(1, config.parallel) * max(1, config.keysPerSlot)
        var validatorKeys: [KeyStore.Entry] = []
        for number in 0..<keyCount { validatorKeys.append(try keyStore.store(name: "validator-\(number)", miniSecret: .random())) }
        let admin = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        let versionCount = config.versions ?? (config.crashes / 4 + 2)
        let miners = (0..<versionCount).map { _ in RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random())) }

        let dataDir = dir.appendingPathComponent("serve")
        try? fm.removeItem(at: dataDir)
        try fm.createDirectory(at: dataDir, withIntermediateDirectories: true)
        do {
            let store = try await ArenaStore.open(database: config.databaseURL, dataDir: dataDir.path)
            let services = BackendServices(database: store.database, blobs: store.blobs, settings: BackendSettings())
            let now = SystemClock().nowMillis()
            try await services.identities.register(admin.hotkey, role: .admin, name: "fault-admin", now: now)
            for (number, key) in validatorKeys.enumerated() {
                try await services.identities.register(RequestSigner(keypair: key.keypair).hotkey, role: .validator,
                                                       name: "fault-validator-\(number)", now: now)
            }
            for miner in miners { try await services.identities.register(miner.hotkey, role: .miner, now: now) }
            await store.database.close()
        }

        let logHandle = dir.appendingPathComponent("children.log")
        let port = LocalArena.freePort()
        let baseURL = "http://127.0.0.1:\(port)"
        var serveArguments = ["serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir.path,
                              "--lease-seconds", String(config.leaseSeconds), "--reaper-interval-seconds", "0.5",
                              "--submission-cooldown-seconds", "0", "--required-successes", "2",
                              "--python-runtime-path", config.runtime.path, "--inference-models", "shoparena-stub",
                              // The analyzer by absolute path, like the validators' sandboxes: a PATH `python3` may be a
                              // pyenv shim, a shell script that costs more than the analysis itself on every submission.
                              "--python-executable", config.python.path]
        if let url = config.databaseURL { serveArguments += ["--database", url] }
        let serve = try await BenchChild(binary: config.binary, arguments: serveArguments, environment: [:], log: logHandle)
        var api = ArenaClient(baseURL: baseURL)
        api.timeout = .seconds(60)
        do {
            try await Self.waitForHealth(api, serve: serve)
            let asAdmin = api.signed(by: admin)
            let created = try await asAdmin.call(.POST, "/v1/admin/suites", json: .object([("problem_suite_uri", .string(files.suite.path))]))
            guard let suiteID = created?["suite_id"]?.intValue else { throw ArenaClientError.badResponse("no suite_id") }
            try await asAdmin.call(.POST, "/v1/admin/suites/\(suiteID)/activate?requeue_top_n=0")
            let code = Array(try Data(contentsOf: config.agent))
            var versionIDs: [String] = []
            var submitSeconds: [Double] = []
            for (number, miner) in miners.enumerated() {
                let asMiner = api.signed(by: miner)
                try await asMiner.call(.POST, "/v1/miner/chutes-auth", json: .object([("refresh_token", "fault-bench-token")]))
                let submitted = ContinuousClock.now
                let answer = try await asMiner.submit(agentName: "fault-agent-\(number)", fileName: config.agent.lastPathComponent, code: code)
                submitSeconds.append(Self.seconds(ContinuousClock.now - submitted))
                guard let version = answer?["agent_version_id"]?.stringValue else {
                    throw ArenaClientError.badResponse("submission refused: " + JSONWriter().string(answer ?? .null))
                }
                versionIDs.append(version)
            }
            log("serve on \(baseURL); \(versionIDs.count) versions; \(config.crashes) crashes, \(config.parallel) at a time")
            if !submitSeconds.isEmpty {
                let sorted = submitSeconds.sorted()
                log(String(format: "submit: mean %.3f s, median %.3f s, max %.3f s over %d submissions",
                           sorted.reduce(0, +) / Double(sorted.count), sorted[sorted.count / 2], sorted.last!, sorted.count))
            }

            let common = ["--backend", baseURL, "--keys-dir", keysDir.path, "--index", files.index.path, "--workers", "2",
                          "--timeout", "60", "--poll-interval", "0.2", "--heartbeat-interval", "0.05", "--metrics-port", "0",
                          "--allow-model", "shoparena-stub", "--python", config.python.path, "--runtime", config.runtime.path]
                + (config.insecure ? ["--insecure"] : [])
            let validatorArguments: @Sendable (Int) -> [String] = { key in
                ["validator", "--key", "validator-\(key)", "--retry-queue", dir.appendingPathComponent("retry-\(key).json").path] + common
            }

            // The storm: slot s runs crashes s, s+P, s+2P, … with its own keys.
            let tally = try await withThrowingTaskGroup(of: CrashTally.self) { group -> CrashTally in
                for slot in 0..<max(1, config.parallel) {
                    group.addTask {
                        var tally = CrashTally()
                        var turn = 0
                        for index in stride(from: slot, to: config.crashes, by: max(1, config.parallel)) {
                            let point = Self.point(crash: index, seed: config.seed)
                            var rng = SplitMix64(seed: config.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
                            let delay = Self.delayMillis(point, &rng)
                            let key = slot + max(1, config.parallel) * (turn % max(1, config.keysPerSlot))
                            turn += 1
                            let child = try await BenchChild(
                                binary: config.binary, arguments: validatorArguments(key),
                                environment: ["SHOPARENA_FAULT_POINT": point.rawValue, "SHOPARENA_FAULT_DELAY_MS": String(delay),
                                              "TMPDIR": tmp.path],
                                log: logHandle)
                            tally.validators.insert(child.pid)
                            if let exit = await child.wait(seconds: config.stallSeconds), exit == .signal(SIGKILL) {
                                tally.byPoint[point.rawValue, default: 0] += 1
                            } else {
                                child.signal(SIGKILL)
                                _ = await child.wait(seconds: 10)
                                tally.watchdog += 1
                            }
                            let done = tally.byPoint.values.reduce(0, +) + tally.watchdog
                            if slot == 0, done % 25 == 0 { self.log("slot 0: \(done) children killed") }
                        }
                        return tally
                    }
                }
                var total = CrashTally()
                for try await part in group {
                    for (point, count) in part.byPoint { total.byPoint[point, default: 0] += count }
                    total.watchdog += part.watchdog
                    total.validators.formUnion(part.validators)
                }
                return total
            }
            log("storm over: \(tally.byPoint.values.reduce(0, +)) crashes, \(tally.watchdog) watchdog kills; draining")

            // Drain: three clean validators finish every version (after the storm's leases lapse).
            try await Task.sleep(for: .milliseconds(Int64(config.leaseSeconds * 1000) + 500))
            var cleaners: [BenchChild] = []
            for key in 0..<min(3, keyCount) {
                cleaners.append(try await BenchChild(binary: config.binary, arguments: validatorArguments(key),
                                               environment: ["TMPDIR": tmp.path], log: logHandle))
            }
            let deadline = ContinuousClock.now + .seconds(config.drainSeconds)
            var states: [String] = []
            while true {
                states = []
                for version in versionIDs {
                    let status = try? await api.call(.GET, "/v1/public/agent-versions/\(version)/status")
                    states.append(status?["state"]?.stringValue ?? "?")
                }
                if states.allSatisfy(Self.isFinal) || ContinuousClock.now > deadline { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            let validators = tally.validators.union(cleaners.map(\.pid))
            for cleaner in cleaners { await cleaner.stop() }
            await serve.stop()

            let store = try await ArenaStore.open(database: config.databaseURL, dataDir: dataDir.path)
            let services = BackendServices(database: store.database, blobs: store.blobs, settings: BackendSettings())
            try await CorpusIngest(services: services).ingestPending()
            let audit = try await FaultAudit(database: store.database).run()
            await store.database.close()
            try? await Task.sleep(for: .milliseconds(300))  // let the kernel reap what the children left
            let orphans = HostLeftovers.processes(mentioning: dir.path)
            for pid in orphans { log("left running: pid \(pid) \(HostLeftovers.describe(pid))") }
            // Only the groups of the bench's validators (named owner-<pid>-…): the pids hierarchy may be shared with
            // other work on the host, whose groups come and go while the bench runs.
            let cgroups = HostLeftovers.cgroups().subtracting(cgroupsBefore).filter { HostLeftovers.owner(of: $0).map(validators.contains) ?? false }
            return Result(
                crashes: tally.byPoint.values.reduce(0, +), byPoint: tally.byPoint, watchdogKills: tally.watchdog,
                versionsTotal: versionIDs.count, versionsFinal: states.filter(Self.isFinal).count,
                versionsByState: audit.versionsByState, runsDoubleCounted: audit.runsDoubleCounted,
                missingProblems: audit.missingProblems, corpusDuplicates: audit.corpusDuplicates,
                corpusMissing: audit.corpusMissing, runsInFlight: audit.runsInFlight, orphanProcesses: orphans.count,
                orphanCgroups: cgroups.count, integrityOK: audit.integrityOK, integrityDetail: audit.integrityDetail,
                database: config.databaseURL == nil ? "sqlite" : "postgresql",
                seconds: Self.seconds(ContinuousClock.now - started))
        } catch {
            serve.signal(SIGKILL)
            throw error
        }
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    /// ELIGIBLE, or any state no further evaluation changes (discarded, rejected).
    static func isFinal(_ state: String) -> Bool { !["QUEUED", "RUNNING", "?"].contains(state) }

    /// The point of crash number `crash`: every block of six crashes covers the six points once, in a seeded order.
    public static func point(crash: Int, seed: UInt64) -> FaultPoint {
        var rng = SplitMix64(seed: seed &+ UInt64(crash / FaultPoint.allCases.count) &* 0xD1B5_4A32_D192_ED03)
        return FaultPoint.allCases.shuffled(using: &rng)[crash % FaultPoint.allCases.count]
    }

    /// Seeded delay after reaching a point: in-flight points die a few milliseconds into the request, mid-problem
    /// anywhere in the first second of the sandboxes.
    static func delayMillis(_ point: FaultPoint, _ rng: inout SplitMix64) -> Int {
        switch point {
        case .midHeartbeat: return Int(rng.next() % 6)
        case .duringComplete: return Int(rng.next() % 10)
        case .midProblem: return 20 + Int(rng.next() % 900)
        case .afterClaim, .midUpload, .betweenUploadAndComplete: return 0
        }
    }

    private static func waitForHealth(_ api: ArenaClient, serve: BenchChild) async throws {
        for _ in 0..<600 {
            if (try? await api.call(.GET, "/health")) != nil { return }
            if let exit = await serve.wait(seconds: 0.05) {
                throw ArenaClientError.connection("shoparena serve exited (\(exit)) before answering; see children.log")
            }
        }
        throw ArenaClientError.connection("shoparena serve did not answer on \(api.baseURL) within 30 s")
    }
}

/// Crashes per point and watchdog kills of one slot of the storm.
struct CrashTally: Sendable {
    var byPoint: [String: Int] = [:]
    var watchdog = 0
    /// The pids of the slot's validator processes.
    var validators: Set<Int32> = []
}
