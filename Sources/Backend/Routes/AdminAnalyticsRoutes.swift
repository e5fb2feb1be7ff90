import ArenaModel
import Foundation
import Hummingbird
import Store

/// oro-sdk 1.0.50's admin additions: `POST /v1/admin/agent-versions/{id}/reinstate-elimination`,
/// `GET /v1/admin/analytics/validator-scores` and `GET /v1/admin/analytics/agent-version-variance`. Registered
/// by `AdminRoutes` inside the admin group (signed by an admin hotkey).
public struct AdminAnalyticsRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    var analytics: AdminAnalytics { AdminAnalytics(database: services.database) }

    public func register(on group: RouterGroup<ArenaRequestContext>) {
        group.post("agent-versions/:agent_version_id/reinstate-elimination") { request, context in
            try await reinstateElimination(request, context)
        }
        group.get("analytics/validator-scores") { request, _ in try await validatorScores(request) }
        group.get("analytics/agent-version-variance") { request, _ in try await versionVariance(request) }
    }

    /// Clears the version's elimination so it may race again: `{agent_version_id, suite_id}`.
    func reinstateElimination(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let id = try RequestParameters.uuid(context, "agent_version_id")
        let body = try await JSONBody.read(request, context: context, allowEmpty: true)
        let actor = AdminActor(hotkey: try context.requireCaller().hotkey, reason: try body.optionalString("reason"),
                               now: services.now())
        let suiteID = try body.optionalInt("suite_id")
        let suite: Int64
        do {
            suite = try await analytics.reinstateElimination(id, suiteID: suiteID, actor: actor)
        } catch let error as AdminError {
            throw AdminRoutes.apiError(error)
        }
        return JSONResponse(.object([("agent_version_id", .string(id)), ("suite_id", .int(suite))]))
    }

    static func filter(_ parameters: RequestParameters) throws -> AnalyticsFilter {
        var phase: String?
        if let text = parameters.query["phase"] {
            guard let parsed = EvaluationPhase(rawValue: text.uppercased()) else {
                throw APIError.invalid(["query", "phase"], "Input should be 'QUALIFYING' or 'RACE'", type: "enum", input: .string(text))
            }
            phase = parsed.rawValue
        }
        return AnalyticsFilter(suiteID: try parameters.optionalInt("suite_id"), phase: phase,
                               since: try parameters.optionalTimestamp("since"), until: try parameters.optionalTimestamp("until"))
    }

    func validatorScores(_ request: Request) async throws -> JSONResponse {
        let runs = try await analytics.finishedRuns(try Self.filter(RequestParameters(request)))
        return JSONResponse(ValidatorScoreAnalysis(runs: runs).json)
    }

    func versionVariance(_ request: Request) async throws -> JSONResponse {
        let parameters = RequestParameters(request)
        let threshold = try Self.number(parameters, "variance_threshold", default: 0.1)
        guard threshold >= 0 else {
            throw APIError.invalid(["query", "variance_threshold"], "Input should be greater than or equal to 0",
                                   type: "greater_than_equal", input: .double(threshold))
        }
        let limit = try parameters.int("limit", default: 20, range: 1...1000)
        let runs = try await analytics.finishedRuns(try Self.filter(parameters))
        let rows = VersionVarianceAnalysis(runs: runs, threshold: threshold).rows.prefix(Int(limit))
        return JSONResponse(.object([("agent_versions", .array(rows.map(\.json))), ("variance_threshold", .double(threshold))]))
    }

    static func number(_ parameters: RequestParameters, _ key: String, default fallback: Double) throws -> Double {
        guard let text = parameters.query[key] else { return fallback }
        guard let value = Double(text), value.isFinite else {
            throw APIError.invalid(["query", key], "Input should be a valid number, unable to parse string as a number",
                                   type: "float_parsing", input: .string(text))
        }
        return value
    }
}

/// Basic statistics of a list of numbers (population standard deviation; zeros for an empty list).
struct Statistics: Sendable, Equatable {
    var count: Int
    var mean: Double
    var median: Double
    var stddev: Double
    var min: Double
    var max: Double

    init(_ values: [Double]) {
        count = values.count
        guard !values.isEmpty else {
            mean = 0; median = 0; stddev = 0; min = 0; max = 0
            return
        }
        let sorted = values.sorted()
        mean = values.reduce(0, +) / Double(values.count)
        median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let m = mean
        stddev = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }
}

/// `ValidatorScoresResponse`: per validator, its finished runs' scores, outcomes and durations against everyone's.
///
/// Scores are the `validator_score` of SUCCESS runs; execution time is claim to completion. A validator is a
/// scoring outlier when its mean score is more than two global standard deviations from the global mean (and
/// the spread is not zero), and a slow outlier when its mean execution time is over 50 % above the global mean.
struct ValidatorScoreAnalysis: Sendable {
    let runs: [FinishedRunRecord]

    static func scores(_ runs: [FinishedRunRecord]) -> [Double] {
        runs.filter { $0.status == "SUCCESS" }.compactMap(\.validatorScore)
    }

    static func seconds(_ runs: [FinishedRunRecord]) -> [Double] {
        runs.map { Double($0.completedAt - $0.claimedAt) / 1000 }
    }

    var json: JSONValue {
        let global = Statistics(Self.scores(runs))
        let globalSeconds = Statistics(Self.seconds(runs))
        var order: [String] = []
        var byValidator: [String: [FinishedRunRecord]] = [:]
        for run in runs {
            if byValidator[run.validatorHotkey] == nil { order.append(run.validatorHotkey) }
            byValidator[run.validatorHotkey, default: []].append(run)
        }
        let validators: [JSONValue] = order.sorted().map { hotkey in
            let own = byValidator[hotkey] ?? []
            let scores = Statistics(Self.scores(own))
            let seconds = Statistics(Self.seconds(own))
            let deviation = scores.count > 0 ? scores.mean - global.mean : 0
            let executionDeviation = globalSeconds.mean > 0 ? (seconds.mean - globalSeconds.mean) / globalSeconds.mean * 100 : 0
            let success = own.filter { $0.status == "SUCCESS" }.count
            let failed = own.filter { $0.status == "FAILED" }.count
            let timedOut = own.filter { $0.status == "TIMED_OUT" }.count
            let lastFailure = own.last { $0.status != "SUCCESS" }
            return .object([
                ("validator_hotkey", .string(hotkey)), ("total_runs", .int(Int64(own.count))),
                ("avg_score", .double(scores.mean)), ("median_score", .double(scores.median)),
                ("stddev_score", .double(scores.stddev)), ("min_score", .double(scores.min)), ("max_score", .double(scores.max)),
                ("deviation_from_global", .double(deviation)),
                ("is_outlier", .bool(scores.count > 0 && global.stddev > 0 && abs(deviation) > 2 * global.stddev)),
                ("avg_execution_seconds", .double(seconds.mean)), ("median_execution_seconds", .double(seconds.median)),
                ("min_execution_seconds", .double(seconds.min)), ("max_execution_seconds", .double(seconds.max)),
                ("execution_deviation_pct", .double(executionDeviation)), ("is_slow_outlier", .bool(executionDeviation > 50)),
                ("success_count", .int(Int64(success))), ("failed_count", .int(Int64(failed))),
                ("timed_out_count", .int(Int64(timedOut))),
                ("success_rate", .double(own.isEmpty ? 0 : Double(success) / Double(own.count))),
                ("last_failure_reason", WireValue.string(lastFailure?.failureReason)),
                ("last_failure_at", Wire.timestamp(lastFailure?.completedAt)),
            ])
        }
        return .object([
            ("validators", .array(validators)), ("global_avg_score", .double(global.mean)),
            ("global_stddev", .double(global.stddev)), ("global_avg_execution_seconds", .double(globalSeconds.mean)),
        ])
    }
}

/// `AgentVersionVarianceResponse`: how far validators disagree on one version's work item, from its SUCCESS runs'
/// scores; rows by spread (max − min), widest first, then by the newest score.
struct VersionVarianceAnalysis: Sendable {
    struct Row: Sendable {
        var runs: [FinishedRunRecord]
        var threshold: Double

        var first: FinishedRunRecord { runs[0] }
        var scores: Statistics { Statistics(runs.compactMap(\.validatorScore)) }
        var spread: Double { scores.max - scores.min }
        var latest: Int64 { runs.map(\.completedAt).max() ?? 0 }

        var json: JSONValue {
            let stats = scores
            return .object([
                ("agent_version_id", .string(first.agentVersionID)), ("agent_name", .string(first.agentName)),
                ("miner_hotkey", .string(first.minerHotkey)),
                ("validator_count", .int(Int64(Set(runs.map(\.validatorHotkey)).count))),
                ("avg_score", .double(stats.mean)), ("min_score", .double(stats.min)), ("max_score", .double(stats.max)),
                ("spread", .double(spread)), ("is_high_variance", .bool(spread > threshold)),
                ("eval_work_item_id", .string(first.workItemID)), ("phase", .string(first.phase)),
                ("race_number", WireValue.int(first.raceNumber)),
                ("per_validator", .array(runs.map { run in
                    .object([("validator_hotkey", .string(run.validatorHotkey)), ("score", .double(run.validatorScore ?? 0)),
                             ("run_id", .string(run.evalRunID))])
                })),
            ])
        }
    }

    let rows: [Row]

    init(runs: [FinishedRunRecord], threshold: Double) {
        var order: [String] = []
        var byItem: [String: [FinishedRunRecord]] = [:]
        for run in runs where run.status == "SUCCESS" && run.validatorScore != nil {
            if byItem[run.workItemID] == nil { order.append(run.workItemID) }
            byItem[run.workItemID, default: []].append(run)
        }
        rows = order.map { Row(runs: byItem[$0] ?? [], threshold: threshold) }.sorted { a, b in
            if a.spread != b.spread { return a.spread > b.spread }
            if a.latest != b.latest { return a.latest > b.latest }
            return a.first.workItemID < b.first.workItemID
        }
    }
}
