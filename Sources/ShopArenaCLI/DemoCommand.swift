import ArenaModel
import ArgumentParser
import Corpus
import Foundation
import ArenaRuntime

/// `shoparena demo`: the whole arena in one process on embedded defaults — backend, validators (each with
/// its own sandbox, proxy and search index) and an LLM stub. Generates a catalog and a suite, registers demo
/// hotkeys, submits the example agents through the real API, lets the validators evaluate them, prints the
/// leaderboard and keeps serving the API until Ctrl-C.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole arena locally: backend + validators + LLM stub, with the example agents.",
        discussion: """
            Files go under --dir (default ./demo-data): catalog.jsonl, catalog.idx, suite.json (reused when the inputs are unchanged) and arena/ \
            (the SQLite database and blobs, fresh each run). Agents and judge use a scripted stub LLM unless --llm-url points at a real \
            OpenAI-compatible server (key from the environment variable named by --llm-key-env). The search-only demo is `shoparena search demo`.
            """)

    @Option(help: "Folder for the generated files and the arena's state.") var dir: String = "demo-data"
    @Option(help: "Products in the demo catalog.") var products: Int = 5_000
    @Option(help: "Problems in the demo suite.") var problems: Int = 30
    @Option(help: "Random seed (same seed, same catalog and suite).") var seed: UInt64 = 42
    @Option(help: "Validators evaluating submissions (each run needs this many distinct successes: --required).") var validators: Int = 2
    @Option(help: "Included successful runs from distinct validators before an agent is eligible.") var required: Int = 2
    @Option(help: "Backend port on 127.0.0.1 (0: a free one).") var port: Int = 8080
    @Option(help: "Agent files to submit (repeatable; default: the three example agents).") var agent: [String] = []
    @Option(help: "Problems each validator runs at once.") var workers: Int = 2
    @Option(help: "A real OpenAI-compatible LLM for agents and judge instead of the stub.") var llmURL: String?
    @Option(help: "Environment variable holding the --llm-url key.") var llmKeyEnv: String = "CHUTES_API_KEY"
    @Option(help: "Model the agents use (and the proxy allows).") var model: String = "shoparena-stub"
    @Option(help: "Judge model at --llm-url (repeatable); none: the offline rule judge.") var judgeModel: [String] = []
    @Flag(help: "Exit after printing the leaderboard instead of serving until Ctrl-C.") var exit = false
    @Flag(help: "Only generate the catalog, index and suite under --dir, then exit.") var prepareOnly = false
    @OptionGroup var sandbox: SandboxOptions

    func run() async throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let environment = ProcessInfo.processInfo.environment
        if prepareOnly {
            let files = ArenaFiles(directory: URL(fileURLWithPath: dir, relativeTo: cwd).standardizedFileURL)
            try await files.prepare(products: products, problems: problems, seed: seed, log: { printError("==> \($0)") })
            print("catalog: \(files.catalog.path)\nindex:   \(files.index.path)\nsuite:   \(files.suite.path)")
            return
        }
        let python = try sandbox.pythonURL(cwd: cwd)
        let configuration = LocalArena.Configuration(
            directory: URL(fileURLWithPath: dir, relativeTo: cwd).standardizedFileURL, agents: try LocalArena.agentFiles(agent, cwd: cwd),
            python: python, runtime: try sandbox.checkedRuntimeURL(cwd: cwd), products: products, problems: problems, seed: seed,
            validators: validators, requiredSuccesses: required, port: port, workersPerValidator: workers, llmURL: llmURL,
            llmKey: environment[llmKeyEnv], model: model, judgeModels: judgeModel, insecure: sandbox.insecure)
        let arena = LocalArena(configuration: configuration, log: { printError("==> \($0)") })
        let outcome = try await ListenFailure.explaining(host: "127.0.0.1", port: port) { try await arena.run(keepServing: !exit) }
        print(outcome.report)
    }
}
