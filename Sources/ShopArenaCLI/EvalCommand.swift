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
            never given to the agent. Score the output with `shoparena score`. \
            With --samples K every problem runs K times, each in a fresh sandbox, and eval reports pass@1 and pass@K \
            per category (Chen et al.'s unbiased estimator over ORO's production-strict success) with the corpus \
            verdicts (agentic / scripted / no-llm) of the samples; the envelopes of sample i go to \
            envelopes.sample-i.jsonl. --model and --upstream choose the model under test: the agent reads it from \
            SANDBOX_MODEL and the proxy allows only it.
            """)

    @Argument(help: "The agent file (defines agent_main(problem_data)).")
    var agent: String

    @Option(help: "Problem suite: ORO suite JSON or ShoppingBench JSONL.")
    var suite: String?

    @Option(help: "Generate N problems from --catalog instead of reading a suite.")
    var generate: Int?

    @Option(help: "Seed for --generate.")
    var seed: UInt64 = 1

    @Option(help: "Search index file built by `shoparena index build`.")
    var index: String?

    @Option(help: "Catalog JSONL: indexed on the fly when --index is not given; the source of --generate.")
    var catalog: String?

    @Option(help: "Where to write the envelopes (JSONL, one per problem, completion order).")
    var output: String = "envelopes.jsonl"

    @Option(help: "Directory for envelopes.jsonl and summary.json (overrides --output).")
    var out: String?

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


    @Option(help: "Directory for each problem's trusted proxy log (<problem id>.proxy.jsonl).")
    var proxyLogDir: String?

    @Option(help: "Scoring profile: oro (title threshold 0.7) or shoppingbench.")
    var profile: String = "oro"

    @Option(help: "Also write the trajectory corpus records (trajectories.jsonl, stats.json) to this directory.")
    var corpus: String?

    @Option(help: "Run every problem K times (fresh sandbox each) and report pass@1 and pass@K.")
    var samples: Int = 1

    @Flag(help: "Print the pass@k report as JSON on stdout (the other summaries go to stderr).")
    var json = false

    @OptionGroup var sandbox: SandboxOptions

    @OptionGroup var similarity: SimilarityOptions

    func validate() throws {
        if (suite == nil) == (generate == nil) { throw ValidationError("give exactly one of --suite FILE and --generate N") }
        if let generate, generate <= 0 { throw ValidationError("--generate needs a positive number of problems") }
        if generate != nil && catalog == nil {
            throw ValidationError("--generate N needs --catalog FILE (problems are generated from catalog products)")
        }
        if index == nil && catalog == nil { throw ValidationError("give --index FILE or --catalog FILE") }
        if record != nil && replay != nil { throw ValidationError("--record and --replay cannot be used together") }
        if record != nil && upstream == nil { throw ValidationError("--record needs --upstream URL to record from") }
        if samples < 1 { throw ValidationError("--samples needs a positive number of runs per problem") }
        if samples > 1 && profile != "oro" {
            throw ValidationError("--samples reports ORO's production-strict success (profile oro); drop --profile \(profile) "
                + "or score one run with --samples 1")
        }
    }

    /// Where a summary meant for the reader goes: stdout, or stderr when stdout carries the `--json` report.
    func say(_ text: String) {
        if json { printError(text) } else { print(text) }
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
        let runtimeURL = try sandbox.checkedRuntimeURL(cwd: cwd)
        let pythonPath = try sandbox.pythonURL(cwd: cwd).path
        for warning in try EvalSetup.checkAgent(path: agent, python: pythonPath, runtime: runtimeURL) {
            printError("eval: warning: the submission analyzer would refuse this agent: \(warning)")
        }
        if model != nil, let upstream, replay == nil { try await EvalSetup.checkUpstream(upstream) }
        if model == nil && allowModel.isEmpty && (upstream != nil || replay != nil) {
            printError("eval: warning: no --model: the proxy allows no model, so every inference call of the agent is "
                + "refused (403). Pass --model M: the agent reads it from SANDBOX_MODEL and the proxy allows it.")
        }

        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shoparena-eval-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        var indexPath = index
        if indexPath == nil, let catalog {
            printError("eval: indexing \(catalog)")
            indexPath = try EvalSetup.indexCatalog(catalog, directory: temporary)
        }
        let engine = try EvalSetup.openIndex(indexPath ?? "")
        var problems: [Problem]
        let suiteName: String
        if let generate, let catalog {
            let generated = try EvalSetup.generateSuite(count: generate, seed: seed, catalog: catalog, directory: temporary)
            problems = generated.problems
            suiteName = "generated:\(generate)@\(catalog)"
        } else {
            problems = try EvalSetup.loadSuite(suite ?? "")
            suiteName = suite ?? ""
        }
        if let limit { problems = Array(problems.prefix(max(0, limit))) }

        var agentEnvironment = ["CHUTES_ACCESS_TOKEN": "shoparena-proxy"]
        if let model { agentEnvironment["SANDBOX_MODEL"] = model }
        let runner: SandboxRunner
        do {
            runner = try SandboxRunner(
                configuration: SandboxConfiguration(
                    python: URL(fileURLWithPath: pythonPath), runtimeDirectory: runtimeURL,
                    isolation: sandbox.isolation, agentEnvironment: agentEnvironment))
        } catch {
            throw EvalSetupError("The sandbox cannot start: \(error).")
        }
        let allowed = allowModel.isEmpty ? (model.map { [$0] } ?? []) : allowModel
        let apiKey = ProcessInfo.processInfo.environment[apiKeyEnv].flatMap { $0.isEmpty ? nil : $0 }
        // Said once the setup checks passed, just before the agent runs.
        if upstream == nil && replay == nil {
            printError("eval: warning: no --upstream (or --replay): every inference call of the agent will fail with "
                + "503, so an agent that needs an LLM scores 0. Pass --upstream URL (an OpenAI-compatible /v1 base, key in "
                + "$\(apiKeyEnv)) and --model M, or --replay DIR of a recorded run.")
        }
        if upstream != nil && apiKey == nil && replay == nil {
            printError("eval: warning: $\(apiKeyEnv) is empty; inference calls go upstream without a key")
        }
        let proxyConfiguration = ProxyConfiguration(
            allowedModels: allowed, upstreamBaseURL: upstream, apiKey: apiKey, recording: recording)
        // One proxy log directory per sample, so the runs of one problem do not share a log file.
        let sampleCount = samples
        let providers = (0..<sampleCount).map { sample in
            ProxyProvider(
                engine: engine, configuration: proxyConfiguration,
                logDirectory: proxyLogDir.map {
                    let base = URL(fileURLWithPath: $0, relativeTo: cwd)
                    return sampleCount == 1 ? base : base.appendingPathComponent("sample-\(sample)")
                })
        }

        let envelopesPath: String
        let summaryPath: String
        if let out {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw EvalSetupError("The output directory \(out) cannot be created: \(error.localizedDescription).")
            }
            envelopesPath = URL(fileURLWithPath: out).appendingPathComponent("envelopes.jsonl").path
            summaryPath = URL(fileURLWithPath: out).appendingPathComponent("summary.json").path
        } else {
            envelopesPath = output
            summaryPath = output + ".score.json"
        }
        let samplePaths = EvalSamples.envelopePaths(envelopesPath, samples: samples)
        for path in samplePaths where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw EvalSetupError("The envelopes file \(path) cannot be created.")
        }
        let sink = try EnvelopeSink(paths: samplePaths, total: problems.count * samples)
        let limits = SandboxLimits(wallClockSeconds: timeout, memoryBytes: memoryMib << 20)
        let width = workers ?? ProcessInfo.processInfo.activeProcessorCount
        printError(
            "eval: \(problems.count) problems"
                + (samples > 1 ? " × \(samples) samples" : "") + ", \(width) workers, \(timeout)s each; "
                + "\(engine.documentCount) products; "
                + runner.capabilities.summary + (sandbox.insecure ? " (INSECURE: no isolation)" : ""))
        let started = ContinuousClock.now
        let bySample = await runner.runSamples(
            agentFile: URL(fileURLWithPath: agent, relativeTo: cwd), problems: problems, samples: samples, limits: limits,
            workers: width, proxy: { providers[$0] }, onEnvelope: { await sink.write($0.envelope, sample: $0.sample) })
        await sink.close()
        let report = EvalReport(
            envelopes: bySample.flatMap { $0 }, wallClock: ContinuousClock.now - started,
            output: samplePaths.count == 1 ? samplePaths[0] : samplePaths.joined(separator: ", "), samples: samples)
        say(report.text)
        if samples == 1 && !json {
            try await scoreOutcomes(
                problems: problems, envelopes: bySample[0], products: engine, suiteName: suiteName,
                envelopesPath: envelopesPath, summaryPath: summaryPath, run: report.json)
        } else {
            try await scoreSamples(
                problems: problems, bySample: bySample, products: engine, suiteName: suiteName, envelopePaths: samplePaths,
                summaryPath: summaryPath, run: report.json)
        }
    }

    /// pass@k (`--samples`, `--json`): every sample scored with ORO's production-strict rules, its corpus verdicts,
    /// the report on stdout (table or JSON) and in summary.json, the corpus records of every sample.
    func scoreSamples(
        problems: [Problem], bySample: [[Envelope]], products: SearchIndex, suiteName: String, envelopePaths: [String],
        summaryPath: String, run: JSONValue
    ) async throws {
        let scorer = OutcomeScorer(profile: .oro, products: products, similarity: try similarity.backend())
        let evaluation = try await EvalSamples.evaluate(problems: problems, bySample: bySample, scorer: scorer, products: products)
        if json {
            print(JSONWriter(style: .python).string(evaluation.report.json))
        } else {
            print("")
            print(evaluation.report.text)
        }
        try ScoreIO.write(
            .object([
                ("suite", .string(suiteName)), ("samples", .int(Int64(bySample.count))),
                ("dialogues", .array(envelopePaths.map(JSONValue.string))), ("run", run),
                ("pass_at_k", evaluation.report.json), ("sample_scores", .array(evaluation.scores.map(\.json))),
            ]), to: summaryPath)
        printError("eval: wrote \(summaryPath)")
        if let corpus {
            let stats = try EvalCorpus.write(
                directory: corpus, agentFile: URL(fileURLWithPath: agent), problems: problems, bySample: bySample,
                scores: evaluation.scores.map(\.problems), products: products, profile: "oro", envelopePaths: envelopePaths)
            say("")
            say(stats.text)
            printError("eval: wrote the corpus to \(corpus)/trajectories.jsonl")
        }
    }

    /// Step 5 of an evaluation: the outcome score of every problem (timeouts and crashes count as
    /// failures over the whole suite), printed as a table and written next to the envelopes.
    func scoreOutcomes(
        problems: [Problem], envelopes: [Envelope], products: SearchIndex, suiteName: String, envelopesPath: String,
        summaryPath: String, run: JSONValue
    ) async throws {
        let scorer = OutcomeScorer(profile: try ScoreIO.profile(profile), products: products, similarity: try similarity.backend())
        let result = await SuiteScorer(scorer: scorer).score(suite: problems, envelopes: envelopes, denominator: nil)
        print("")
        print(ScoreDialoguesCommand.table(result))
        try ScoreIO.write(
            result.json.setting("suite", to: .string(suiteName)).setting("dialogues", to: .string(envelopesPath))
                .setting("run", to: run), to: summaryPath)
        printError("eval: wrote \(summaryPath)")
        if let corpus {
            let stats = try EvalCorpus.write(
                directory: corpus, agentFile: URL(fileURLWithPath: agent), problems: problems, bySample: [envelopes],
                scores: [result.problems], products: products, profile: profile, envelopePaths: [envelopesPath])
            print("")
            print(stats.text)
            printError("eval: wrote the corpus to \(corpus)/trajectories.jsonl")
        }
    }
}

/// Appends envelopes to the output file of their sample as they complete and reports progress: one updating
/// line (done/total, passed, failed, timed out, ETA) on a terminal, one plain line per run otherwise.
actor EnvelopeSink {
    private let handles: [FileHandle]
    private let total: Int
    private let started = ContinuousClock.now
    private let interactive = isatty(2) == 1
    private var done = 0
    private var passed = 0
    private var failed = 0
    private var timedOut = 0

    /// `paths`: one envelopes file per sample.
    init(paths: [String], total: Int) throws {
        handles = try paths.map { try FileHandle(forWritingTo: URL(fileURLWithPath: $0)) }
        self.total = total
    }

    func write(_ envelope: Envelope, sample: Int = 0) {
        try? handles[sample].write(contentsOf: Data((envelope.jsonLine + "\n").utf8))
        done += 1
        switch envelope.status {
        case .success?: passed += 1
        case .timedOut?: timedOut += 1
        default: failed += 1
        }
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + counts + (done == total ? "\n" : "")).utf8))
            return
        }
        let time = String(format: "%.1fs", envelope.executionTime ?? 0)
        let tag = handles.count > 1 ? " (sample \(sample))" : ""
        var line = "\(counts) | \(envelope.problemID)\(tag) \(envelope.status?.rawValue ?? "?") \(time)"
        if let error = envelope.error {
            line += " \(error.type): \(error.message.split(separator: "\n").first.map(String.init)?.prefix(120) ?? "")"
        }
        printError(line)
    }

    /// `[done/total] passed P, failed F, timed out T, ETA …`
    var counts: String {
        let d = ContinuousClock.now - started
        let elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        let eta = done == 0 ? 0 : elapsed / Double(done) * Double(total - done)
        return "[\(done)/\(total)] passed \(passed), failed \(failed), timed out \(timedOut), ETA \(Int(eta.rounded())) s"
    }

    func close() {
        for handle in handles { try? handle.close() }
    }
}

/// The closing summary of an eval run.
struct EvalReport {
    /// Every run's envelope (all samples).
    var envelopes: [Envelope]
    var wallClock: Duration
    var output: String
    /// Runs per problem (`--samples`).
    var samples: Int = 1

    var text: String {
        var counts: [String: Int] = [:]
        for e in envelopes { counts[e.status?.rawValue ?? "?", default: 0] += 1 }
        let times = envelopes.compactMap(\.executionTime)
        let mean = times.isEmpty ? 0 : times.reduce(0, +) / Double(times.count)
        let calls = envelopes.map { $0.proxyCalls?.arrayValue?.count ?? 0 }.reduce(0, +)
        let inference = envelopes.map { $0.inferenceTotal ?? 0 }.reduce(0, +)
        let failedInference = envelopes.map { $0.inferenceFailureCount ?? 0 }.reduce(0, +)
        let seconds = Double(wallClock.components.seconds) + Double(wallClock.components.attoseconds) / 1e18
        let runs = samples == 1
            ? "problems:        \(envelopes.count)"
            : "runs:            \(envelopes.count) (\(envelopes.count / max(1, samples)) problems × \(samples) samples)"
        return """
            \(runs)
            SUCCESS:         \(counts["SUCCESS", default: 0])
            FAILED:          \(counts["FAILED", default: 0])
            TIMED_OUT:       \(counts["TIMED_OUT", default: 0])
            time per problem: mean \(String(format: "%.2f", mean)) s, max \(String(format: "%.2f", times.max() ?? 0)) s
            proxy calls:     \(calls) (inference \(inference), failed \(failedInference))
            wall clock:      \(String(format: "%.1f", seconds)) s
            envelopes:       \(output)
            """
    }

    /// The run's counts for summary.json.
    var json: JSONValue {
        var counts: [String: Int] = [:]
        for e in envelopes { counts[e.status?.rawValue ?? "?", default: 0] += 1 }
        let seconds = Double(wallClock.components.seconds) + Double(wallClock.components.attoseconds) / 1e18
        return .object([
            ("problems", .int(Int64(envelopes.count / max(1, samples)))),
            ("samples", .int(Int64(samples))),
            ("success", .int(Int64(counts["SUCCESS", default: 0]))),
            ("failed", .int(Int64(counts["FAILED", default: 0]))),
            ("timed_out", .int(Int64(counts["TIMED_OUT", default: 0]))),
            ("wall_clock_seconds", .double((seconds * 1000).rounded() / 1000)),
        ])
    }
}
