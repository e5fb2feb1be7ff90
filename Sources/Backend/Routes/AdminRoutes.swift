import ArenaModel
import Hummingbird
import Store

/// The admin routes of reference/oro-api.md §2 (admin table; races live in `RaceRoutes`, 1.0.50's analytics and
/// elimination reinstatement in `AdminAnalyticsRoutes`). Every route is signed by an admin hotkey (the group's
/// `AuthMiddleware`), and every action writes an audit event with the admin's hotkey, the given reason and what
/// changed. Loading a suite or a hidden bank runs the leak-cluster guard (`PoolLeakCheck`) first: the answer
/// carries its `leak_report`, and `?reject_leaks=true` refuses the load with 409 `PROBLEM_LEAK` when anything clusters.
public struct AdminRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    var admin: AdminRepository { AdminRepository(database: services.database) }
    var suites: SuiteRepository { SuiteRepository(database: services.database) }
    var leakCheck: PoolLeakCheck { PoolLeakCheck(database: services.database) }

    public func register(on group: RouterGroup<ArenaRequestContext>) {
        group.post("suites") { request, context in try await createSuite(request, context) }
        group.post("suites/:suite_id/activate") { request, context in try await activateSuite(request, context) }
        group.post("suites/:suite_id/hidden-problems") { request, context in try await addHiddenBank(request, context) }
        group.get("agent-versions") { request, _ in try await listVersions(request) }
        group.get("agent-versions/:agent_version_id/code") { request, context in try await versionCode(request, context) }
        group.post("agent-versions/:agent_version_id/cancel") { request, context in try await cancel(request, context) }
        group.post("agent-versions/:agent_version_id/discard") { request, context in try await discard(request, context, discarded: true) }
        group.post("agent-versions/:agent_version_id/reinstate") { request, context in try await discard(request, context, discarded: false) }
        group.post("agent-versions/:agent_version_id/reevaluate") { request, context in try await reevaluate(request, context) }
        group.post("agent-versions/:agent_version_id/set-top") { request, context in try await setTop(request, context) }
        group.get("evaluation-runs") { request, _ in try await listRuns(request) }
        group.post("evaluation-runs/:eval_run_id/invalidate") { request, context in try await invalidate(request, context) }
        group.get("miners") { request, _ in try await listIdentities(request, role: .miner) }
        group.post("miners/:hotkey/ban") { request, context in try await ban(request, context, role: .miner, banned: true) }
        group.post("miners/:hotkey/unban") { request, context in try await ban(request, context, role: .miner, banned: false) }
        group.post("miners/:hotkey/clear-cooldown") { request, context in try await clearCooldown(request, context) }
        group.get("validators") { request, _ in try await listIdentities(request, role: .validator) }
        group.post("validators/:hotkey/ban") { request, context in try await ban(request, context, role: .validator, banned: true) }
        group.post("validators/:hotkey/unban") { request, context in try await ban(request, context, role: .validator, banned: false) }
        group.get("audit-events") { request, _ in try await auditEvents(request) }
        group.get("reaper/stats") { _, _ in try await reaperStats() }
        AdminAnalyticsRoutes(services: services).register(on: group)
    }

    // MARK: helpers

    func makeActor(_ context: ArenaRequestContext, reason: String?) throws -> AdminActor {
        AdminActor(hotkey: try context.requireCaller().hotkey, reason: reason, now: services.now())
    }

    /// Runs a repository call and turns `AdminError` into the API's error bodies.
    func mapped<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            if let adminError = error as? AdminError { throw Self.apiError(adminError) }
            throw error
        }
    }

    static func apiError(_ error: AdminError) -> APIError {
        let detail = error.description
        switch error {
        case .agentVersionNotFound: return .notFound("AGENT_VERSION_NOT_FOUND", detail)
        case .evalRunNotFound: return .notFound("EVAL_RUN_NOT_FOUND", detail)
        case .minerNotFound: return .notFound("MINER_NOT_FOUND", detail)
        case .validatorNotFound: return .notFound("VALIDATOR_NOT_FOUND", detail)
        case .suiteNotFound: return .notFound("SUITE_NOT_FOUND", detail)
        case .noActiveSuite: return APIError(.serviceUnavailable, code: "NO_ACTIVE_SUITE", detail: detail)
        case .alreadyInvalidated: return .conflict("ALREADY_INVALIDATED", detail)
        case .scoreBelowThreshold(let candidate, let required, let current, let margin):
            return APIError(.badRequest, code: "SCORE_BELOW_THRESHOLD", detail: detail, extras: [
                ("candidate_score", .double(candidate)), ("required_score", .double(required)),
                ("current_top_score", .double(current)), ("margin", .double(margin)),
            ])
        }
    }

    static func paging(_ params: RequestParameters, defaultLimit: Int64 = 50) throws -> (limit: Int, offset: Int) {
        let limit = try params.int("limit", default: defaultLimit, range: 1...1000)
        let offset = try params.int("offset", default: 0, range: 0...Int64(Int32.max))
        return (Int(limit), Int(offset))
    }

    static func page(_ total: Int, _ limit: Int, _ offset: Int, _ key: String, _ items: [JSONValue]) -> JSONResponse {
        JSONResponse(.object([("total", .int(Int64(total))), ("limit", .int(Int64(limit))), ("offset", .int(Int64(offset))),
                              (key, .array(items))]))
    }

    static func hotkey(_ context: ArenaRequestContext) -> String { context.parameters.get("hotkey") ?? "" }

    // MARK: suites

    func createSuite(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let body = try await JSONBody.read(request, context: context)
        let uri = try body.string("problem_suite_uri")
        let isPublic = try body.optionalBool("is_public") ?? true
        let rejectLeaks = try RequestParameters(request).optionalBool("reject_leaks") ?? false
        let suite: ProblemSuite
        do {
            suite = try SuiteRepository.load(uri: uri)
        } catch {
            throw Self.suiteSourceError(error, uri: uri)
        }
        let actor = try makeActor(context, reason: try body.optionalString("reason"))
        let report = try await leakCheck.enteringSuite(suite)
        if rejectLeaks { try await refuse(report, actor: actor, action: "suite.create", target: "new", uri: uri) }
        // Each suite action writes its audit event in its own transaction: both commit or neither does.
        let record = try await suites.create(suite, sourceURI: uri, isPublic: isPublic, now: actor.now) { db, record in
            try await AuditLog.record(in: db, eventID: UUIDText.random(), actor: actor, action: "suite.create", targetType: "suite",
                                      targetID: String(record.suiteID), details: JSONWriter().string(.object([
                                          ("problem_suite_uri", .string(uri)), ("problem_count", .int(record.problemCount)),
                                          ("suite_version", .int(record.suiteVersion)), ("is_public", .bool(isPublic)),
                                          ("leak_report", report.json)])))
        }
        return JSONResponse(.object([("suite_id", .int(record.suiteID)), ("suite_version", .int(record.suiteVersion)),
                                     ("is_active", .bool(record.isActive)), ("leak_report", report.json)]), status: .created)
    }

    /// A suite file that could not be loaded: 404 SUITE_FILE_NOT_FOUND when nothing readable is at the path (the
    /// body was well formed; the file it names does not exist), 422 on `problem_suite_uri` for an unsupported URI or
    /// a file that is not a suite.
    static func suiteSourceError(_ error: any Error, uri: String) -> APIError {
        if case SuiteSourceError.unreadable = error {
            return .notFound("SUITE_FILE_NOT_FOUND", "\(error)")
        }
        return .invalid(["body", "problem_suite_uri"], "\(error)", type: "value_error", input: .string(uri))
    }

    /// Adds a hidden race bank (`{problem_suite_uri}`) to a suite; answers `{suite_id, hidden_problem_count, leak_report}`.
    func addHiddenBank(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let suiteID = try RequestParameters.int(context, "suite_id")
        let body = try await JSONBody.read(request, context: context)
        let uri = try body.string("problem_suite_uri")
        let rejectLeaks = try RequestParameters(request).optionalBool("reject_leaks") ?? false
        let bank: ProblemSuite
        do {
            bank = try SuiteRepository.load(uri: uri)
        } catch {
            throw Self.suiteSourceError(error, uri: uri)
        }
        let actor = try makeActor(context, reason: try body.optionalString("reason"))
        guard try await suites.find(suiteID) != nil else { throw APIError.notFound("SUITE_NOT_FOUND", "suite \(suiteID) not found") }
        let report = try await leakCheck.enteringHiddenBank(bank, suiteID: suiteID)
        if rejectLeaks { try await refuse(report, actor: actor, action: "suite.hidden_bank_add", target: String(suiteID), uri: uri) }
        let audited: @Sendable (any SQLExecutor, Int) async throws -> Void = { db, count in
            try await AuditLog.record(in: db, eventID: UUIDText.random(), actor: actor, action: "suite.hidden_bank_add", targetType: "suite",
                                      targetID: String(suiteID), details: JSONWriter().string(.object([
                                          ("problem_suite_uri", .string(uri)), ("hidden_problem_count", .int(Int64(count))),
                                          ("leak_report", report.json)])))
        }
        guard let count = try await suites.addHiddenBank(bank, to: suiteID, audit: audited) else {
            throw APIError.notFound("SUITE_NOT_FOUND", "suite \(suiteID) not found")
        }
        return JSONResponse(.object([("suite_id", .int(suiteID)), ("hidden_problem_count", .int(Int64(count))),
                                     ("leak_report", report.json)]))
    }

    /// For `?reject_leaks=true`: when the report is not clear, records the refused `action` as `<action>.refused`
    /// (with the report) and answers 409 `PROBLEM_LEAK` carrying the `leak_report`.
    func refuse(_ report: LeakReport, actor: AdminActor, action: String, target: String, uri: String) async throws {
        guard !report.isClear else { return }
        try await admin.audit(actor, action: action + ".refused", targetType: "suite", targetID: target,
                              details: .object([("problem_suite_uri", .string(uri)), ("leak_report", report.json)]))
        throw APIError(.conflict, code: "PROBLEM_LEAK", detail: PoolLeakError.leaks(report).description, extras: [("leak_report", report.json)])
    }

    func activateSuite(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let suiteID = try RequestParameters.int(context, "suite_id")
        let topN = try RequestParameters(request).int("requeue_top_n", default: Int64(services.settings.requeueTopN), range: 0...10_000)
        let actor = try makeActor(context, reason: nil)
        let audited: @Sendable (any SQLExecutor, SuiteActivation) async throws -> Void = { db, activation in
            try await AuditLog.record(in: db, eventID: UUIDText.random(), actor: actor, action: "suite.activate", targetType: "suite",
                                      targetID: String(suiteID), details: JSONWriter().string(.object([
                                          ("previous_suite_id", activation.previousSuiteID.map(JSONValue.int) ?? .null),
                                          ("requeue_top_n", .int(topN)),
                                          ("requeued_versions", .array(activation.requeuedVersionIDs.map(JSONValue.string)))])))
        }
        guard let activation = try await suites.activate(suiteID, requeueTopN: Int(topN),
                                                         requiredSuccesses: services.settings.requiredSuccesses,
                                                         now: actor.now, makeID: { UUIDText.random() }, audit: audited) else {
            throw APIError.notFound("SUITE_NOT_FOUND", "suite \(suiteID) not found")
        }
        let requeued = JSONValue.array(activation.requeuedVersionIDs.map(JSONValue.string))
        return JSONResponse(.object([("suite_id", .int(activation.suite.suiteID)), ("suite_version", .int(activation.suite.suiteVersion)),
                                     ("is_active", .bool(activation.suite.isActive)), ("requeued_versions", requeued)]))
    }

    // MARK: agent versions

    func listVersions(_ request: Request) async throws -> JSONResponse {
        let params = RequestParameters(request)
        var filter = AgentVersionFilter()
        filter.isEligible = try params.optionalBool("is_eligible")
        filter.isDiscarded = try params.optionalBool("is_discarded")
        filter.minerHotkey = params.query["miner_hotkey"]
        filter.suiteID = try params.optionalInt("suite_id")
        filter.since = try params.optionalTimestamp("since")
        filter.until = try params.optionalTimestamp("until")
        let (limit, offset) = try Self.paging(params)
        let page = try await admin.listVersions(filter, limit: limit, offset: offset)
        return Self.page(page.total, limit, offset, "agent_versions", page.rows.map(AdminViews.version))
    }

    func versionCode(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let id = try RequestParameters.uuid(context, "agent_version_id")
        guard let row = try await admin.version(id) else { throw APIError.notFound("AGENT_VERSION_NOT_FOUND", "agent version \(id) not found") }
        let sha = row.optionalString("code_sha256") ?? ""
        try await admin.audit(try makeActor(context, reason: nil), action: "agent_version.code_download", targetType: "agent_version",
                              targetID: id, details: .object([("code_sha256", .string(sha))]))
        return JSONResponse(.object([
            ("download_url", .string(Self.join(services.settings.publicBaseURL, "/v1/public/blobs/\(sha)"))),
            ("agent_version_id", .string(id)), ("agent_name", .string(row.optionalString("agent_name") ?? "")),
            ("code_sha256", .string(sha)),
        ]))
    }

    static func join(_ base: String, _ path: String) -> String {
        base.hasSuffix("/") ? String(base.dropLast()) + path : base + path
    }

    func cancel(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let id = try RequestParameters.uuid(context, "agent_version_id")
        let body = try await JSONBody.read(request, context: context, allowEmpty: true)
        let actor = try makeActor(context, reason: try body.optionalString("reason"))
        let cancelled = try await mapped { try await admin.cancel(id, actor: actor) }
        return JSONResponse(.object([("agent_version_id", .string(id)), ("cancelled_runs", .int(Int64(cancelled)))]))
    }

    func discard(_ request: Request, _ context: ArenaRequestContext, discarded: Bool) async throws -> JSONResponse {
        let id = try RequestParameters.uuid(context, "agent_version_id")
        let body = try await JSONBody.read(request, context: context, allowEmpty: true)
        let actor = try makeActor(context, reason: try body.optionalString("reason"))
        let suiteID = try body.optionalInt("suite_id")
        let suite = try await mapped { try await admin.setDiscarded(id, discarded: discarded, suiteID: suiteID, actor: actor) }
        return JSONResponse(.object([("agent_version_id", .string(id)), ("suite_id", .int(suite)), ("is_discarded", .bool(discarded))]))
    }

    func reevaluate(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let id = try RequestParameters.uuid(context, "agent_version_id")
        let body = try await JSONBody.read(request, context: context, allowEmpty: true)
        let actor = try makeActor(context, reason: try body.optionalString("reason"))
        let suiteID = try body.optionalInt("suite_id")
        let required = try body.optionalInt("required_successes").map(Int.init) ?? services.settings.requiredSuccesses
        guard required >= 1 else {
            throw APIError.invalid(["body", "required_successes"], "Input should be greater than or equal to 1",
                                   type: "greater_than_equal", input: .int(Int64(required)))
        }
        let itemID = try await mapped { try await admin.reevaluate(id, suiteID: suiteID, requiredSuccesses: required, actor: actor) }
        return JSONResponse(.object([("agent_version_id", .string(id)), ("work_item_id", .string(itemID))]))
    }

    func setTop(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let id = try RequestParameters.uuid(context, "agent_version_id")
        let body = try await JSONBody.read(request, context: context, allowEmpty: true)
        let actor = try makeActor(context, reason: try body.optionalString("reason"))
        let suiteID = try body.optionalInt("suite_id")
        let force = try body.optionalBool("force") ?? false
        let change = try await mapped {
            try await admin.setTop(id, suiteID: suiteID, force: force, policy: ArenaPolicy.default.challenge, actor: actor)
        }
        return JSONResponse(.object([
            ("agent_version_id", .string(id)), ("suite_id", .int(change.suiteID)), ("top_at", .string(Wire.timestamp(change.topAt))),
            ("previous_top_agent_version_id", change.previousTopVersionID.map(JSONValue.string) ?? .null),
        ]))
    }

    // MARK: evaluation runs

    func listRuns(_ request: Request) async throws -> JSONResponse {
        let params = RequestParameters(request)
        var filter = EvaluationRunFilter()
        if let status = params.query["status"] {
            guard RunStatus(rawValue: status) != nil else {
                let statuses = RunStatus.allCases.map(\.rawValue)
                throw APIError.invalid(["query", "status"], "Input should be one of \(statuses.joined(separator: ", "))", type: "enum",
                                       input: .string(status))
            }
            filter.status = status
        }
        filter.agentVersionID = try params.optionalUUID("agent_version_id")
        filter.validatorHotkey = params.query["validator_hotkey"]
        if let phase = params.query["phase"] {
            guard EvaluationPhase(rawValue: phase.uppercased()) != nil else {
                throw APIError.invalid(["query", "phase"], "Input should be 'QUALIFYING' or 'RACE'", type: "enum", input: .string(phase))
            }
            filter.phase = phase.uppercased()
        }
        filter.raceID = try params.optionalUUID("race_id")
        filter.workItemID = try params.optionalUUID("eval_work_item_id")
        filter.since = try params.optionalTimestamp("since")
        filter.until = try params.optionalTimestamp("until")
        let (limit, offset) = try Self.paging(params)
        let page = try await admin.listRuns(filter, limit: limit, offset: offset)
        return Self.page(page.total, limit, offset, "evaluation_runs", page.rows.map(AdminViews.run))
    }

    func invalidate(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let id = try RequestParameters.uuid(context, "eval_run_id")
        let body = try await JSONBody.read(request, context: context, allowEmpty: true)
        let actor = try makeActor(context, reason: try body.optionalString("reason"))
        let row = try await mapped { try await admin.invalidate(id, actor: actor) }
        return JSONResponse(AdminViews.run(row))
    }

    // MARK: miners and validators

    func listIdentities(_ request: Request, role: Role) async throws -> JSONResponse {
        let params = RequestParameters(request)
        let (limit, offset) = try Self.paging(params)
        let page = try await admin.listIdentities(role: role, isBanned: try params.optionalBool("is_banned"),
                                                  since: try params.optionalTimestamp("since"),
                                                  until: try params.optionalTimestamp("until"), limit: limit, offset: offset)
        guard role == .validator else { return Self.page(page.total, limit, offset, "miners", page.rows.map(AdminViews.miner)) }
        let metrics = try await ValidatorHostMetrics(database: services.database).all()
        return Self.page(page.total, limit, offset, "validators", page.rows.map { row in
            AdminViews.validator(row, metrics: row.optionalString("hotkey").flatMap { metrics[$0] })
        })
    }

    func ban(_ request: Request, _ context: ArenaRequestContext, role: Role, banned: Bool) async throws -> JSONResponse {
        let hotkey = Self.hotkey(context)
        let body = try await JSONBody.read(request, context: context, allowEmpty: true)
        let actor = try makeActor(context, reason: try body.optionalString("reason"))
        try await mapped { try await admin.setBanned(hotkey, role: role, banned: banned, actor: actor) }
        return JSONResponse(.object([("hotkey", .string(hotkey)), ("is_banned", .bool(banned))]))
    }

    func clearCooldown(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let hotkey = Self.hotkey(context)
        let actor = try makeActor(context, reason: nil)
        let outcome = try await admin.clearCooldown(hotkey, cooldownSeconds: services.settings.submissionCooldownSeconds, actor: actor)
        guard outcome.known else {
            return JSONResponse(.object([("cleared", .bool(false)), ("hotkey", .string(hotkey)),
                                         ("message", .string("unknown hotkey \(hotkey): nothing to clear"))]))
        }
        return JSONResponse(.object([
            ("cleared", .bool(true)), ("hotkey", .string(hotkey)),
            ("seconds_remaining_was", outcome.secondsRemaining.map(JSONValue.int) ?? .null),
            ("message", .string(outcome.secondsRemaining == nil ? "no cooldown was running" : "cooldown cleared")),
        ]))
    }

    // MARK: audit and reaper

    func auditEvents(_ request: Request) async throws -> JSONResponse {
        let params = RequestParameters(request)
        let filter = AuditEventFilter(action: params.query["action"], targetType: params.query["target_type"],
                                      targetID: params.query["target_id"], actorHotkey: params.query["actor_hotkey"],
                                      since: try params.optionalTimestamp("since"), until: try params.optionalTimestamp("until"))
        let (limit, offset) = try Self.paging(params)
        let page = try await AuditLog.list(services.database, filter: filter, limit: limit, offset: offset)
        return Self.page(page.total, limit, offset, "events", page.events.map(AdminViews.event))
    }

    func reaperStats() async throws -> JSONResponse {
        let stale = try await admin.staleRunCount()
        return JSONResponse(.object([
            ("enabled", .bool(services.settings.reaperIntervalSeconds > 0)),
            // The reaper runs as a service of `shoparena serve`; this replica cannot see it from a request.
            ("is_running", .bool(services.settings.reaperIntervalSeconds > 0)),
            ("runs_reaped_total", .int(stale)),
            // Per-cycle figures live in the reaper service of the serving process, not in the database.
            ("runs_reaped_last_cycle", .int(0)), ("last_cycle_duration_ms", .int(0)), ("error_count", .int(0)),
            ("redis_error_count", .int(0)),
            ("interval_seconds", .double(services.settings.reaperIntervalSeconds)),
            ("lease_seconds", .double(services.settings.leaseSeconds)),
        ]))
    }
}
