import ArenaModel
import ArgumentParser
import Foundation
import Proxy
import Sandbox
import Scoring
import Search

/// `shoparena eval AGENT.py`: runs one agent over a suite locally — each problem in its own sandbox with
/// its own proxy (search from the index, inference through the allowlist to the upstream) — and writes
/// the envelopes as JSONL in completion order (DESIGN.md, steps 3–4). Scoring is `shoparena score`.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run an agent file over a problem suite in the sandbox and write its envelopes.",
        discussion: """
            Needs bubblewrap (apt-get install bubblewrap) and the sandbox venv (scripts/setup-sandbox-venv). \
            The agent sees SANDBOX_PROXY_URL (search + inference), SANDBOX_MODEL and PROBLEM_DATA; nothing else \
            of the host. The upstream key is read from the environment variable named by --api-key-env and is \
            never given to the agent. Score the output with `shoparena score`.
            """)

    @Argument(help: "The agent file (defines agent_main(problem_data)).")
    var agent: String

    @Option(help: "Problem suite: ORO suite JSON or ShoppingBench JSONL.")
    var suite: String

    @Option(help: "Search index file built by `shoparena index build`.")
    var index: String

    @Option(help: "Where to write the envelopes (JSONL, one per problem, completion order).")
    var output: String = "envelopes.jsonl"

    @Option(help: "Problems run at once (default: number of cores).")
    var workers: Int?

    @Option(help: "Wall-clock limit per problem in seconds.")
    var timeout: Double = 300

    @Option(help: "Memory limit per problem in MiB.")
    var memoryMib: UInt64 = 4096

    @Option(help: "Only the first N problems of the suite.")
    var limit: Int?

    @Option(help: "Model the agent should use (SANDBOX_MODEL); also the allowlist unless --allow-model is given.")
    var model: String?

    @Option(help: "A model the proxy allows (repeatable).")
    var allowModel: [String] = []

    @Option(help: "OpenAI-compatible upstream base URL, e.g. https://llm.chutes.ai/v1.")
    var upstream: String?

    @Option(help: "Store every upstream reply in this directory (one file per distinct request).")
    var record: String?

    @Option(help: "Answer inference from a --record directory, with no upstream (unknown requests get 502).")
    var replay: String?

    @Option(help: "Environment variable holding the upstream API key.")
    var apiKeyEnv: String = "CHUTES_API_KEY"

    @Option(help: "Sandbox venv interpreter (default: $SHOPARENA_SANDBOX_PYTHON or ./.venv-sandbox/bin/python).")
    var python: String?

    @Option(help: "The runtime folder holding run_harness.py (default: ./python).")
    var runtime: String = "python"

    @Option(help: "Directory for each problem's trusted proxy log (<problem id>.proxy.jsonl).")
    var proxyLogDir: String?

    @Flag(help: "Run agents without bubblewrap isolation (development only; agents then see the host).")
    var insecure = false

    @Option(help: "Scoring profile: oro (title threshold 0.7) or shoppingbench.")
    var profile: String = "oro"

    @OptionGroup var similarity: SimilarityOptions

    func validate() throws {
        if record != nil && replay != nil { throw ValidationError("--record and --replay cannot be used together") }
        if record != nil && upstream == nil { throw ValidationError("--record needs --upstream URL to record from") }
    }

    /// The record/replay mode asked for, with the record directory created.
    func recording(cwd: URL) throws -> InferenceRecording? {
        if let record {
            let dir = URL(fileURLWithPath: record, relativeTo: cwd).standardizedFileURL
            do {
                _ = try InferenceRecordStore.forRecording(directory: dir)
            } catch {
                throw ValidationError("cannot create the record directory \(dir.path): \(error.localizedDescription)")
            }
            return .record(directory: dir)
        }
        if let replay {
            let dir = URL(fileURLWithPath: replay, relativeTo: cwd).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("the replay directory \(dir.path) does not exist (make it with --record)")
            }
            return .replay(directory: dir)
        }
        return nil
    }

    func run() async throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let recording = try recording(cwd: cwd)
        let suiteText: String
        do {
            suiteText = try String(contentsOfFile: suite, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read the suite \(suite): \(error.localizedDescription)")
        }
        var problems: [Problem]
        do {
            problems = try ProblemSuite(text: suiteText, fileName: suite).problems
        } catch {
            throw ValidationError("\(error)")
        }
        if let limit { problems = Array(problems.prefix(max(0, limit))) }
        let engine: SearchIndex
        do {
            engine = try SearchIndex.open(path: index)
        } catch {
            throw ValidationError("\(error)")
        }
        let pythonPath =
            python ?? ProcessInfo.processInfo.environment["SHOPARENA_SANDBOX_PYTHON"]
            ?? cwd.appendingPathComponent(".venv-sandbox/bin/python").path
        var agentEnvironment = ["CHUTES_ACCESS_TOKEN": "shoparena-proxy"]
        if let model { agentEnvironment["SANDBOX_MODEL"] = model }
        let runner: SandboxRunner
        do {
            runner = try SandboxRunner(
                configuration: SandboxConfiguration(
                    python: URL(fileURLWithPath: pythonPath), runtimeDirectory: URL(fileURLWithPath: runtime, relativeTo: cwd),
                    isolation: insecure ? .insecure : .bubblewrap, agentEnvironment: agentEnvironment))
        } catch {
            throw ValidationError("\(error)")
        }
        let allowed = allowModel.isEmpty ? (model.map { [$0] } ?? []) : allowModel
        let apiKey = ProcessInfo.processInfo.environment[apiKeyEnv].flatMap { $0.isEmpty ? nil : $0 }
        if upstream != nil && apiKey == nil && replay == nil {
            printError("eval: warning: $\(apiKeyEnv) is empty; inference calls go upstream without a key")
        }
        let provider = ProxyProvider(
            engine: engine,
            configuration: ProxyConfiguration(
                allowedModels: allowed, upstreamBaseURL: upstream, apiKey: apiKey, recording: recording),
            logDirectory: proxyLogDir.map { URL(fileURLWithPath: $0, relativeTo: cwd) })

        guard FileManager.default.createFile(atPath: output, contents: nil) else {
            throw ValidationError("cannot create \(output)")
        }
        let sink = try EnvelopeSink(path: output, total: problems.count)
        let limits = SandboxLimits(wallClockSeconds: timeout, memoryBytes: memoryMib << 20)
        let width = workers ?? ProcessInfo.processInfo.activeProcessorCount
        printError(
            "eval: \(problems.count) problems, \(width) workers, \(timeout)s each; \(engine.documentCount) products; "
                + runner.capabilities.summary + (insecure ? " (INSECURE: no isolation)" : ""))
        let started = ContinuousClock.now
        let envelopes = await runner.runBatch(
            agentFile: URL(fileURLWithPath: agent, relativeTo: cwd), problems: problems, limits: limits, workers: width,
            proxy: provider, onEnvelope: { await sink.write($0) })
        await sink.close()
        print(EvalReport(envelopes: envelopes, wallClock: ContinuousClock.now - started, output: output).text)
        try await scoreOutcomes(problems: problems, envelopes: envelopes, products: engine)
    }

    /// Step 5 of an evaluation: the outcome score of every problem (timeouts and crashes count as
    /// failures over the whole suite), printed as a table and written next to the envelopes.
    func scoreOutcomes(problems: [Problem], envelopes: [Envelope], products: SearchIndex) async throws {
        let scorer = OutcomeScorer(profile: try ScoreIO.profile(profile), products: products, similarity: try similarity.backend())
        let result = await SuiteScorer(scorer: scorer).score(suite: problems, envelopes: envelopes, denominator: nil)
        print("")
        print(ScoreDialoguesCommand.table(result))
        let reportPath = output + ".score.json"
        try ScoreIO.write(result.json.setting("suite", to: .string(suite)).setting("dialogues", to: .string(output)), to: reportPath)
        printError("eval: wrote \(reportPath)")
    }
}

/// Appends envelopes to the output file as they complete and prints one progress line per problem.
actor EnvelopeSink {
    private let handle: FileHandle
    private let total: Int
    private var done = 0

    init(path: String, total: Int) throws {
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        self.total = total
    }

    func write(_ envelope: Envelope) {
        try? handle.write(contentsOf: Data((envelope.jsonLine + "\n").utf8))
        done += 1
        let time = String(format: "%.1fs", envelope.executionTime ?? 0)
        var line = "[\(done)/\(total)] \(envelope.problemID) \(envelope.status?.rawValue ?? "?") \(time)"
        if let error = envelope.error {
            line += " \(error.type): \(error.message.split(separator: "\n").first.map(String.init)?.prefix(120) ?? "")"
        }
        printError(line)
    }

    func close() {
        try? handle.close()
    }
}

/// The closing summary of an eval run.
struct EvalReport {
    var envelopes: [Envelope]
    var wallClock: Duration
    var output: String

    var text: String {
        var counts: [String: Int] = [:]
        for e in envelopes { counts[e.status?.rawValue ?? "?", default: 0] += 1 }
        let times = envelopes.compactMap(\.executionTime)
        let mean = times.isEmpty ? 0 : times.reduce(0, +) / Double(times.count)
        let calls = envelopes.map { $0.proxyCalls?.arrayValue?.count ?? 0 }.reduce(0, +)
        let inference = envelopes.map { $0.inferenceTotal ?? 0 }.reduce(0, +)
        let failedInference = envelopes.map { $0.inferenceFailureCount ?? 0 }.reduce(0, +)
        let seconds = Double(wallClock.components.seconds) + Double(wallClock.components.attoseconds) / 1e18
        return """
            problems:        \(envelopes.count)
            SUCCESS:         \(counts["SUCCESS", default: 0])
            FAILED:          \(counts["FAILED", default: 0])
            TIMED_OUT:       \(counts["TIMED_OUT", default: 0])
            time per problem: mean \(String(format: "%.2f", mean)) s, max \(String(format: "%.2f", times.max() ?? 0)) s
            proxy calls:     \(calls) (inference \(inference), failed \(failedInference))
            wall clock:      \(String(format: "%.1f", seconds)) s
            envelopes:       \(output)
            """
    }
}
