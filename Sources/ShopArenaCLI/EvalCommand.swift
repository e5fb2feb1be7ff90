import ArenaModel
import ArgumentParser
import Foundation
import ArenaRuntime
import Proxy
import Sandbox

/// `shoparena eval AGENT.py`: runs one agent over a suite locally — each problem in its own sandbox with
/// its own proxy (search from the index, inference through the allowlist to the upstream) — and writes
/// the envelopes as JSONL in completion order (DESIGN.md, steps 3–4). Scoring is `shoparena score`.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run an agent file over a problem suite in the sandbox and write its envelopes.",
        discussion: """
            Needs bubblewrap (apt-get install bubblewrap) and the sandbox venv (scripts/setup-sandbox-venv). The agent sees SANDBOX_PROXY_URL \
            (search + inference), SANDBOX_MODEL and PROBLEM_DATA; nothing else of the host. The upstream key is read from the environment variable \
            named by --api-key-env and is never given to the agent. Score the output with `shoparena score`. With --samples K every problem runs K \
            times, each in a fresh sandbox, and eval reports pass@1 and pass@K per category (Chen et al.'s unbiased estimator over ORO's \
            production-strict success) with the corpus verdicts (agentic / scripted / no-llm) of the samples; the envelopes of sample i go to \
            envelopes.sample-i.jsonl. --model and --upstream choose the model under test: the agent reads it from SANDBOX_MODEL and the proxy allows \
            only it.
            """)

    @Argument(help: "The agent file (defines agent_main(problem_data)).") var agent: String
    @Option(help: "Problem suite: ORO suite JSON or ShoppingBench JSONL.") var suite: String?
    @Option(help: "Generate N problems from --catalog instead of reading a suite.") var generate: Int?
    @Option(help: "Seed for --generate.") var seed: UInt64 = 1
    @Option(help: "Search index file built by `shoparena index build`.") var index: String?
    @Option(help: "Catalog JSONL: indexed on the fly when --index is not given; the source of --generate.") var catalog: String?
    @Option(help: "Where to write the envelopes (JSONL, one per problem, completion order).") var output: String = "envelopes.jsonl"
    @Option(help: "Directory for envelopes.jsonl and summary.json (overrides --output).") var out: String?
    @Option(help: "Problems run at once (default: number of cores).") var workers: Int?
    @Option(help: "Wall-clock limit per problem in seconds.") var timeout: Double = 300
    @Option(help: "Memory limit per problem in MiB.") var memoryMib: UInt64 = 4096
    @Option(help: "Only the first N problems of the suite.") var limit: Int?
    @Option(help: "Model the agent should use (SANDBOX_MODEL); also the allowlist unless --allow-model is given.") var model: String?
    @Option(help: "A model the proxy allows (repeatable).") var allowModel: [String] = []
    @Option(help: "OpenAI-compatible upstream base URL, e.g. https://llm.chutes.ai/v1.") var upstream: String?
    @Option(help: "Store every upstream reply in this directory (one file per distinct request).") var record: String?
    @Option(help: "Answer inference from a --record directory, with no upstream (unknown requests get 502).") var replay: String?
    @Option(help: "Environment variable holding the upstream API key.") var apiKeyEnv: String = "CHUTES_API_KEY"


    @Option(help: "Directory for each problem's trusted proxy log (<problem id>.proxy.jsonl).") var proxyLogDir: String?
    @Option(help: "Scoring profile: oro (title threshold 0.7) or shoppingbench.") var profile: String = "oro"
    @Option(help: "Also write the trajectory corpus records (trajectories.jsonl, stats.json) to this directory.") var corpus: String?
    @Option(help: "Run every problem K times (fresh sandbox each) and report pass@1 and pass@K.") var samples: Int = 1
    @Flag(help: "Print the pass@k report as JSON on stdout (the other summaries go to stderr).") var json = false
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

    func run() async throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let recording: InferenceRecording?
        do { recording = try InferenceRecording.choose(record: record, replay: replay, cwd: cwd) } catch { throw ValidationError("\(error)") }
        let environment = EvaluationEnvironmentBuilder(
            index: index.map { .file($0) } ?? .catalog(catalog ?? ""), python: try sandbox.pythonURL(cwd: cwd),
            runtime: try sandbox.checkedRuntimeURL(cwd: cwd), isolation: sandbox.isolation, model: model,
            allowedModels: allowModel.isEmpty ? (model.map { [$0] } ?? []) : allowModel, upstream: upstream,
            apiKey: ProcessInfo.processInfo.environment[apiKeyEnv].flatMap { $0.isEmpty ? nil : $0 }, recording: recording,
            profile: try ScoreIO.profile(profile), similarity: try similarity.backend(),
            workers: workers ?? ProcessInfo.processInfo.activeProcessorCount,
            limits: SandboxLimits(wallClockSeconds: timeout, memoryBytes: memoryMib << 20))
        let evaluation = LocalEvaluation(
            agent: agent, suite: generate.map { .generated(count: $0, seed: seed, catalog: catalog ?? "") } ?? .file(suite ?? ""),
            environment: environment, limit: limit, samples: samples, output: output, outDirectory: out, proxyLogDirectory: proxyLogDir,
            profileName: profile, corpusDirectory: corpus, json: json, apiKeyEnv: apiKeyEnv, replaying: replay != nil)
        try await evaluation.run(console: .standard)
    }
}
