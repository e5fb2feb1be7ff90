import ArenaRuntime
import ArgumentParser
import Foundation
import Judge
import Sandbox

/// `shoparena validator`: the validator daemon — claims runs from a backend, evaluates them in the sandbox
/// with its own search index, scores and judges them, and reports back (reference/oro-validator.md §7).
struct ValidatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validator",
        abstract: "Run the validator daemon against an arena backend.",
        discussion: """
            Signs every call with the hotkey --key (see `shoparena keys`); the backend must know it as a validator. Agents' inference goes to \
            --llm-url, paid with each run's miner token; the judge is the offline rule judge unless --judge-model is given. Prometheus metrics are \
            served on --metrics-port. SIGTERM/SIGINT stop the daemon; a run in progress is handed back with an explicit reason.
            """)

    @Option(name: [.customLong("backend"), .customLong("backend-url")], help: ArgumentHelp(
        "The backend's base URL, e.g. http://127.0.0.1:8080. Repeatable or comma-separated for replicas of one arena: calls go to the first that answers and fail over to the next on no answer or a 5xx.",
        valueName: "url"))
    var backend: [String] = []

    /// The backend replicas in order (comma lists split, blanks dropped).
    var backendURLs: [String] {
        backend.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Option(help: "Name of the validator hotkey in the key store.") var key: String
    @Option(help: "Key store directory (default: $SHOPARENA_HOME/keys or ~/.shoparena/keys).") var keysDir: String?
    @Option(help: "Search index file (shoparena index build).") var index: String?
    @Option(help: "Catalog JSONL, indexed at start when --index is not given.") var catalog: String?
    @Option(help: "Problems run at once (default: number of cores).") var workers: Int?
    @Option(help: "Wall-clock limit per problem in seconds.") var timeout: Double = 300
    @Option(help: "OpenAI-compatible upstream for agents' chat completions.") var llmURL: String?
    @Option(help: ArgumentHelp(
        "A model agents may call (repeatable). Default: the backend's list (GET /v1/public/inference/models, set by serve --inference-models), refreshed every --allowlist-refresh seconds; the last list is kept while the backend is unreachable.",
        valueName: "model"))
    var allowModel: [String] = []
    @Option(help: "Seconds between refreshes of the backend's model allowlist.") var allowlistRefresh: Double = 900
    @Option(help: "OpenAI-compatible upstream for the LLM judge (default: --llm-url).") var judgeURL: String?
    @Option(help: "Judge model (repeatable, rotated); none: the offline rule judge.") var judgeModel: [String] = []
    @Option(help: "Environment variable holding the judge's API key.") var judgeKeyEnv: String = "SHOPARENA_JUDGE_KEY"
    @Option(help: "Seconds between claims when there is no work.") var pollInterval: Double = 30
    @Option(help: "Seconds between heartbeats.") var heartbeatInterval: Double = 30
    @Option(help: "Port for Prometheus metrics on 127.0.0.1 (0: off).") var metricsPort: Int = 9100
    @Option(help: "Retry queue file for complete calls that failed transiently.") var retryQueue: String?
    @Option(help: "Stop after this many runs.") var maxRuns: Int?
    @OptionGroup var sandbox: SandboxOptions

    func validate() throws {
        if index == nil && catalog == nil { throw ValidationError("give --index FILE or --catalog FILE") }
        if backendURLs.isEmpty { throw ValidationError("give --backend URL (repeatable, or a comma-separated list of replicas)") }
        for url in backendURLs where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--backend '\(url)' is not an http:// or https:// URL")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let key = try ValidatorKey.load(name: key, keysDir: keysDir, environment: environment)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let evaluation = EvaluationEnvironmentBuilder(
            index: index.map { .file($0) } ?? .catalog(catalog ?? ""), python: try sandbox.pythonURL(cwd: cwd),
            runtime: try sandbox.checkedRuntimeURL(cwd: cwd), isolation: sandbox.isolation, allowedModels: allowModel, upstream: llmURL,
            judge: judgeModel.isEmpty ? nil : LLMRubricJudgeConfiguration(
                baseURL: judgeURL ?? llmURL ?? "", apiKey: environment[judgeKeyEnv], models: judgeModel),
            workers: workers ?? ProcessInfo.processInfo.activeProcessorCount, limits: SandboxLimits(wallClockSeconds: timeout))
        var node = ValidatorNode(backendURLs: backendURLs, keypair: key.keypair, environment: evaluation,
                                 retryQueue: retryQueue.map { URL(fileURLWithPath: $0) } ?? key.defaultRetryQueue)
        node.allowlistRefresh = allowlistRefresh
        node.pollInterval = pollInterval
        node.heartbeatInterval = heartbeatInterval
        node.metricsPort = metricsPort
        node.maxRuns = maxRuns
        try await ListenFailure.explaining(host: "127.0.0.1", port: metricsPort) { try await node.run(console: .standard) }
    }
}
