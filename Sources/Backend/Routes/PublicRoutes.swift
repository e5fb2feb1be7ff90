import ArenaModel
import Hummingbird
import Store

/// The public routes of oro-api.md §2 (races excepted): suites, leaderboard, top agent, agent versions, runs,
/// the evaluation queue, validators, artifact downloads and the inference model allowlist. Unsigned.
///
/// Hidden (race) problems never leave through here: every problem listing goes through
/// `PublicQueries`, which filters them, and logs of hidden problems are refused as ARTIFACT_NOT_FOUND.
public struct PublicRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    var queries: PublicQueries { PublicQueries(database: services.database) }

    public func register(on group: RouterGroup<ArenaRequestContext>) {
        group.get("suites") { request, _ in try await suites(request) }
        group.get("suites/current") { request, _ in try await currentSuite(request) }
        group.get("suites/:suite_id/problems") { request, context in try await suiteProblems(request, context) }
        group.get("leaderboard") { request, _ in try await leaderboard(request) }
        group.get("top") { _, _ in try await top() }
        group.get("top/history") { request, _ in try await topHistory(request) }
        group.get("top-miner-payout") { _, _ in try await topMinerPayout() }
        group.get("agent-versions/:id") { _, context in try await agentVersion(context) }
        group.get("agent-versions/:id/status") { _, context in try await agentVersionStatus(context) }
        group.get("agent-versions/:id/runs") { _, context in try await agentVersionRuns(context) }
        group.get("agent-versions/:id/problems") { request, context in try await agentVersionProblems(request, context) }
        group.get("evaluation-runs/:eval_run_id") { _, context in try await evaluationRun(context) }
        group.get("evaluations/running") { _, _ in try await runningEvaluations() }
        group.get("evaluations/pending") { request, _ in try await pendingEvaluations(request) }
        group.get("validators") { _, _ in try await validators() }
        group.post("artifacts/download-url") { request, context in
            try await PublicArtifacts(services: services).downloadURL(request, context)
        }
        group.get("blobs/:sha256") { _, context in try await PublicArtifacts(services: services).blob(context) }
        group.get("inference/models") { request, _ in try inferenceModels(request) }
        group.post("waitlist") { request, context in
            // Nothing is stored: the arena has no mailing list. The body is still validated like the reference.
            let body = try await JSONBody.read(request, context: context, limit: 16 << 10)
            _ = try body.string("email")
            _ = try body.optionalString("source")
            return JSONResponse(.object([("success", .bool(true))]))
        }
    }

    // MARK: Suites

    func suites(_ request: Request) async throws -> JSONResponse {
        let newer = ClientGeneration.of(request).isNewer
        return JSONResponse(.array(try await queries.suites().map { SuiteView.json($0, newerClient: newer) }))
    }

    func currentSuite(_ request: Request) async throws -> JSONResponse {
        JSONResponse(SuiteView.json(try await requireCurrentSuite(), newerClient: ClientGeneration.of(request).isNewer))
    }

    /// `InferenceModelsResponse`: the allowlist. 7.x passes `provider` (`chutes` | `openrouter`) and `ranked`;
    /// the arena has one allowlist for every provider and no ranking, so both only get validated.
    func inferenceModels(_ request: Request) throws -> JSONResponse {
        let parameters = RequestParameters(request)
        if let provider = parameters.query["provider"], InferenceProvider(rawValue: provider) == nil {
            throw APIError.invalid(["query", "provider"], "Input should be \(InferenceAuthRoutes.choices)", type: "enum",
                                   input: .string(provider))
        }
        _ = try parameters.optionalBool("ranked")
        return JSONResponse(.object([("models", .array(services.settings.inferenceModels.map(JSONValue.string)))]))
    }

    func suiteProblems(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let suiteID = try RequestParameters.int(context, "suite_id")
        let include = try RequestParameters(request).optionalBool("include_embeddings") ?? false
        guard let suite = try await queries.suite(suiteID) else { throw Self.suiteNotFound(suiteID) }
        let problems = try await queries.visibleProblems(suiteID: suiteID)
        return JSONResponse(.object([
            ("suite", SuiteView.json(suite, newerClient: ClientGeneration.of(request).isNewer)),
            ("problems", .array(problems.map { SuiteView.problem($0, includeEmbeddings: include) })),
        ]))
    }

    func requireCurrentSuite() async throws -> SuiteRecord {
        guard let suite = try await queries.currentSuite() else {
            throw APIError.notFound("SUITE_NOT_FOUND", "no active suite: an admin must activate one")
        }
        return suite
    }

    /// The suite named by the optional `suite_id` query parameter, else the current one.
    func suiteParameter(_ parameters: RequestParameters) async throws -> SuiteRecord {
        guard let suiteID = try parameters.optionalInt("suite_id") else { return try await requireCurrentSuite() }
        guard let suite = try await queries.suite(suiteID) else { throw Self.suiteNotFound(suiteID) }
        return suite
    }

    static func suiteNotFound(_ suiteID: Int64) -> APIError {
        .notFound("SUITE_NOT_FOUND", "suite \(suiteID) does not exist or is not public")
    }

    // MARK: Leaderboard and top

    func leaderboard(_ request: Request) async throws -> JSONResponse {
        let parameters = RequestParameters(request)
        let scoreType = parameters.query["score_type"] ?? "qualifying"
        guard scoreType == "qualifying" || scoreType == "race" else {
            throw APIError.invalid(["query", "score_type"], "Input should be 'qualifying' or 'race'", type: "literal_error",
                                   input: .string(scoreType))
        }
        let limit = try parameters.int("limit", default: 100, range: 1...1000)
        let offset = try parameters.int("offset", default: 0, range: 0...Int64(Int32.max))
        let suite = try await suiteParameter(parameters)
        // 7.x: `q` narrows the board to agent names or hotkeys starting with it.
        let search = parameters.query["q"].flatMap { $0.isEmpty ? nil : $0 }
        let page = try await queries.leaderboard(suiteID: suite.suiteID, limit: limit, offset: offset,
                                                 byRaceScore: scoreType == "race", search: search)
        let history = try await queries.topHistory(suiteID: suite.suiteID)
        let status = TopView.status(history.first { $0.isCurrent }, now: services.now(), policy: services.settings.policy)
        let standing = suite.isActive
            ? try await RaceStanding.load(suiteID: suite.suiteID, database: services.database,
                                          qualification: services.settings.policy.qualification)
            : nil
        let entries = page.entries.enumerated().map { index, version in
            LeaderboardView.entry(version, rank: offset + Int64(index) + 1, history: history, standing: standing)
        }
        return JSONResponse(.object([
            ("total", .int(page.total)), ("limit", .int(limit)), ("offset", .int(offset)),
            ("suite", SuiteView.json(suite, newerClient: ClientGeneration.of(request).isNewer)),
            ("entries", .array(entries)),
            ("unique_miners", .int(page.uniqueMiners)),
            ("challenge_threshold", WireValue.double(status?.challenge.threshold)),
        ]))
    }

    func top() async throws -> JSONResponse {
        let suite = try await requireCurrentSuite()
        let current = try await queries.currentTop(suiteID: suite.suiteID)
        return JSONResponse(TopView.response(suiteID: suite.suiteID, top: current, now: services.now(),
                                             policy: services.settings.policy))
    }

    func topHistory(_ request: Request) async throws -> JSONResponse {
        let suiteID = try RequestParameters(request).optionalInt("suite_id")
        if let suiteID, try await queries.suite(suiteID) == nil { throw Self.suiteNotFound(suiteID) }
        let entries = try await queries.topHistory(suiteID: suiteID)
        // Without a filter the response's suite_id names the current suite (0 when there is none).
        let reported: Int64
        if let suiteID { reported = suiteID } else { reported = try await queries.currentSuite()?.suiteID ?? 0 }
        return JSONResponse(.object([("suite_id", .int(reported)), ("entries", .array(entries.map(TopView.historyEntry)))]))
    }

    /// `TopMinerPayoutResponse`: who holds the top of the current suite. The arena has no price feed or chain
    /// view, so the TAO and USD amounts are null (the model allows it); with no suite or no top, all but
    /// `as_of` are null.
    func topMinerPayout() async throws -> JSONResponse {
        var top: TopRecord?
        if let suite = try await queries.currentSuite() { top = try await queries.currentTop(suiteID: suite.suiteID) }
        return JSONResponse(.object([
            ("as_of", .string(Wire.timestamp(services.now()))),
            ("miner_hotkey", WireValue.string(top?.minerHotkey)),
            ("agent_name", WireValue.string(top?.agentName)),
            ("tao_per_day", .null),
            ("usd_per_day", .null),
            ("tao_price_usd", .null),
        ]))
    }

    // MARK: Agent versions and runs

    func requireVersion(_ context: ArenaRequestContext) async throws -> AgentVersionRecord {
        let id = try RequestParameters.uuid(context, "id")
        guard let version = try await queries.agentVersion(id) else { throw Self.versionNotFound(id) }
        return version
    }

    static func versionNotFound(_ id: String) -> APIError {
        .notFound("AGENT_VERSION_NOT_FOUND", "agent version \(id) does not exist")
    }

    func agentVersion(_ context: ArenaRequestContext) async throws -> JSONResponse {
        let version = try await requireVersion(context)
        guard version.isReleased(now: services.now()) else {
            throw APIError.notFound("ARTIFACT_NOT_RELEASED", Self.embargoMessage(version))
        }
        return JSONResponse(AgentVersionView.json(version))
    }

    static func embargoMessage(_ version: AgentVersionRecord) -> String {
        if let at = version.codeAvailableAt {
            return "agent version \(version.agentVersionID) is released at \(Wire.timestamp(at))"
        }
        return "agent version \(version.agentVersionID) is not released: only eligible versions are, after their embargo"
    }

    func agentVersionStatus(_ context: ArenaRequestContext) async throws -> JSONResponse {
        let id = try RequestParameters.uuid(context, "id")
        guard let status = try await AgentVersionStatusView.load(agentVersionID: id, services: services) else {
            throw Self.versionNotFound(id)
        }
        return JSONResponse(status)
    }

    func agentVersionRuns(_ context: ArenaRequestContext) async throws -> JSONResponse {
        let version = try await requireVersion(context)
        let runs = try await queries.runs(agentVersionID: version.agentVersionID)
        return JSONResponse(.array(runs.map(EvaluationRunView.publicRun)))
    }

    func agentVersionProblems(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let parameters = RequestParameters(request)
        var phase: EvaluationPhase?
        if let text = parameters.query["phase"] {
            guard let parsed = EvaluationPhase(rawValue: text.uppercased()) else {
                throw APIError.invalid(["query", "phase"], "Input should be 'QUALIFYING' or 'RACE'", type: "literal_error",
                                       input: .string(text))
            }
            phase = parsed
        }
        let raceID = try parameters.optionalUUID("race_id")
        let version = try await requireVersion(context)
        let rows = try await queries.runProblems(agentVersionID: version.agentVersionID, phase: phase, raceID: raceID)
        return JSONResponse(ProblemProgressView.response(agentVersionID: version.agentVersionID, suiteID: version.suiteID,
                                                         rows: rows))
    }

    func evaluationRun(_ context: ArenaRequestContext) async throws -> JSONResponse {
        let id = try RequestParameters.uuid(context, "eval_run_id")
        guard let run = try await queries.run(id) else {
            throw APIError.notFound("EVAL_RUN_NOT_FOUND", "evaluation run \(id) does not exist")
        }
        return JSONResponse(EvaluationRunView.detail(run))
    }

    // MARK: Queue and validators

    func runningEvaluations() async throws -> JSONResponse {
        let running = try await queries.runningRuns()
        return JSONResponse(.array(running.map { EvaluationRunView.running($0.run, finished: $0.finished, total: $0.total) }))
    }

    func pendingEvaluations(_ request: Request) async throws -> JSONResponse {
        let parameters = RequestParameters(request)
        let suiteID = try parameters.optionalInt("suite_id")
        let limit = try parameters.int("limit", default: 100, range: 1...1000)
        let offset = try parameters.int("offset", default: 0, range: 0...Int64(Int32.max))
        let page = try await queries.pendingWork(suiteID: suiteID, limit: limit, offset: offset)
        let now = services.now()
        var summary: [(String, JSONValue)] = [("total_pending", .int(page.total)), ("total_runs_needed", .int(page.runsNeeded)),
                                              ("total_runs_active", .int(page.runsActive))]
        // 1.0.50's estimate, sent only when there is a pace to go by (recent finished runs) and work to do.
        let sample = try await CompletionEstimates(database: services.database).sample(now: now)
        if let projected = sample.projectedCompletion(runsNeeded: page.runsNeeded, now: now) {
            summary.append(("projected_completion_at", .string(Wire.timestamp(projected))))
        }
        return JSONResponse(.object([
            ("summary", .object(summary)),
            ("items", .array(page.items.map { EvaluationQueueView.pending($0.item, version: $0.version, now: now) })),
        ]))
    }

    func validators() async throws -> JSONResponse {
        let metrics = try await ValidatorHostMetrics(database: services.database).all()
        return JSONResponse(.array(try await queries.validators().map { EvaluationQueueView.validator($0, metrics: metrics[$0.hotkey]) }))
    }
}
