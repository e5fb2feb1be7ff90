import ArenaModel
import Foundation
import Judge

/// Why a judge comparison has no result.
public enum JudgeAgreementError: Error, Equatable, CustomStringConvertible {
    case nothingToJudge(path: String)
    case judgeFailedEverywhere(String)

    public var description: String {
        switch self {
        case .nothingToJudge(let path): "'\(path)' has no SUCCESS envelopes to judge"
        case .judgeFailedEverywhere(let why): "the LLM judge failed on every trajectory: \(why)"
        }
    }
}

/// `shoparena judge-agreement`: the rule judge and an LLM judge over the same trajectories (envelope JSONL with the
/// proxy's `proxy_calls`): exact-match rate, mean absolute difference, the confusion matrix, one row per trajectory.
public struct JudgeAgreementRun: Sendable {
    public var trajectories: String
    public var llmURL: String
    public var llmKey: String?
    /// Judge models, in rotation order.
    public var model: [String]
    public var timeout: Double = 90
    public var maxAttempts = 8
    public var concurrency = 4
    /// Where the JSON goes ('-': stdout).
    public var output = "-"

    public init(trajectories: String, llmURL: String, model: [String], llmKey: String? = nil, timeout: Double = 90,
                maxAttempts: Int = 8, concurrency: Int = 4, output: String = "-") {
        self.trajectories = trajectories
        self.llmURL = llmURL
        self.model = model
        self.llmKey = llmKey
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.concurrency = concurrency
        self.output = output
    }

    /// Judges every SUCCESS envelope with both judges and writes the report to `output`.
    public func run(note: (String) -> Void) async throws {
        let file = EnvelopeFile(text: try ScoreIO.readText(trajectories, what: "trajectories"))
        for issue in file.issues { note("\(trajectories): \(issue)") }
        let inputs = file.envelopes.filter { $0.status == .success }.map { JudgeInput(envelope: $0) }
        if inputs.isEmpty { throw JudgeAgreementError.nothingToJudge(path: trajectories) }

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
            throw JudgeAgreementError.judgeFailedEverywhere(llmResults.first?.failure?.description ?? "")
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
