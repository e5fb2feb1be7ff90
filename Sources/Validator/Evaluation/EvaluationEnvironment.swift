import ArenaModel
import Foundation
import Judge
import Proxy
import Sandbox
import Scoring
import Search

/// The index answers the scorer's lookups as the reference's `get_product_raw` does.
extension SearchIndex: ProductLookup {}

/// What a validator evaluates runs with: its own sandbox, search index, scorer and judge, and the upstream
/// that agents' inference goes to (paid with each run's miner token).
public struct EvaluationEnvironment: Sendable {
    /// Runs each problem's agent in the sandbox (bubblewrap, limits, whole-tree kill).
    public var runner: SandboxRunner
    /// The validator's own search index: answers the agents' `/search/*` calls through the proxy and the scorer's product lookups.
    public var engine: SearchIndex
    /// Scores each problem's outcome (gt, rule, fields, shop, budget, format, length).
    public var scorer: OutcomeScorer
    /// Judges each problem's reasoning from the trusted proxy log (LLM rubric or rule judge).
    public var judge: any ReasoningJudge
    /// OpenAI-compatible base URL agents' chat completions are forwarded to (nil: inference answers 503).
    public var inferenceBaseURL: String?
    /// Models agents may call (used when `modelAllowlist` is nil).
    public var allowedModels: [String]
    /// The live allowlist every proxy asks on each inference request (`BackendModelAllowlist`: the backend's
    /// list, cached); nil: `allowedModels`.
    public var modelAllowlist: (any ModelAllowlistSource)?
    /// Problems run at once.
    public var workers: Int
    /// Wall clock, memory, processes and the other limits of every sandbox run.
    public var limits: SandboxLimits
    /// Seconds between heartbeats (reference: 30).
    public var heartbeatInterval: Double
    /// Minimum seconds between progress reports (reference: 10).
    public var progressInterval: Double
    /// Problems scored and judged at once (reference: 4).
    public var scoringParallelism: Int
    /// Reported with claims and heartbeats.
    public var serviceVersions: [String: String]
    /// Where agent files of runs are written while they run.
    public var workDirectory: URL

    /// The defaults are the reference validator's (30 s heartbeats, 10 s progress, 4 problems scored at once).
    public init(runner: SandboxRunner, engine: SearchIndex, scorer: OutcomeScorer, judge: any ReasoningJudge,
                inferenceBaseURL: String?, allowedModels: [String], workers: Int, limits: SandboxLimits = .standard,
                heartbeatInterval: Double = 30, progressInterval: Double = 10, scoringParallelism: Int = 4,
                serviceVersions: [String: String] = ["validator": "shoparena"],
                workDirectory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-validator"),
                modelAllowlist: (any ModelAllowlistSource)? = nil) {
        self.modelAllowlist = modelAllowlist
        self.runner = runner
        self.engine = engine
        self.scorer = scorer
        self.judge = judge
        self.inferenceBaseURL = inferenceBaseURL
        self.allowedModels = allowedModels
        self.workers = workers
        self.limits = limits
        self.heartbeatInterval = heartbeatInterval
        self.progressInterval = progressInterval
        self.scoringParallelism = scoringParallelism
        self.serviceVersions = serviceVersions
        self.workDirectory = workDirectory
    }
}
