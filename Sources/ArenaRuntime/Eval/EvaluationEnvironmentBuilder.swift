import ArenaModel
import Backend
import Foundation
import Judge
import Proxy
import Sandbox
import Scoring
import Search
import Validator

/// The one place that wires an evaluation: the search index (opened, or built from a catalog), the sandbox runner,
/// the per-problem proxies, the scorer with its title similarity, and the judge. `shoparena eval`, `shoparena
/// validator` and ``LocalArena`` describe what they want as this value and build from it, so the three run agents
/// the same way.
///
/// Building is split where the callers differ: the local arena opens one index for several validators, each with its
/// own sandbox work folder; `eval` needs one proxy provider per sample; the validator gets a ready
/// `EvaluationEnvironment`. Every failure is an ``EvaluationSetupError`` sentence.
public struct EvaluationEnvironmentBuilder: Sendable {
    /// Where products come from: an index file, or a catalog indexed into the scratch folder at build time.
    public enum IndexSource: Sendable, Hashable {
        case file(String)
        case catalog(String)
    }

    public var index: IndexSource
    /// The sandbox venv interpreter (see ``sandboxPython(explicit:environment:cwd:)``).
    public var python: URL
    /// The runtime folder holding `run_harness.py` (see ``runtimeFolder(_:cwd:)``).
    public var runtime: URL
    public var isolation: SandboxConfiguration.Isolation = .bubblewrap
    /// The sandbox's work folder (nil: the runner's default under the temporary directory).
    public var sandboxWorkDirectory: URL?
    /// Given to agents as `SANDBOX_MODEL` (nil: not set).
    public var model: String?
    /// Models the proxy lets agents call.
    public var allowedModels: [String] = []
    /// OpenAI-compatible base URL agents' chat completions go to (nil: inference answers 503).
    public var upstream: String?
    /// The upstream key the proxy adds; never given to the agent.
    public var apiKey: String?
    public var recording: InferenceRecording?
    public var profile: ScoringProfile = .oro
    public var similarity: any TitleSimilarity = LexicalTitleSimilarity()
    /// The LLM judge (nil: the offline rule judge).
    public var judge: LLMRubricJudgeConfiguration?
    /// Problems run at once.
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount
    public var limits: SandboxLimits = .standard
    /// Seconds the submission analyzer may take on the agent file (the backend's default).
    public var analyzerTimeoutSeconds: Double = BackendSettings().analyzerTimeoutSeconds

    public init(index: IndexSource, python: URL, runtime: URL, isolation: SandboxConfiguration.Isolation = .bubblewrap,
                model: String? = nil, allowedModels: [String] = [], upstream: String? = nil, apiKey: String? = nil,
                recording: InferenceRecording? = nil, profile: ScoringProfile = .oro,
                similarity: any TitleSimilarity = LexicalTitleSimilarity(), judge: LLMRubricJudgeConfiguration? = nil,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount, limits: SandboxLimits = .standard) {
        self.index = index
        self.python = python
        self.runtime = runtime
        self.isolation = isolation
        self.model = model
        self.allowedModels = allowedModels
        self.upstream = upstream
        self.apiKey = apiKey
        self.recording = recording
        self.profile = profile
        self.similarity = similarity
        self.judge = judge
        self.workers = workers
        self.limits = limits
    }

    // MARK: - Inputs

    /// The sandbox interpreter: `explicit`, else `$SHOPARENA_SANDBOX_PYTHON`, else `./.venv-sandbox/bin/python`;
    /// checked to be executable.
    public static func sandboxPython(explicit: String?, environment: [String: String], cwd: URL)
        throws(EvaluationSetupError) -> URL
    {
        let path = explicit ?? environment["SHOPARENA_SANDBOX_PYTHON"] ?? cwd.appendingPathComponent(".venv-sandbox/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw .pythonMissing(path: path) }
        return URL(fileURLWithPath: path)
    }

    /// The runtime folder `given` (relative to `cwd`), checked to hold `run_harness.py`.
    public static func runtimeFolder(_ given: String, cwd: URL) throws(EvaluationSetupError) -> URL {
        let url = URL(fileURLWithPath: given, relativeTo: cwd).standardizedFileURL
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("run_harness.py").path) else {
            throw .runtimeMissing(folder: url.path, given: given, cwd: cwd.path)
        }
        return url
    }

    /// The agent file exists and the submission analyzer (the backend's ``PythonAnalyzer``, with its time limit)
    /// accepts it and finds `agent_main`; rule violations come back as warnings (a local run still goes ahead).
    public func checkAgent(path: String) async throws(EvaluationSetupError) -> [String] {
        guard let code = FileManager.default.contents(atPath: path) else { throw .agentUnreadable(path: path) }
        let analyzer = PythonAnalyzer(executable: python.path, runtimePath: runtime.path, timeoutSeconds: analyzerTimeoutSeconds)
        let report: CodeAnalysisReport
        do {
            report = try await analyzer.analyze(Array(code))
        } catch {
            throw .analyzerFailed(python: python.path, reason: error.description)
        }
        if let fileError = report.fileError {
            throw .agentUnusable(path: path, message: fileError.message, line: fileError.line)
        }
        return report.violations.map { "\($0.rule) (line \($0.line ?? 0)): \($0.message)" }
    }

    // MARK: - Parts

    /// Opens the index, first indexing the catalog into `scratch/catalog.idx` when the source is a catalog.
    public func openIndex(scratch: URL, progress: (@Sendable (String) -> Void)? = nil) throws(EvaluationSetupError)
        -> SearchIndex
    {
        let path: String
        switch index {
        case .file(let file): path = file
        case .catalog(let catalog):
            progress?("indexing \(catalog)")
            path = try Self.indexCatalog(catalog, directory: scratch)
        }
        do {
            return try SearchIndex.open(path: path)
        } catch {
            throw .indexUnopenable(path: path, reason: "\(error)")
        }
    }

    /// Indexes `catalog` into `directory/catalog.idx` and returns that path.
    public static func indexCatalog(_ catalog: String, directory: URL) throws(EvaluationSetupError) -> String {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .scratchUnavailable(path: directory.path, reason: error.localizedDescription)
        }
        let path = directory.appendingPathComponent("catalog.idx").path
        do {
            _ = try IndexBuilding.build(catalog: catalog, out: path, progress: nil)
        } catch {
            throw .catalogUnindexable(path: catalog, reason: "\(error)")
        }
        return path
    }

    /// A sandbox runner for agents (work folder `workDirectory`, else ``sandboxWorkDirectory``).
    public func makeRunner(workDirectory: URL? = nil) throws(EvaluationSetupError) -> SandboxRunner {
        var agentEnvironment = ["CHUTES_ACCESS_TOKEN": "shoparena-proxy"]
        if let model { agentEnvironment["SANDBOX_MODEL"] = model }
        var configuration = SandboxConfiguration(python: python, runtimeDirectory: runtime, isolation: isolation,
                                                 agentEnvironment: agentEnvironment)
        if let work = workDirectory ?? sandboxWorkDirectory { configuration.workDirectory = work }
        do {
            return try SandboxRunner(configuration: configuration)
        } catch {
            throw .sandboxUnavailable(reason: "\(error)")
        }
    }

    /// The outcome scorer over `engine` with ``profile`` and ``similarity``.
    public func makeScorer(engine: SearchIndex) -> OutcomeScorer {
        OutcomeScorer(profile: profile, products: engine, similarity: similarity)
    }

    /// The reasoning judge: the LLM rubric judge when ``judge`` is set, else the rule judge.
    public func makeJudge() -> any ReasoningJudge { Judges.make(llm: judge) }

    /// What every proxy of this evaluation is configured with.
    public var proxyConfiguration: ProxyConfiguration {
        ProxyConfiguration(allowedModels: allowedModels, upstreamBaseURL: upstream, apiKey: apiKey, recording: recording)
    }

    /// Per-problem proxies over `engine`, writing each problem's trusted log under `logDirectory` when given.
    public func proxyProvider(engine: SearchIndex, logDirectory: URL? = nil) -> ProxyProvider {
        ProxyProvider(engine: engine, configuration: proxyConfiguration, logDirectory: logDirectory)
    }

    /// The validator's environment: a fresh runner (in `sandboxWorkDirectory` when given), the scorer and judge over
    /// `engine`, and the inference route of this builder.
    public func validatorEnvironment(
        engine: SearchIndex, sandboxWorkDirectory: URL? = nil, heartbeatInterval: Double = 30, progressInterval: Double = 10,
        workDirectory: URL, modelAllowlist: (any ModelAllowlistSource)? = nil
    ) throws(EvaluationSetupError) -> EvaluationEnvironment {
        EvaluationEnvironment(
            runner: try makeRunner(workDirectory: sandboxWorkDirectory), engine: engine, scorer: makeScorer(engine: engine),
            judge: makeJudge(), inferenceBaseURL: upstream, allowedModels: allowedModels, workers: workers, limits: limits,
            heartbeatInterval: heartbeatInterval, progressInterval: progressInterval, workDirectory: workDirectory,
            modelAllowlist: modelAllowlist)
    }
}
