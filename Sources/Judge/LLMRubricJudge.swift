import ArenaModel
import AsyncHTTPClient
import LLM
import Logging

/// Settings of ``LLMRubricJudge``; the defaults are the reference's (`reference/oro-validator.md` §4).
public struct LLMRubricJudgeConfiguration: Sendable {
    /// OpenAI-compatible API base, e.g. `http://127.0.0.1:8000/v1`.
    public var baseURL: String
    public var apiKey: String?
    /// Models in rotation order; each attempt moves to the next model that is not blacklisted.
    public var models: [String]
    /// Limit for one chat request.
    public var timeout: Duration
    /// Chat requests per problem at most.
    public var maxAttempts: Int
    public var maxTokens: Int
    public var temperature: Double
    /// Back-off after a 429/5xx answer: `min(backoffBase · 2^attempt, backoffCap)`.
    public var backoffBase: Duration
    public var backoffCap: Duration

    public init(
        baseURL: String, apiKey: String? = nil, models: [String], timeout: Duration = .seconds(90), maxAttempts: Int = 8,
        maxTokens: Int = 3072, temperature: Double = 0, backoffBase: Duration = .seconds(5),
        backoffCap: Duration = .seconds(10)
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.models = models
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
    }

    /// The sleep before the retry that follows failed attempt `attempt` (0-based).
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let factor = 1 << min(attempt, 20)
        return min(backoffBase * factor, backoffCap)
    }
}

/// The LLM judge: asks a chat model to walk the four-gate rubric over the fenced trajectory and reads
/// `{reasoning_quality, explanation}` from its answer.
///
/// Retry table per problem (`reference/oro-validator.md` §4): a parseable 200 returns the verdict; an
/// unparseable or empty 200 (or a 200 body that is not a chat completion) blacklists that model for this
/// problem and moves on without sleeping;
/// 401/403 stop at once; 429, 5xx and other statuses move on after a back-off; timeouts and connection
/// errors move on without sleeping. It stops when every model is blacklisted or after
/// ``LLMRubricJudgeConfiguration/maxAttempts`` requests.
public struct LLMRubricJudge: ReasoningJudge {
    /// How the judge waits between attempts; tests inject one that only records.
    public typealias Sleep = @Sendable (Duration) async -> Void

    public let configuration: LLMRubricJudgeConfiguration
    public let formatter: TrajectoryFormatter
    private let client: ChatCompletionsClient?
    private let setupError: String?
    private let sleep: Sleep
    private let logger: Logger

    public init(
        configuration: LLMRubricJudgeConfiguration, formatter: TrajectoryFormatter = TrajectoryFormatter(),
        httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "shoparena.judge"),
        sleep: @escaping Sleep = { try? await Task.sleep(for: $0) }
    ) {
        self.configuration = configuration
        self.formatter = formatter
        self.sleep = sleep
        self.logger = logger
        do throws(ChatCompletionsError) {
            client = try ChatCompletionsClient(
                configuration: .init(baseURL: configuration.baseURL, apiKey: configuration.apiKey, timeout: configuration.timeout),
                httpClient: httpClient)
            setupError = nil
        } catch {
            client = nil
            setupError = error.description
        }
    }

    public func judge(_ input: JudgeInput) async -> JudgeResult {
        await judge(trajectory: formatter.format(input))
    }

    /// Judges an already formatted trajectory text.
    public func judge(trajectory: String) async -> JudgeResult {
        guard let client else { return JudgeResult(outcome: .failure(.misconfigured(setupError ?? "no client"))) }
        let models = configuration.models
        guard !models.isEmpty else { return JudgeResult(outcome: .failure(.noModels)) }
        let messages = RubricPrompt.messages(trajectory: trajectory).map { ChatMessage(role: $0.role, content: $0.content) }

        var blacklisted = Set<String>()
        var next = 0
        var total = 0
        var failed = 0
        var lastError = "no attempt was made"
        for attempt in 0..<max(1, configuration.maxAttempts) {
            if Task.isCancelled { return JudgeResult(outcome: .failure(.cancelled), inferenceTotal: total, inferenceFailed: failed) }
            guard let model = Self.nextModel(models, from: &next, skipping: blacklisted) else {
                return JudgeResult(
                    outcome: .failure(.allModelsUnparseable(models: models)), inferenceTotal: total, inferenceFailed: failed)
            }
            total += 1
            let request = ChatCompletionRequest(
                model: model, messages: messages, temperature: configuration.temperature, maxTokens: configuration.maxTokens)
            do throws(ChatCompletionsError) {
                let answer = try await client.complete(request)
                if let text = answer.content, let parsed = JudgeAnswerParser.parse(text) {
                    let verdict = JudgeVerdict(score: parsed.score, explanation: parsed.explanation, model: model)
                    return JudgeResult(outcome: .success(verdict), inferenceTotal: total, inferenceFailed: failed)
                }
                failed += 1
                blacklisted.insert(model)
                lastError = answer.content == nil ? "\(model) answered with empty content" : "\(model) answered without a verdict"
                logger.warning("judge answer unparseable", metadata: ["model": "\(model)", "attempt": "\(attempt + 1)"])
            } catch {
                failed += 1
                lastError = "\(model): \(error.description)"
                switch error {
                case .httpStatus(let code, _) where code == 401 || code == 403:
                    return JudgeResult(
                        outcome: .failure(.unauthorized(status: code, model: model)), inferenceTotal: total,
                        inferenceFailed: failed)
                case .httpStatus:
                    logger.warning("judge upstream error", metadata: ["model": "\(model)", "error": "\(error)"])
                    if attempt + 1 < configuration.maxAttempts { await sleep(configuration.backoff(afterAttempt: attempt)) }
                case .invalidBaseURL:
                    return JudgeResult(outcome: .failure(.misconfigured(error.description)), inferenceTotal: total, inferenceFailed: failed)
                case .invalidResponse:
                    // A 200 that is not a chat completion: as unparseable as a garbage answer.
                    blacklisted.insert(model)
                    logger.warning("judge answer unreadable", metadata: ["model": "\(model)", "error": "\(error)"])
                case .timedOut, .transport:
                    logger.warning("judge request failed", metadata: ["model": "\(model)", "error": "\(error)"])
                }
            }
        }
        return JudgeResult(
            outcome: .failure(.exhausted(attempts: total, lastError: lastError)), inferenceTotal: total, inferenceFailed: failed)
    }

    /// The next model at or after `index` (cyclically) that is not blacklisted; advances `index` past it.
    static func nextModel(_ models: [String], from index: inout Int, skipping blacklisted: Set<String>) -> String? {
        for offset in 0..<models.count {
            let i = (index + offset) % models.count
            if !blacklisted.contains(models[i]) {
                index = i + 1
                return models[i]
            }
        }
        return nil
    }
}
