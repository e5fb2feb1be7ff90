import ArenaModel
import Hummingbird
import Store

/// The validator routes (oro-api.md §2 validator rows, §4.2): claim, problems, heartbeat, progress, presign and
/// complete. Handlers parse the request, call `WorkQueue`/`UploadRepository`, and answer the SDK's shapes.
///
/// Claim and heartbeat bodies may carry 1.0.50's host metrics (`cpu_pct`, `ram_pct`, `disk_pct`,
/// `docker_container_count`), stored as the validator's latest report. A 7.x claim (`ClaimWorkRequest` with
/// `runtime_contract`, or any request with `X-Oro-Client-Version`) gets the same ShoppingBench work
/// (`legacy_shoppingbench`: no environment pack) and, beside `chutes_access_token`, an `inference_token` grant.
public struct ValidatorRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    public func register(on group: RouterGroup<ArenaRequestContext>) {
        group.post("work/claim") { request, context in try await claim(request, context) }
        group.get("evaluation-runs/:id/problems") { _, context in try await problems(context) }
        group.post("evaluation-runs/:id/heartbeat") { request, context in try await heartbeat(request, context) }
        group.post("evaluation-runs/:id/progress") { request, context in try await progress(request, context) }
        group.post("evaluation-runs/:id/complete") { request, context in try await complete(request, context) }
        group.post("uploads/presign") { request, context in try await presign(request, context) }
    }

    var capabilities: RunCapabilities { RunCapabilities(secret: services.settings.credentialKey) }

    // MARK: Handlers

    func claim(_ request: Request, _ context: ArenaRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await JSONBody.read(request, context: context, allowEmpty: true)
        let versions = try Self.serviceVersions(body)
        let metrics = try Self.hostMetrics(body)
        // 7.x validators announce the runtime contract they can run; every contract gets ShoppingBench work here.
        let runtimeContract = try body.optionalInt("runtime_contract")
        let newer = runtimeContract != nil || ClientGeneration.of(request).isNewer
        let now = services.now()
        if !metrics.isEmpty { try await ValidatorHostMetrics(database: services.database).record(metrics, validator: caller.hotkey, now: now) }
        let claimed: ClaimedRun?
        do {
            claimed = try await services.workQueue.claim(validator: caller.hotkey, serviceVersions: versions, now: now)
        } catch { throw Self.apiError(error) }
        guard let claimed else { return Response(status: .noContent) }
        var fields: [(String, JSONValue)] = [
            ("eval_run_id", .string(claimed.evalRunID)),
            ("agent_version_id", .string(claimed.agentVersionID)),
            ("suite_id", .int(claimed.suiteID)),
            ("lease_expires_at", .string(Wire.timestamp(claimed.leaseExpiresAt))),
            ("code_download_url", .string(codeDownloadURL(runID: claimed.evalRunID))),
            ("chutes_access_token", try await chutesToken(for: claimed)),
        ]
        if newer { fields.append(("inference_token", try await inferenceGrant(for: claimed, now: now))) }
        return try JSONResponse(.object(fields)).response(from: request, context: context)
    }

    func problems(_ context: ArenaRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let runID = try RequestParameters.uuid(context, "id")
        let problems: [RunProblem]
        do {
            problems = try await services.workQueue.problems(runID: runID, validator: caller.hotkey)
        } catch { throw Self.apiError(error) }
        return JSONResponse(.object([("problems", .array(problems.map { problem in
            let metadata = (try? JSONParser.parse(problem.metadataJSON)) ?? .object([])
            return .object([("problem_id", .string(problem.problemID)), ("suite_id", .int(problem.suiteID)), ("metadata", metadata)])
        }))]))
    }

    func heartbeat(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let runID = try RequestParameters.uuid(context, "id")
        let body = try await JSONBody.read(request, context: context, allowEmpty: true)
        let versions = try Self.serviceVersions(body)
        let metrics = try Self.hostMetrics(body)
        let lease: Int64
        do {
            lease = try await services.workQueue.heartbeat(runID: runID, validator: caller.hotkey, serviceVersions: versions,
                                                           now: services.now())
        } catch { throw Self.apiError(error) }
        if !metrics.isEmpty {
            try await ValidatorHostMetrics(database: services.database).record(metrics, validator: caller.hotkey, now: services.now())
        }
        return JSONResponse(.object([("lease_expires_at", .string(Wire.timestamp(lease)))]))
    }

    func progress(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let runID = try RequestParameters.uuid(context, "id")
        let body = try await JSONBody.read(request, context: context, limit: 8 << 20)
        guard let raw = body.value["problems"], !raw.isNull else {
            throw APIError.invalid(["body", "problems"], "Field required", type: "missing")
        }
        guard let items = raw.arrayValue else {
            throw APIError.invalid(["body", "problems"], "Input should be a valid list", type: "list_type", input: raw)
        }
        let updates = try items.map(Self.progressPatch)
        do {
            try await services.workQueue.recordProgress(runID: runID, validator: caller.hotkey, updates: updates, now: services.now())
        } catch { throw Self.apiError(error) }
        return JSONResponse(.object([("accepted", .bool(true))]))
    }

    func complete(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let runID = try RequestParameters.uuid(context, "id")
        let body = try await JSONBody.read(request, context: context, limit: 4 << 20)
        let statusText = try body.string("terminal_status")
        guard let status = TerminalStatus(rawValue: statusText) else {
            throw APIError.invalid(["body", "terminal_status"], "Input should be 'SUCCESS', 'FAILED' or 'TIMED_OUT'",
                                   type: "enum", input: .string(statusText))
        }
        let score = try body.optionalDouble("validator_score")
        if status == .success, score == nil {
            throw APIError.badRequest("MISSING_SCORE", "a SUCCESS completion needs validator_score")
        }
        let components = try body.optionalObject("score_components")
        let completion = RunCompletion(
            status: status, validatorScore: score,
            reasoningQuality: components?["reasoning_quality"]?.numberValue,
            reasoningCoefficient: components?["reasoning_coefficient"]?.numberValue,
            scoreComponents: components.map { JSONWriter().string($0) },
            resultsS3Key: try body.optionalString("results_s3_key"),
            failureReason: try body.optionalString("failure_reason"),
            sandboxMetadata: try body.optionalObject("sandbox_metadata").map { JSONWriter().string($0) })
        let result: CompletionResult
        do {
            result = try await services.workQueue.complete(runID: runID, validator: caller.hotkey, completion: completion,
                                                           now: services.now())
        } catch { throw Self.apiError(error) }
        await CorpusIngest(services: services).ingestAfterCompletion(runID: runID, logger: context.logger)
        return JSONResponse(.object([
            ("eval_run_id", .string(result.evalRunID)),
            ("status", .string(result.status.rawValue)),
            ("work_item", .object([
                ("included_success_count", .int(result.includedSuccessCount)),
                ("required_successes", .int(result.requiredSuccesses)),
                ("is_closed", .bool(result.isClosed)),
            ])),
            ("agent_version_became_eligible", .bool(result.agentVersionBecameEligible)),
            ("final_score", result.finalScore.map(JSONValue.double) ?? .null),
        ]))
    }

    func presign(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let body = try await JSONBody.read(request, context: context)
        let length = try body.int("content_length")
        let runID = try body.uuid("eval_run_id")
        let problemID = try body.uuid("problem_id")
        let contentType = try body.optionalString("content_type") ?? "application/json"
        guard length >= 0 else {
            throw APIError.invalid(["body", "content_length"], "Input should be greater than or equal to 0",
                                   type: "greater_than_equal", input: .int(length))
        }
        guard length <= Int64(services.settings.maxUploadBytes) else {
            throw APIError.badRequest("FILE_TOO_LARGE",
                                      "content_length \(length) exceeds the upload limit of \(services.settings.maxUploadBytes) bytes")
        }
        let now = services.now()
        let expires = now + Int64((services.settings.uploadURLSeconds * 1000).rounded())
        let slot: UploadSlot
        do {
            slot = try await services.uploads.presign(runID: runID, problemID: problemID, validator: caller.hotkey,
                                                      contentLength: length, contentType: contentType, expiresAt: expires)
        } catch { throw Self.apiError(error) }
        return JSONResponse(.object([
            ("upload_url", .string(Self.join(services.settings.publicBaseURL, "/v1/uploads/\(slot.token)"))),
            ("results_s3_key", .string(slot.objectKey)),
            ("expires_at", .string(Wire.timestamp(slot.expiresAt))),
            ("method", "PUT"),
        ]))
    }

    // MARK: Helpers

    func codeDownloadURL(runID: String) -> String {
        Self.join(services.settings.publicBaseURL, "/v1/code/\(runID)/\(capabilities.codeToken(runID: runID))/agent.py")
    }

    var providerCredentials: ProviderCredentials {
        ProviderCredentials(database: services.database, box: CredentialBox(keyText: services.settings.credentialKey))
    }

    /// `chutes_access_token` (1.0.x): the miner's stored Chutes credential, decrypted. Null when the miner never
    /// connected Chutes (or it no longer decrypts after a key change): a 1.0.x validator then completes the run
    /// FAILED with that reason, as the reference does, instead of running agents whose inference nobody pays for.
    /// Another provider's key is never sent under this name (it would go to Chutes).
    func chutesToken(for claimed: ClaimedRun) async throws -> JSONValue {
        guard let token = try await providerCredentials.token(forMiner: claimed.minerHotkey, provider: .chutes), !token.isEmpty
        else { return .null }
        return .string(token)
    }

    /// `inference_token` (7.x `InferenceTokenGrant`): the miner's effective provider, its credential and base URL.
    /// `expires_at` is `inferenceGrantSeconds` ahead (the stored credential itself, not a minted per-run token).
    /// Null when the miner funds no inference.
    func inferenceGrant(for claimed: ClaimedRun, now: Int64) async throws -> JSONValue {
        guard let grant = try await providerCredentials.effective(forMiner: claimed.minerHotkey) else { return .null }
        let expires = now + Int64((services.settings.inferenceGrantSeconds * 1000).rounded())
        return .object([
            ("provider", .string(grant.provider.rawValue)),
            ("access_token", .string(grant.token)),
            ("base_url", .string(services.settings.inferenceProviderBaseURLs[grant.provider.rawValue] ?? "")),
            ("expires_at", .string(Wire.timestamp(expires))),
        ])
    }

    /// 1.0.50's host metrics of a heartbeat or claim body (all optional; 422 for a value of the wrong type).
    static func hostMetrics(_ body: JSONBody) throws -> HostMetrics {
        HostMetrics(cpuPct: try body.optionalDouble("cpu_pct"), ramPct: try body.optionalDouble("ram_pct"),
                    diskPct: try body.optionalDouble("disk_pct"),
                    dockerContainerCount: try body.optionalInt("docker_container_count"))
    }

    static func join(_ base: String, _ path: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }

    /// `service_versions` as JSON text (nil when absent or null).
    static func serviceVersions(_ body: JSONBody) throws -> String? {
        try body.optionalObject("service_versions").map { JSONWriter().string($0) }
    }

    static let problemStatuses: Set<String> = ["PENDING", "RUNNING", "SUCCESS", "FAILED", "TIMED_OUT", "SKIPPED"]

    /// One `ProblemProgressUpdate`: absent keys stay `.unchanged`, present ones (null included) are set.
    static func progressPatch(_ raw: JSONValue) throws -> ProblemProgressPatch {
        guard raw.objectValue != nil else {
            throw APIError.invalid(["body", "problems"], "Input should be a valid dictionary", type: "dict_type", input: raw)
        }
        let item = JSONBody(value: raw)
        let problemID = try item.uuid("problem_id")
        let status = try item.string("status")
        guard problemStatuses.contains(status) else {
            throw APIError.invalid(["body", "problems", "status"],
                                   "Input should be 'PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'TIMED_OUT' or 'SKIPPED'",
                                   type: "enum", input: .string(status))
        }
        var patch = ProblemProgressPatch(problemID: problemID, status: status)
        if item.has("score") { patch.score = .set(try item.optionalDouble("score")) }
        if item.has("reasoning_score") { patch.reasoningScore = .set(try item.optionalDouble("reasoning_score")) }
        if item.has("score_components_summary") {
            patch.scoreComponentsSummary = .set(try item.optionalObject("score_components_summary").map { JSONWriter().string($0) })
        }
        if item.has("logs_s3_key") { patch.logsS3Key = .set(try item.optionalString("logs_s3_key")) }
        if item.has("inference_failure_count") { patch.inferenceFailureCount = .set(try item.optionalInt("inference_failure_count")) }
        if item.has("inference_total") { patch.inferenceTotal = .set(try item.optionalInt("inference_total")) }
        if item.has("execution_time") { patch.executionTime = .set(try item.optionalDouble("execution_time")) }
        return patch
    }

    /// The API error for a queue refusal (other errors pass through).
    static func apiError(_ error: any Error) -> any Error {
        guard let refusal = error as? WorkQueueError else { return error }
        let detail = refusal.description
        switch refusal {
        case .atCapacity: return APIError.conflict("AT_CAPACITY", detail)
        case .runNotFound: return APIError.notFound("EVAL_RUN_NOT_FOUND", detail)
        case .notRunOwner: return APIError.conflict("NOT_RUN_OWNER", detail)
        case .runAlreadyComplete: return APIError.conflict("RUN_ALREADY_COMPLETE", detail)
        case .leaseExpired: return APIError.conflict("LEASE_EXPIRED", detail)
        case .invalidProblemID: return APIError.badRequest("INVALID_PROBLEM_ID", detail)
        case .problemNotFound: return APIError.notFound("PROBLEM_NOT_FOUND", detail)
        }
    }
}
