import ArenaClient
import ArenaModel
import AsyncHTTPClient
import Corpus
import Foundation
import Judge
import Logging
import Proxy
import Sandbox
import Scoring
import Search

/// How one claimed run ended, from the validator's side.
public enum RunReport: Sendable, Equatable {
    /// `complete` was accepted with this terminal status (and score for SUCCESS).
    case completed(status: String, score: Double?)
    /// `complete` failed transiently and waits in the retry queue.
    case queuedForRetry(status: String)
    /// The lease was lost (expired, taken over, completed elsewhere): the evaluation stopped at once and
    /// nothing was completed.
    case leaseLost(String)
}

/// Evaluates one claimed run end to end (reference/oro-validator.md §7): heartbeat while working — a lost
/// lease cancels the sandboxes at once — download the code, fetch the problems, run each in the sandbox with
/// its own proxy (the miner's token pays for inference), score and judge problems as they finish, report
/// progress in batches, upload each problem's log, and complete with the score or an explicit reason.
public struct RunEvaluator: Sendable {
    /// The signed client of the backend the run was claimed from.
    public let client: BackendClient
    /// Sandbox, index, scorer and judge the run is evaluated with.
    public let environment: EvaluationEnvironment
    /// Where problem, judge and heartbeat counts are recorded.
    public let metrics: ValidatorMetrics
    /// Where a `complete` that failed transiently waits for the next cycle.
    public let retryQueue: RetryQueue
    /// Where progress and failures of the run are logged.
    public let logger: Logger

    /// An evaluator over one backend client; cheap, one per claimed run.
    public init(client: BackendClient, environment: EvaluationEnvironment, metrics: ValidatorMetrics,
                retryQueue: RetryQueue, logger: Logger) {
        self.client = client
        self.environment = environment
        self.metrics = metrics
        self.retryQueue = retryQueue
        self.logger = logger
    }

    private enum Phase: Sendable {
        case finished(JSONValue)
        case leaseLost(String)
    }

    /// Evaluates `run` to its end: completed (or queued for retry) with its terminal status, or stopped at once when the lease is lost.
    public func evaluate(_ run: ClaimedRun) async -> RunReport {
        let outcome = await withTaskGroup(of: Phase.self) { group -> Phase in
            group.addTask { await heartbeat(run) }
            group.addTask { .finished(await work(run)) }
            let first = await group.next() ?? .leaseLost("no result")
            group.cancelAll()
            return first
        }
        switch outcome {
        case .leaseLost(let reason):
            logger.warning("run \(run.evalRunID): lease lost (\(reason)); evaluation stopped")
            return .leaseLost(reason)
        case .finished(let body):
            FaultInjection.current.reached(.betweenUploadAndComplete)
            return await complete(run, body: body)
        }
    }

    /// Heartbeats until cancelled; returns only when the lease is lost.
    private func heartbeat(_ run: ClaimedRun) async -> Phase {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .milliseconds(Int64(environment.heartbeatInterval * 1000)))
            } catch {
                return .leaseLost("cancelled")
            }
            do {
                FaultInjection.current.reached(.midHeartbeat)
                try await client.heartbeat(run: run.evalRunID, serviceVersions: environment.serviceVersions)
                metrics.heartbeat("success")
            } catch {
                metrics.heartbeat("failure")
                if error.isLeaseLost { return .leaseLost(error.description) }
                logger.warning("run \(run.evalRunID): heartbeat failed (\(error)); retrying")
            }
        }
        return .leaseLost("cancelled")
    }

    /// Everything between claim and complete; returns the complete body.
    private func work(_ run: ClaimedRun) async -> JSONValue {
        let started = ContinuousClock.now
        guard let token = run.inferenceToken, !token.isEmpty else {
            return Self.failure(RunFailureReasons.noInferenceToken, started: started)
        }
        let code: [UInt8]
        let fetched: [RunProblem]
        do {
            code = try await client.download(run.codeDownloadURL)
            fetched = try await client.problems(run: run.evalRunID)
        } catch {
            return Self.failure("could not fetch the run's code or problems: \(error)", started: started)
        }
        var problems: [Problem] = []
        for item in fetched {
            guard var problem = try? Problem(json: item.metadata) else {
                return Self.failure(RunFailureReasons.unreadableProblem(item.problemID), started: started)
            }
            problem.id = item.problemID
            problems.append(problem)
        }
        if problems.isEmpty { return Self.failure(RunFailureReasons.noProblems, started: started) }
        let directory = environment.workDirectory.appendingPathComponent(run.evalRunID)
        let agentFile = directory.appendingPathComponent("agent.py")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(code).write(to: agentFile)
        } catch {
            return Self.failure("could not write the agent file: \(error.localizedDescription)", started: started)
        }
        defer { try? FileManager.default.removeItem(at: directory) }

        let provider = ProxyProvider(
            engine: environment.engine,
            configuration: ProxyConfiguration(allowedModels: environment.allowedModels,
                                              upstreamBaseURL: environment.inferenceBaseURL, apiKey: token,
                                              allowlist: environment.modelAllowlist))
        let tracker = JudgeRunTracker()
        let book = ProgressBook(interval: environment.progressInterval)
        let byID = Dictionary(problems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let (stream, continuation) = AsyncStream<Envelope>.makeStream()
        let (scores, envelopes) = await withTaskGroup(of: [ProblemScore].self) { group -> ([ProblemScore], [Envelope]) in
            group.addTask {
                await self.scoreAsTheyFinish(stream, run: run, problems: byID, tracker: tracker, book: book)
            }
            FaultInjection.current.reached(.midProblem)
            let envelopes = await environment.runner.runBatch(
                agentFile: agentFile, problems: problems, limits: environment.limits, workers: environment.workers,
                proxy: provider, onEnvelope: { continuation.yield($0) })
            continuation.finish()
            return (await group.next() ?? [], envelopes)
        }
        if Task.isCancelled { return Self.failure(RunFailureReasons.evaluationCancelled, started: started) }
        if let list = await book.takeIfDue(force: true) { await sendProgress(run, list) }
        // Our own provider failed every call the agent made: the run says nothing about the agent (issue 19).
        let inference = InferenceAvailability(envelopes: envelopes)
        if inference.isUnavailable {
            logger.warning(
                "run \(run.evalRunID): the inference provider failed all \(inference.attempts) calls; completing FAILED (\(RunFailureReasons.inferenceUnavailable)) so another validator takes it")
            return Self.failure(RunFailureReasons.inferenceUnavailable, started: started)
        }

        let aggregate = OutcomeAggregate(scores: scores, suiteSize: problems.count, denominator: .suite)
        let summary = tracker.summary
        metrics.judge(calls: summary.inferenceTotal, failures: summary.inferenceFailed)
        if let reason = summary.runFailureReason { return Self.failure(reason, started: started) }
        var components = aggregate.json.objectValue ?? []
        components += summary.scoreComponents
        return .object([
            ("terminal_status", "SUCCESS"),
            ("validator_score", .double(summary.finalScore(successRate: aggregate.successRate))),
            ("score_components", .object(components)),
            ("results_s3_key", .null),
            ("sandbox_metadata", Self.sandboxMetadata(started: started)),
        ])
    }

    /// Scores, judges, uploads and reports each envelope as it arrives, `scoringParallelism` at a time.
    private func scoreAsTheyFinish(_ stream: AsyncStream<Envelope>, run: ClaimedRun, problems: [String: Problem],
                                   tracker: JudgeRunTracker, book: ProgressBook) async -> [ProblemScore] {
        await withTaskGroup(of: ProblemScore?.self) { group -> [ProblemScore] in
            var results: [ProblemScore] = []
            var running = 0
            for await envelope in stream {
                if running >= max(1, environment.scoringParallelism), let done = await group.next() {
                    running -= 1
                    if let done { results.append(done) }
                }
                guard let problem = problems[envelope.problemID] else { continue }
                running += 1
                group.addTask {
                    await self.finish(problem: problem, envelope: envelope, run: run, tracker: tracker, book: book)
                }
            }
            while let done = await group.next() { if let done { results.append(done) } }
            return results
        }
    }

    private func finish(problem: Problem, envelope: Envelope, run: ClaimedRun, tracker: JudgeRunTracker,
                        book: ProgressBook) async -> ProblemScore {
        let status = envelope.status?.rawValue ?? "FAILED"
        metrics.problem(status: status, seconds: envelope.executionTime ?? 0)
        let score = await environment.scorer.score(problem, envelope: envelope)
        var judgement: ProblemJudgement?
        if envelope.status == .success, score.malformation == nil {
            let input = JudgeInput(envelope: envelope, query: problem.query, category: problem.category)
            judgement = await tracker.judge(problemID: problem.id, input, using: environment.judge)
        }
        var summary: [(String, JSONValue)] = [("outcome", score.components.json)]
        if let judgement { summary += judgement.summaryJSON.objectValue ?? [] }
        if let error = envelope.error { summary.append(("error", error.json)) }
        if let malformation = score.malformation { summary.append(("failure_reason", malformation.json)) }
        // The corpus verdicts for the miner (cheap: pure analysis of this envelope and its trusted proxy log), with the
        // catalog check only a validator can make; the backend reuses that check when it ingests the trajectory.
        let engine = environment.engine
        let corpus = CorpusAnalysis.analyse(envelope: envelope, query: problem.query,
                                            catalog: .lookup { engine.product(id: $0) != nil })
        summary.append(("corpus", corpus.summaryJSON.setting("scoring_profile", to: .string(environment.scorer.profile.name))))
        var entry: [(String, JSONValue)] = [
            ("problem_id", .string(problem.id)),
            ("status", .string(Self.problemStatus(envelope, score: score))),
            ("score", .double(score.success ? 1 : 0)),
            ("reasoning_score", judgement?.score.map(JSONValue.double) ?? .null),
            ("score_components_summary", .object(summary)),
            ("inference_failure_count", (envelope.inferenceTotal ?? 0) > 0 ? .int(Int64(envelope.inferenceFailureCount ?? 0)) : .null),
            ("inference_total", (envelope.inferenceTotal ?? 0) > 0 ? .int(Int64(envelope.inferenceTotal ?? 0)) : .null),
            ("execution_time", envelope.executionTime.map(JSONValue.double) ?? .null),
        ]
        do {
            let key = try await client.uploadLog(run: run.evalRunID, problem: problem.id,
                                                 bytes: StoredGzip.wrap(Array(envelope.jsonLine.utf8)))
            entry.append(("logs_s3_key", .string(key)))
        } catch {
            logger.warning("run \(run.evalRunID): log upload for \(problem.id) failed (\(error)); continuing")
        }
        await book.set(problem.id, .object(entry))
        if let list = await book.takeIfDue(force: false) { await sendProgress(run, list) }
        return score
    }

    private func sendProgress(_ run: ClaimedRun, _ list: [JSONValue]) async {
        do {
            try await client.progress(run: run.evalRunID, problems: list)
        } catch {
            logger.warning("run \(run.evalRunID): progress report failed (\(error)); the next one resends everything")
        }
    }

    private func complete(_ run: ClaimedRun, body: JSONValue) async -> RunReport {
        let status = body["terminal_status"]?.stringValue ?? "FAILED"
        do {
            FaultInjection.current.reached(.duringComplete)
            _ = try await client.complete(run: run.evalRunID, body: body)
            return .completed(status: status, score: body["validator_score"]?.numberValue)
        } catch {
            if error.isTransient {
                await retryQueue.add(evalRunID: run.evalRunID, body: body)
                return .queuedForRetry(status: status)
            }
            if error.isLeaseLost { return .leaseLost(error.description) }
            logger.error("run \(run.evalRunID): complete refused: \(error)")
            return .completed(status: "REFUSED", score: nil)
        }
    }

    /// The problem status for progress: the envelope's, or FAILED for an unknown one (never silently TIMED_OUT)
    /// and for a dialogue the scorer could not score (its reason is in `score_components.failure_reason`).
    static func problemStatus(_ envelope: Envelope, score: ProblemScore? = nil) -> String {
        if score?.malformation != nil { return "FAILED" }
        switch envelope.status {
        case .success?: return "SUCCESS"
        case .timedOut?: return "TIMED_OUT"
        default: return "FAILED"
        }
    }

    static func failure(_ reason: String, started: ContinuousClock.Instant) -> JSONValue {
        .object([("terminal_status", "FAILED"), ("failure_reason", .string(reason)),
                 ("sandbox_metadata", sandboxMetadata(started: started))])
    }

    static func sandboxMetadata(started: ContinuousClock.Instant) -> JSONValue {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return .object([("exit_code", 0), ("duration_seconds", .double((seconds * 10).rounded() / 10)), ("stderr_tail", .null)])
    }
}
