import ArenaRuntime
import ArgumentParser

/// `shoparena judge-agreement`: runs the rule judge and the LLM judge over the same trajectories and
/// reports how often they agree.
struct JudgeAgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge-agreement",
        abstract: "Compare the rule judge with an LLM judge on a set of trajectories.",
        discussion: """
            Reads envelope JSONL as `shoparena eval` writes it (with the proxy's `proxy_calls`), judges every \
            SUCCESS envelope with both judges and prints JSON: exact-match rate, mean absolute difference and the \
            confusion matrix (rows: rule judge, columns: LLM judge), then one row per trajectory.
            """)

    @Option(name: .long, help: "Envelope JSONL (output of `shoparena eval`).") var trajectories: String
    @Option(name: .long, help: "OpenAI-compatible API base URL of the judge, e.g. http://127.0.0.1:8000/v1.") var llmURL: String
    @Option(name: .long, help: "API key for the judge endpoint (sent as a Bearer token).") var llmKey: String?
    @Option(name: .long, help: "Judge model; repeat for rotation order.") var model: [String]
    @Option(name: .long, help: "Timeout of one judge request, in seconds.") var timeout: Double = 90
    @Option(name: .long, help: "Judge requests per trajectory at most.") var maxAttempts: Int = 8
    @Option(name: .long, help: "Trajectories judged concurrently.") var concurrency: Int = 4
    @Option(name: .long, help: "Where to write the JSON ('-' for stdout).") var output: String = "-"

    func validate() throws {
        if model.isEmpty { throw ValidationError("give at least one --model") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if !(timeout > 0) { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let comparison = JudgeAgreementRun(trajectories: trajectories, llmURL: llmURL, model: model, llmKey: llmKey, timeout: timeout,
                                           maxAttempts: maxAttempts, concurrency: concurrency, output: output)
        try await comparison.run(note: { printError($0) })
    }
}
