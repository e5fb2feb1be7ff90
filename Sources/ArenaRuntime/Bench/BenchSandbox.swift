import ArenaModel
import Foundation
import Proxy
import Sandbox
import Search
import Synchronization

/// `shoparena bench sandbox`: how long the sandbox takes before an agent runs and per problem, with a trivial agent,
/// through the real bubblewrap sandbox (with a per-problem proxy, as `eval` does), with 1 and 2 workers, and with no
/// isolation for comparison.
///
/// The agent records time.time() on entering agent_main and returns it; latency is that instant minus the instant the
/// runner was asked to run the problem (workspace, cgroups, proxy, bwrap, python startup, harness import).
public struct BenchSandbox: Sendable {
    /// Problems per worker setting.
    public var runs: Int
    public var python: URL
    public var runtime: URL
    /// Run without a per-problem proxy.
    public var noProxy = false

    public init(runs: Int = 50, python: URL, runtime: URL) {
        self.runs = runs
        self.python = python
        self.runtime = runtime
    }

    static let target = 0.050

    /// Measures and returns the report.
    public func run() async throws -> JSONValue {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shoparena-bench-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let agent = scratch.appendingPathComponent("trivial_agent.py")
        try Data(Self.agentSource.utf8).write(to: agent)
        let runner: SandboxRunner
        do {
            runner = try SandboxRunner(
                configuration: SandboxConfiguration(
                    python: python, runtimeDirectory: runtime, workDirectory: scratch.appendingPathComponent("work")))
        } catch {
            throw EvaluationSetupError.sandboxUnavailable(reason: "\(error)")
        }
        let proxy: ProxyProvider? =
            noProxy ? nil : ProxyProvider(engine: EmptyCatalog(), configuration: ProxyConfiguration(allowedModels: []))
        let load = Self.loadAverage()
        // One warm-up run so page cache and first-use costs don't land in the numbers.
        _ = await Self.measure(runner: runner, agent: agent, runs: 1, workers: 1, proxy: proxy)
        var results: [(String, JSONValue)] = []
        for workers in [1, 2] {
            let samples = await Self.measure(runner: runner, agent: agent, runs: runs, workers: workers, proxy: proxy)
            results.append(("workers_\(workers)", Self.summary(samples)))
        }
        // The same harness and agent with no sandbox at all (no bwrap, no namespaces; cgroups and rlimits
        // only): the difference to workers_1 is what isolation costs, the rest is Python.
        if let bare = try? SandboxRunner(
            configuration: SandboxConfiguration(
                python: runner.configuration.python, runtimeDirectory: runner.configuration.runtimeDirectory,
                workDirectory: scratch.appendingPathComponent("work-bare"), isolation: .insecure))
        {
            let samples = await Self.measure(runner: bare, agent: agent, runs: runs, workers: 1, proxy: proxy)
            results.append(("no_sandbox_workers_1", Self.summary(samples)))
        }
        let report = JSONValue.object(
            [
                ("benchmark", "sandbox"), ("runs_per_setting", .int(Int64(runs))), ("proxy", .bool(!noProxy)),
                ("isolation", .string(runner.capabilities.summary)),
                ("cores", .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
                ("load_average_before", .array(load.map(JSONValue.double))),
                ("load_average_after", .array(Self.loadAverage().map(JSONValue.double))),
                ("target_spawn_to_agent_main_p50_ms", .double(Self.target * 1000)),
            ] + results)
        return report
    }

    struct Sample {
        var spawnToAgentMain: Double?
        var total: Double
        var status: EnvelopeStatus?
    }

    static let agentSource = """
        import time
        def agent_main(problem_data):
            entered = time.time()
            return [{"completion": {"message": {"response": repr(entered)}}, "extra_info": {}}]
        """

    /// `runs` problems over `workers` concurrent loops; each sample from the runner's call to the envelope.
    static func measure(runner: SandboxRunner, agent: URL, runs: Int, workers: Int, proxy: ProxyProvider?) async -> [Sample] {
        let next = Ticket()
        return await withTaskGroup(of: [Sample].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var samples: [Sample] = []
                    while true {
                        let i = next.take()
                        guard i < runs else { break }
                        let problem = Problem(
                            id: "bench-\(i)", query: "trivial", category: .product, rewards: [],
                            original: .object([("query", "trivial"), ("problem_id", .string("bench-\(i)"))]))
                        let wallStart = Date().timeIntervalSince1970
                        let started = ContinuousClock.now
                        let envelope = await runner.runOne(
                            agentFile: agent, problem: problem,
                            limits: SandboxLimits(wallClockSeconds: 30, killGraceSeconds: 1, memoryBytes: 1 << 30), proxy: proxy)
                        let d = ContinuousClock.now - started
                        let entered = envelope.steps?.first?.response.flatMap(Double.init)
                        samples.append(
                            Sample(
                                spawnToAgentMain: entered.map { $0 - wallStart },
                                total: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18,
                                status: envelope.status))
                    }
                    return samples
                }
            }
            var all: [Sample] = []
            for await part in group { all += part }
            return all
        }
    }

    static func summary(_ samples: [Sample]) -> JSONValue {
        let latency = samples.compactMap(\.spawnToAgentMain).sorted()
        let totals = samples.map(\.total).sorted()
        func ms(_ sorted: [Double], _ q: Double) -> JSONValue {
            guard !sorted.isEmpty else { return .null }
            let index = min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)
            return .double((sorted[max(0, index)] * 10_000).rounded() / 10)
        }
        return .object([
            ("succeeded", .int(Int64(samples.filter { $0.status == .success }.count))),
            ("samples", .int(Int64(samples.count))),
            (
                "spawn_to_agent_main_ms",
                .object([("p50", ms(latency, 0.5)), ("p95", ms(latency, 0.95)), ("p99", ms(latency, 0.99))])
            ),
            ("per_problem_total_ms", .object([("p50", ms(totals, 0.5)), ("p99", ms(totals, 0.99))])),
        ])
    }

    static func loadAverage() -> [Double] {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).compactMap { Double($0) }
    }
}

/// A catalog with nothing in it: the proxy starts as in `eval`, with no search cost.
public struct EmptyCatalog: ProductSearching {
    public init() {}

    public var documentCount: Int { 0 }
    public func findProduct(_ request: FindProductRequest) -> [Product] { [] }
    public func viewProductInformation(productIDs: String) -> [Product] { [] }
    public func productsRaw(productIDs: String) -> [Product] { [] }
    public func product(id: String) -> Product? { nil }
}

/// Hands out 0, 1, 2, … to concurrent workers.
private final class Ticket: Sendable {
    private let counter = Mutex(0)

    func take() -> Int {
        counter.withLock { n in
            defer { n += 1 }
            return n
        }
    }
}

extension BenchSandbox {
    /// The interpreter to measure: `explicit`, else `$SHOPARENA_SANDBOX_PYTHON`, else `./.venv-sandbox/bin/python`
    /// (not checked: the benchmark reports what fails).
    public static func python(explicit: String?, environment: [String: String], cwd: URL) -> URL {
        URL(fileURLWithPath: explicit ?? environment["SHOPARENA_SANDBOX_PYTHON"] ?? cwd.appendingPathComponent(".venv-sandbox/bin/python").path)
    }
}
