import ArenaModel
import ArgumentParser
import Foundation
import Judge

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

    @Option(name: .long, help: "Envelope JSONL (output of `shoparena eval`).")
    var trajectories: String

    @Option(name: .long, help: "OpenAI-compatible API base URL of the judge, e.g. http://127.0.0.1:8000/v1.")
    var llmURL: String

    @Option(name: .long, help: "API key for the judge endpoint (sent as a Bearer token).")
    var llmKey: String?

    @Option(name: .long, help: "Judge model; repeat for rotation order.")
    var model: [String]

    @Option(name: .long, help: "Timeout of one judge request, in seconds.")
    var timeout: Double = 90

    @Option(name: .long, help: "Judge requests per trajectory at most.")
    var maxAttempts: Int = 8

    @Option(name: .long, help: "Trajectories judged concurrently.")
    var concurrency: Int = 4

    @Option(name: .long, help: "Where to write the JSON ('-' for stdout).")
    var output: String = "-"

    func validate() throws {
        if model.isEmpty { throw ValidationError("give at least one --model") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if !(timeout > 0) { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let file = EnvelopeFile(text: try ScoreIO.readText(trajectories, what: "trajectories"))
        for issue in file.issues { ScoreIO.warn("\(trajectories): \(issue)") }
        let inputs = file.envelopes.filter { $0.status == .success }.map { JudgeInput(envelope: $0) }
        if inputs.isEmpty { throw ValidationError("'\(trajectories)' has no SUCCESS envelopes to judge") }

        let llm = LLMRubricJudge(
            configuration: .init(
                baseURL: llmURL, apiKey: llmKey, models: model, timeout: .milliseconds(Int64(timeout * 1000)),
                maxAttempts: maxAttempts))
        let rule = RuleJudge()
        let llmResults = await Self.judgeAll(inputs, with: llm, concurrency: concurrency)

        var agreement = JudgeAgreement()
        var rows: [JSONValue] = []
        for (input, result) in zip(inputs, llmResults) {
            let r = rule.verdict(input)
            agreement.add(first: r.score, second: result.verdict?.score)
            rows.append(
                .object([
                    ("problem_id", .string(input.envelope.problemID)),
                    ("rule", .double(r.score)), ("rule_explanation", .string(r.explanation)),
                    ("llm", result.verdict.map { .double($0.score) } ?? .null),
                    ("llm_explanation", .string(result.verdict?.explanation ?? result.failure?.description ?? "")),
                    ("llm_model", result.verdict?.model.map(JSONValue.string) ?? .null),
                ]))
        }
        var report = agreement.json()
        report = report.setting("trajectories", to: .array(rows))
        try ScoreIO.write(report, to: output)
        if agreement.failed == inputs.count {
            throw ValidationError("the LLM judge failed on every trajectory: \(llmResults.first?.failure?.description ?? "")")
        }
    }

    /// Judges every input with at most `concurrency` at once; results in input order.
    static func judgeAll(_ inputs: [JudgeInput], with judge: any ReasoningJudge, concurrency: Int) async -> [JudgeResult] {
        await withTaskGroup(of: (Int, JudgeResult).self) { group in
            var results = [JudgeResult?](repeating: nil, count: inputs.count)
            var next = 0
            func launch() {
                let i = next
                next += 1
                let input = inputs[i]
                group.addTask { (i, await judge.judge(input)) }
            }
            while next < min(concurrency, inputs.count) { launch() }
            while let (i, r) = await group.next() {
                results[i] = r
                if next < inputs.count { launch() }
            }
            return results.map { $0! }
        }
    }
}
