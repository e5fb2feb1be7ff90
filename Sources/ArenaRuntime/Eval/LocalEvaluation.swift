import ArenaModel
import AsyncHTTPClient
import Catalog
import Foundation
import NIOCore
import Sandbox
import Scoring
import Search

/// `shoparena eval`: one agent over a suite on this machine — each problem in its own sandbox with its own proxy —
/// with the envelopes written as JSONL in completion order, then scored (one run per problem) or reported as pass@k
/// (`samples` > 1), and optionally written as corpus records (DESIGN.md, steps 3–5).
public struct LocalEvaluation: Sendable {
    /// Where the problems come from.
    public enum SuiteSource: Sendable, Hashable {
        /// ORO suite JSON or ShoppingBench JSONL.
        case file(String)
        /// `count` problems generated from the catalog file with `seed`.
        case generated(count: Int, seed: UInt64, catalog: String)
    }

    public var agent: String
    public var suite: SuiteSource
    /// Index, sandbox, proxies, scorer: what every run is made with.
    public var environment: EvaluationEnvironmentBuilder
    /// Only the first N problems.
    public var limit: Int?
    /// Runs per problem (pass@k at k = samples).
    public var samples: Int = 1
    /// The envelopes file; with `outDirectory`, `envelopes.jsonl` and `summary.json` there instead.
    public var output: String = "envelopes.jsonl"
    public var outDirectory: String?
    /// Each problem's trusted proxy log goes to `<dir>/<problem id>.proxy.jsonl` (`<dir>/sample-i/…` with samples).
    public var proxyLogDirectory: String?
    /// The scoring profile's name, recorded in corpus rows.
    public var profileName: String = "oro"
    /// Also write corpus records (trajectories.jsonl, stats.json) here.
    public var corpusDirectory: String?
    /// The pass@k report as JSON on the result stream (the other summaries become notes).
    public var json = false
    /// The variable holding the upstream key (named in warnings).
    public var apiKeyEnv: String = "CHUTES_API_KEY"
    /// Whether inference is answered from a record directory (no upstream needed).
    public var replaying = false

    public init(agent: String, suite: SuiteSource, environment: EvaluationEnvironmentBuilder, limit: Int? = nil,
                samples: Int = 1, output: String = "envelopes.jsonl", outDirectory: String? = nil,
                proxyLogDirectory: String? = nil, profileName: String = "oro", corpusDirectory: String? = nil,
                json: Bool = false, apiKeyEnv: String = "CHUTES_API_KEY", replaying: Bool = false) {
        self.agent = agent
        self.suite = suite
        self.environment = environment
        self.limit = limit
        self.samples = samples
        self.output = output
        self.outDirectory = outDirectory
        self.proxyLogDirectory = proxyLogDirectory
        self.profileName = profileName
        self.corpusDirectory = corpusDirectory
        self.json = json
        self.apiKeyEnv = apiKeyEnv
        self.replaying = replaying
    }

    /// Checks the setup (agent, upstream, index, suite, sandbox), runs every problem, scores and reports.
    public func run(console: Console) async throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let say: @Sendable (String) -> Void = json ? console.note : console.result
        for warning in try await environment.checkAgent(path: agent) {
            console.note("eval: warning: the submission analyzer would refuse this agent: \(warning)")
        }
        if environment.model != nil, let upstream = environment.upstream, !replaying { try await Self.checkUpstream(upstream) }
        if environment.model == nil && environment.allowedModels.isEmpty && (environment.upstream != nil || replaying) {
            console.note("eval: warning: no --model: the proxy allows no model, so every inference call of the agent is "
                + "refused (403). Pass --model M: the agent reads it from SANDBOX_MODEL and the proxy allows it.")
        }

        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shoparena-eval-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let engine = try environment.openIndex(scratch: temporary, progress: { console.note("eval: \($0)") })
        let loaded = try loadProblems(scratch: temporary)
        let suiteName = loaded.name
        var problems = loaded.problems
        if let limit { problems = Array(problems.prefix(max(0, limit))) }
        let runner = try environment.makeRunner()
        // Said once the setup checks passed, just before the agent runs.
        if environment.upstream == nil && !replaying {
            console.note("eval: warning: no --upstream (or --replay): every inference call of the agent will fail with "
                + "503, so an agent that needs an LLM scores 0. Pass --upstream URL (an OpenAI-compatible /v1 base, key in "
                + "$\(apiKeyEnv)) and --model M, or --replay DIR of a recorded run.")
        }
        if environment.upstream != nil && environment.apiKey == nil && !replaying {
            console.note("eval: warning: $\(apiKeyEnv) is empty; inference calls go upstream without a key")
        }
        // One proxy log directory per sample, so the runs of one problem do not share a log file.
        let sampleCount = samples
        let providers = (0..<sampleCount).map { sample in
            environment.proxyProvider(engine: engine, logDirectory: proxyLogDirectory.map {
                let base = URL(fileURLWithPath: $0, relativeTo: cwd)
                return sampleCount == 1 ? base : base.appendingPathComponent("sample-\(sample)")
            })
        }

        let (envelopesPath, summaryPath) = try outputPaths()
        let samplePaths = EvalSamples.envelopePaths(envelopesPath, samples: samples)
        for path in samplePaths where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw EvalSetupError("The envelopes file \(path) cannot be created.")
        }
        let sink = try EnvelopeSink(paths: samplePaths, total: problems.count * samples, console: console)
        let width = environment.workers
        let timeout = environment.limits.wallClockSeconds
        console.note(
            "eval: \(problems.count) problems"
                + (samples > 1 ? " × \(samples) samples" : "") + ", \(width) workers, \(timeout)s each; "
                + "\(engine.documentCount) products; "
                + runner.capabilities.summary + (environment.isolation == .insecure ? " (INSECURE: no isolation)" : ""))
        let started = ContinuousClock.now
        let bySample = await runner.runSamples(
            agentFile: URL(fileURLWithPath: agent, relativeTo: cwd), problems: problems, samples: samples,
            limits: environment.limits, workers: width, proxy: { providers[$0] },
            onEnvelope: { await sink.write($0.envelope, sample: $0.sample) })
        await sink.close()
        let report = EvalReport(
            envelopes: bySample.flatMap { $0 }, wallClock: ContinuousClock.now - started,
            output: samplePaths.count == 1 ? samplePaths[0] : samplePaths.joined(separator: ", "), samples: samples)
        say(report.text)
        let scoring = EvalScoring(evaluation: self, problems: problems, products: engine, suiteName: suiteName,
                                  summaryPath: summaryPath, run: report.json, console: console)
        if samples == 1 && !json {
            try await scoring.outcomes(envelopes: bySample[0], envelopesPath: envelopesPath)
        } else {
            try await scoring.samples(bySample: bySample, envelopePaths: samplePaths)
        }
    }

    /// The envelopes file and the summary file.
    func outputPaths() throws -> (envelopes: String, summary: String) {
        guard let outDirectory else { return (output, output + ".score.json") }
        do {
            try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        } catch {
            throw EvalSetupError("The output directory \(outDirectory) cannot be created: \(error.localizedDescription).")
        }
        let folder = URL(fileURLWithPath: outDirectory)
        return (folder.appendingPathComponent("envelopes.jsonl").path, folder.appendingPathComponent("summary.json").path)
    }

    /// The problems and the suite's name for the summary.
    func loadProblems(scratch: URL) throws(EvaluationSetupError) -> (problems: [Problem], name: String) {
        switch suite {
        case .file(let path): return (try Self.loadSuite(path), path)
        case .generated(let count, let seed, let catalog):
            return (try Self.generateSuite(count: count, seed: seed, catalog: catalog, directory: scratch).problems,
                    "generated:\(count)@\(catalog)")
        }
    }

    /// Whether the upstream answers at all (any HTTP status counts; only a failed connection does not).
    public static func checkUpstream(_ base: String) async throws(EvaluationSetupError) {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: trimmed + "/models"), timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw .upstreamUnreachable(url: base, reason: "\(error)")
        }
    }

    public static func loadSuite(_ path: String) throws(EvaluationSetupError) -> [Problem] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .suiteUnreadable(path: path, reason: error.localizedDescription)
        }
        do {
            return try ProblemSuite(text: text, fileName: path).problems
        } catch {
            throw .suiteInvalid(path: path, reason: "\(error)")
        }
    }

    /// `count` problems generated from the catalog file with SuiteGenerator, written to `directory/suite.json`.
    public static func generateSuite(count: Int, seed: UInt64, catalog: String, directory: URL)
        throws(EvaluationSetupError) -> (problems: [Problem], path: String)
    {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let generated = try SuiteGenerator(configuration: SuiteGeneratorConfiguration(count: count, seed: seed))
                .generate(catalogPath: catalog)
            let path = directory.appendingPathComponent("suite.json").path
            try generated.jsonText.write(toFile: path, atomically: true, encoding: .utf8)
            return (try ProblemSuite(text: generated.jsonText, fileName: path).problems, path)
        } catch {
            throw .suiteNotGenerated(count: count, catalog: catalog, reason: "\(error)")
        }
    }
}
