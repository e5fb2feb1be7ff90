import ArenaModel
import Corpus
import Foundation
import Store

/// The hand-written OpenAPI 3.1 document of what the backend serves (reference/oro-api.md §2), served at
/// `GET /openapi.json`. Operations are listed once in `operations`; `OpenAPITests` checks them against the
/// router's routes in both directions, so a route added without documentation (or documented but not served)
/// fails the tests.
public enum OpenAPIDocument {
    /// Who may call an operation.
    public enum Access: String, Sendable {
        case open, signedMiner, signedValidator, signedAdmin, bearer, token
    }

    /// A query parameter: name, schema, whether required.
    public struct Query: Sendable {
        let name: String
        let schema: JSONValue
        let required: Bool
        init(_ name: String, _ schema: JSONValue, required: Bool = false) {
            self.name = name
            self.schema = schema
            self.required = required
        }
    }

    /// One documented operation.
    public struct Operation: Sendable {
        public let method: String
        /// OpenAPI path with `{name}` parameters, e.g. `/v1/admin/suites/{suite_id}/activate`.
        public let path: String
        let tag: String
        let summary: String
        let access: Access
        let query: [Query]
        /// `#/components/schemas` name of a JSON body, `multipart` for submit, `binary` for the upload PUT.
        let body: String?
        /// Status → schema name (nil: no body / free-form).
        let responses: [(String, String?)]

        init(_ method: String, _ path: String, _ tag: String, _ summary: String, _ access: Access, query: [Query] = [],
             body: String? = nil, _ responses: [(String, String?)]) {
            self.method = method
            self.path = path
            self.tag = tag
            self.summary = summary
            self.access = access
            self.query = query
            self.body = body
            self.responses = responses
        }
    }

    /// `limit` 1…1000 and `offset` 0…2³¹−1, as the list routes check them (422 outside).
    static let paging = [Query("limit", Schema.integer(1...1000)), Query("offset", Schema.integer(0...Int64(Int32.max)))]
    /// `since`/`until`: an RFC 3339 time, or Unix time as a number (both are accepted).
    static let instant: JSONValue = .object([("anyOf", .array([Schema.dateTime,
                                                               .object([("type", "string"), ("pattern", "^-?[0-9]{1,12}(\\.[0-9]{1,3})?$")])]))])
    static let window = [Query("since", instant), Query("until", instant)]
    static let err = "Error"
    /// A response schema name for a `text/plain` body (the Prometheus exposition format of `/metrics`).
    static let textPlain = "text/plain"
    /// A response schema name for a Python source body (an agent's code).
    static let pythonSource = "text/x-python"

    /// Every operation the backend serves.
    public static let operations: [Operation] = [
        Operation("GET", "/health", "meta", "Liveness", .open, [("200", nil)]),
        Operation("GET", "/openapi.json", "meta", "This document", .open, [("200", nil)]),
        Operation("GET", "/health/deep", "meta", "Liveness with a database round trip", .open, [("200", nil), ("503", nil)]),
        Operation("GET", "/metrics", "internal", "Prometheus metrics (internal, text format; not part of the oro-sdk API)",
                  .open, [("200", textPlain)]),
        // Auth (§1).
        Operation("POST", "/v1/auth/challenge", "auth", "Issue a login challenge", .open, body: "ChallengeRequest",
                  [("200", "ChallengeResponse"), ("400", err), ("429", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/auth/session", "auth", "Exchange a signed challenge for a session", .open, body: "SessionRequest",
                  [("200", "SessionResponse"), ("400", err), ("401", err), ("403", err), ("429", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/auth/logout", "auth", "End a Bearer session", .bearer, [("200", "LogoutResponse"), ("401", err)]),
        // Public.
        Operation("GET", "/v1/public/suites", "public", "Suites, newest first", .open, [("200", "SuiteList")]),
        Operation("GET", "/v1/public/suites/current", "public", "The active suite", .open, [("200", "SuitePublic"), ("404", err)]),
        Operation("GET", "/v1/public/suites/{suite_id}/problems", "public", "Problems of a public suite", .open,
                  query: [Query("include_embeddings", Schema.boolean)],
                  [("200", "SuiteWithProblemsResponse"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/leaderboard", "public", "Ranked eligible versions", .open,
                  query: [Query("suite_id", Schema.integer), Query("score_type", Schema.enumeration(["qualifying", "race"])),
                          Query("q", Schema.string)] + paging,
                  [("200", "LeaderboardResponse"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/top", "public", "The top agent and emission policy", .open, [("200", "TopAgentResponse")]),
        Operation("GET", "/v1/public/top/history", "public", "Holders of top status", .open,
                  query: [Query("suite_id", Schema.integer)], [("200", "TopHistoryResponse"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/agent-versions/{agent_version_id}", "public", "A released agent version", .open,
                  [("200", "AgentVersionPublic"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/agent-versions/{agent_version_id}/status", "public", "Evaluation status of a version", .open,
                  [("200", "AgentVersionStatus"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/agent-versions/{agent_version_id}/runs", "public", "Runs of a version", .open,
                  [("200", nil), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/agent-versions/{agent_version_id}/problems", "public", "Per-problem results of a version", .open,
                  query: [Query("phase", Schema.enumeration(["QUALIFYING", "RACE"])), Query("race_id", Schema.uuid)],
                  [("200", "AgentVersionProblemsResponse"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/evaluation-runs/{eval_run_id}", "public", "One evaluation run", .open,
                  [("200", "EvaluationRunDetail"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/evaluations/running", "public", "Runs in progress", .open, [("200", "RunningEvaluations")]),
        Operation("GET", "/v1/public/evaluations/pending", "public", "Queued work", .open,
                  query: [Query("suite_id", Schema.integer)] + paging,
                  [("200", "PendingEvaluationsResponse"), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/validators", "public", "Validators that are not banned", .open, [("200", "ValidatorList")]),
        Operation("GET", "/v1/public/corpus/stats", "public", "Trajectory corpus figures (no content, hidden problems withheld)",
                  .open, [("200", nil)]),
        Operation("POST", "/v1/public/artifacts/download-url", "public", "A download URL for an artifact", .open,
                  body: "ArtifactDownloadRequest",
                  [("200", "ArtifactDownloadResponse"), ("400", err), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/inference/models", "public", "Models agents may call (one allowlist for every provider)", .open,
                  query: [Query("provider", Schema.enumeration(InferenceProvider.allCases.map(\.rawValue))), Query("ranked", Schema.boolean)],
                  [("200", "InferenceModelsResponse"), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/top-miner-payout", "public", "Estimated payout of the top miner", .open,
                  [("200", "TopMinerPayoutResponse")]),
        Operation("POST", "/v1/public/waitlist", "public", "Join the waitlist", .open, body: "WaitlistSignupRequest",
                  [("200", "WaitlistSignupResponse"), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/blobs/{sha256}", "public", "A released artifact by its SHA-256", .open,
                  [("200", nil), ("404", err)]),
        // Races (issue 8).
        Operation("GET", "/v1/public/races/current", "races", "The open or running race of the active suite", .open,
                  [("200", "RaceCurrentResponse")]),
        Operation("GET", "/v1/public/races/history", "races", "Completed and cancelled races, newest first", .open,
                  query: [Query("suite_id", Schema.integer), Query("limit", Schema.integer(1...100)),
                          Query("offset", Schema.integer(0...Int64(Int32.max)))],
                  [("200", "RaceHistoryResponse"), ("422", "ValidationError")]),
        Operation("GET", "/v1/public/races/{race_id}", "races", "One race with its qualifiers", .open,
                  [("200", "RaceDetailResponse"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/admin/races/current", "admin", "Races neither complete nor cancelled", .signedAdmin,
                  [("200", nil)]),
        Operation("GET", "/v1/admin/races/{race_id}/diagnostics", "admin", "A race with its seed and work items", .signedAdmin,
                  [("200", nil), ("404", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/races/close-qualifying", "admin", "Close qualifying of the open race now", .signedAdmin,
                  [("200", nil), ("404", err)]),
        Operation("GET", "/v1/code/{eval_run_id}/{token}/agent.py", "validator",
                  "Agent code of an active run (the claim's code_download_url; the token is the credential; 410 once the run ended)",
                  .token, [("200", pythonSource), ("404", err), ("410", err)]),
        // Miner.
        Operation("POST", "/v1/miner/submit", "miner", "Submit an agent file", .signedMiner, body: "multipart",
                  [("200", "SubmitAgentResponse"), ("400", err), ("409", err), ("413", err), ("422", "SubmitRefusal"),
                   ("429", "CooldownActiveError"), ("503", err)]),
        Operation("GET", "/v1/miner/agents", "miner", "The miner's agents", .signedMiner, [("200", "MinerAgentsResponse")]),
        Operation("GET", "/v1/miner/agents/{agent_id}/versions", "miner", "Versions of one agent", .signedMiner,
                  [("200", nil), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/miner/agent-versions/{agent_version_id}", "miner", "Status of an own version", .signedMiner,
                  [("200", "AgentVersionStatus"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/miner/chutes-auth/status", "miner", "Whether a Chutes credential is stored (oro-sdk 1.0.x)", .signedMiner,
                  [("200", "ChutesAuthStatusResponse")]),
        Operation("POST", "/v1/miner/chutes-auth", "miner", "Store a Chutes credential; the default provider is unchanged",
                  .signedMiner, body: "ChutesAuthRequest", [("200", nil), ("422", "ValidationError")]),
        Operation("GET", "/v1/miner/inference-auth", "miner", "Inference providers: connected or not, and the default",
                  .signedMiner, [("200", "InferenceAuthListResponse")]),
        Operation("PATCH", "/v1/miner/inference-auth/default", "miner", "Choose the provider validators use", .signedMiner,
                  body: "SetDefaultProviderRequest", [("200", nil), ("409", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/miner/inference-auth/{provider}", "miner", "One provider's credential status", .signedMiner,
                  [("200", "InferenceProviderStatus"), ("422", "ValidationError")]),
        Operation("POST", "/v1/miner/inference-auth/{provider}", "miner",
                  "Store a provider credential (sealed); the first one becomes the default", .signedMiner,
                  body: "StoreInferenceCredentialRequest", [("200", nil), ("422", "ValidationError")]),
        Operation("DELETE", "/v1/miner/inference-auth/{provider}", "miner", "Remove a provider credential", .signedMiner,
                  [("200", nil), ("404", err), ("422", "ValidationError")]),
        Operation("PUT", "/v1/miner/race-selection", "miner", "Pin one of the miner's versions into the next race", .signedMiner,
                  body: "MinerRaceSelectionRequest",
                  [("204", nil), ("400", err), ("403", err), ("404", err), ("409", err), ("422", "ValidationError")]),
        Operation("DELETE", "/v1/miner/race-selection", "miner", "Unpin: the next race auto-picks the best version", .signedMiner,
                  [("204", nil), ("404", err), ("409", err)]),
        // Validator.
        Operation("POST", "/v1/validator/work/claim", "validator", "Claim the next work item", .signedValidator,
                  body: "ClaimWorkRequest", [("200", "ClaimWorkResponse"), ("204", nil), ("409", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/validator/evaluation-runs/{eval_run_id}/heartbeat", "validator", "Extend a lease", .signedValidator,
                  body: "HeartbeatRequest", [("200", "HeartbeatResponse"), ("404", err), ("409", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/validator/evaluation-runs/{eval_run_id}/problems", "validator", "Problems of a run", .signedValidator,
                  [("200", "RunProblemsResponse"), ("404", err), ("409", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/validator/evaluation-runs/{eval_run_id}/progress", "validator", "Report per-problem progress",
                  .signedValidator, body: "ProgressUpdateRequest",
                  [("200", "ProgressUpdateResponse"), ("400", err), ("404", err), ("409", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/validator/evaluation-runs/{eval_run_id}/complete", "validator", "Finish a run", .signedValidator,
                  body: "CompleteRunRequest",
                  [("200", "CompleteRunResponse"), ("400", err), ("404", err), ("409", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/validator/uploads/presign", "validator", "A one-time PUT URL for logs", .signedValidator,
                  body: "PresignUploadRequest",
                  [("200", "PresignUploadResponse"), ("400", err), ("404", err), ("409", err), ("422", "ValidationError")]),
        Operation("PUT", "/v1/uploads/{upload_token}", "validator", "The presigned upload target", .token, body: "binary",
                  [("200", nil), ("400", err), ("404", err), ("409", err), ("413", err)]),
        // Admin.
        // Both loads run the leak-cluster guard: `leak_report` in the answer; `reject_leaks=true` refuses with 409 PROBLEM_LEAK.
        Operation("POST", "/v1/admin/suites", "admin", "Create a suite from a problem file (reports problems that cluster with the hidden bank)",
                  .signedAdmin, query: [Query("reject_leaks", Schema.boolean)], body: "CreateSuiteRequest",
                  [("201", "SuiteCreated"), ("404", err), ("409", "ProblemLeakError"), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/suites/{suite_id}/hidden-problems", "admin",
                  "Add hidden race problems to a suite (reports problems that cluster with public suite problems)",
                  .signedAdmin, query: [Query("reject_leaks", Schema.boolean)], body: "CreateSuiteRequest",
                  [("200", "HiddenBankAdded"), ("404", err), ("409", "ProblemLeakError"), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/suites/{suite_id}/activate", "admin", "Activate a suite and requeue the best versions",
                  .signedAdmin, query: [Query("requeue_top_n", Schema.integer(0...10_000))],
                  [("200", "SuiteActivation"), ("404", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/admin/agent-versions", "admin", "Agent versions", .signedAdmin,
                  query: [Query("is_eligible", Schema.boolean), Query("is_discarded", Schema.boolean),
                          Query("miner_hotkey", Schema.string), Query("suite_id", Schema.integer)] + window + paging,
                  [("200", "PagedAgentVersions"), ("422", "ValidationError")]),
        Operation("GET", "/v1/admin/agent-versions/{agent_version_id}/code", "admin", "Download URL of a version's code",
                  .signedAdmin, [("200", nil), ("404", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/agent-versions/{agent_version_id}/cancel", "admin", "Cancel open work and active runs",
                  .signedAdmin, body: "ReasonOnlyRequest", [("200", nil), ("404", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/agent-versions/{agent_version_id}/discard", "admin", "Discard a version", .signedAdmin,
                  body: "ReasonRequest", [("200", nil), ("404", err), ("503", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/agent-versions/{agent_version_id}/reinstate", "admin", "Undo a discard", .signedAdmin,
                  body: "ReasonRequest", [("200", nil), ("404", err), ("503", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/agent-versions/{agent_version_id}/reevaluate", "admin", "Queue a new evaluation",
                  .signedAdmin, body: "ReasonRequest", [("200", nil), ("404", err), ("503", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/agent-versions/{agent_version_id}/set-top", "admin", "Make a version the top agent",
                  .signedAdmin, body: "SetTopRequest",
                  [("200", nil), ("400", "ScoreBelowThresholdError"), ("404", err), ("503", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/admin/evaluation-runs", "admin", "Evaluation runs", .signedAdmin,
                  query: [Query("status", Schema.ref("EvaluationRunStatus")), Query("agent_version_id", Schema.uuid),
                          Query("validator_hotkey", Schema.string), Query("phase", Schema.enumeration(["QUALIFYING", "RACE"])),
                          Query("race_id", Schema.uuid), Query("eval_work_item_id", Schema.uuid)] + window + paging,
                  [("200", "PagedEvaluationRuns"), ("422", "ValidationError")]),
        Operation("GET", "/v1/admin/trajectories", "admin", "Trajectory corpus records", .signedAdmin,
                  query: [Query("eval_run_id", Schema.uuid), Query("agent_version_id", Schema.uuid), Query("problem_id", Schema.string),
                          Query("verdict", Schema.enumeration(["agentic", "scripted", "no-llm"])), Query("accepted", Schema.boolean),
                          Query("category", Schema.string), Query("phase", Schema.enumeration(["QUALIFYING", "RACE"])),
                          Query("reject_reason", Schema.enumeration(RejectReason.allCases.map(\.rawValue))), Query("include_hidden", Schema.boolean)] + paging,
                  [("200", nil), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/evaluation-runs/{eval_run_id}/invalidate", "admin", "Exclude a run from scoring",
                  .signedAdmin, body: "ReasonOnlyRequest",
                  [("200", "EvaluationRunPublic"), ("404", err), ("409", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/admin/miners", "admin", "Miners", .signedAdmin,
                  query: [Query("is_banned", Schema.boolean)] + window + paging, [("200", "PagedMiners"), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/miners/{hotkey}/ban", "admin", "Ban a miner", .signedAdmin, body: "ReasonOnlyRequest",
                  [("200", "BanResponse"), ("404", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/miners/{hotkey}/unban", "admin", "Unban a miner", .signedAdmin,
                  [("200", "BanResponse"), ("404", err)]),
        Operation("POST", "/v1/admin/miners/{hotkey}/clear-cooldown", "admin", "Clear a submission cooldown", .signedAdmin,
                  [("200", nil)]),
        Operation("GET", "/v1/admin/validators", "admin", "Validators", .signedAdmin,
                  query: [Query("is_banned", Schema.boolean)] + paging, [("200", "PagedValidators"), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/validators/{hotkey}/ban", "admin", "Ban a validator (revokes its tokens)", .signedAdmin,
                  body: "ReasonOnlyRequest", [("200", "BanResponse"), ("404", err), ("422", "ValidationError")]),
        Operation("POST", "/v1/admin/validators/{hotkey}/unban", "admin", "Unban a validator", .signedAdmin,
                  [("200", "BanResponse"), ("404", err)]),
        Operation("GET", "/v1/admin/audit-events", "admin", "Audit events, newest first", .signedAdmin,
                  query: [Query("action", Schema.string), Query("target_type", Schema.string), Query("target_id", Schema.string),
                          Query("actor_hotkey", Schema.string)] + window + paging,
                  [("200", "PagedAuditEvents"), ("422", "ValidationError")]),
        Operation("GET", "/v1/admin/reaper/stats", "admin", "Lease reaper settings and totals", .signedAdmin, [("200", nil)]),
        // oro-sdk 1.0.50's admin additions.
        Operation("POST", "/v1/admin/agent-versions/{agent_version_id}/reinstate-elimination", "admin",
                  "Clear a version's race elimination", .signedAdmin, body: "ReinstateEliminationRequest",
                  [("200", "ReinstateEliminationResponse"), ("404", err), ("503", err), ("422", "ValidationError")]),
        Operation("GET", "/v1/admin/analytics/validator-scores", "admin", "Per-validator scores, outcomes and run times",
                  .signedAdmin, query: [Query("suite_id", Schema.integer), Query("phase", Schema.enumeration(["QUALIFYING", "RACE"]))] + window,
                  [("200", "ValidatorScoresResponse"), ("422", "ValidationError")]),
        Operation("GET", "/v1/admin/analytics/agent-version-variance", "admin", "How far validators disagree per work item",
                  .signedAdmin,
                  query: [Query("suite_id", Schema.integer), Query("phase", Schema.enumeration(["QUALIFYING", "RACE"])),
                          Query("variance_threshold", .object([("type", "number"), ("minimum", .int(0))])), Query("limit", Schema.integer(1...1000))] + window,
                  [("200", "AgentVersionVarianceResponse"), ("422", "ValidationError")]),
    ]

    /// `info.version`: which official clients this API is tested with.
    public static let apiVersion = "oro-sdk 1.0.45, 1.0.50 and 7.0.2"

    /// The oro-sdk releases the compatibility tests (python/tests/compat) install and drive against this server.
    public static let supportedClients = ["oro-sdk==1.0.45", "oro-sdk==1.0.50", "oro-sdk==7.0.2"]

    static let description = """
        The arena API of ShopArena, tested with the official oro-sdk clients 1.0.45, 1.0.50 and 7.0.2 (every public, \
        miner, validator and admin call each offers that ShopArena serves; 7.0.2 has no admin API). Miner, validator \
        and admin routes are signed with sr25519 headers X-Hotkey, X-Timestamp (unix seconds, ±60 s), X-Nonce \
        (unique) and X-Signature (hex of the signature over "{hotkey}:{timestamp}:{nonce}"), or carry a Bearer \
        session from /v1/auth/session. Error bodies are flat {detail, error_code}; request validation errors are \
        FastAPI's 422 list shape; unknown routes answer 404 {detail, error_code: NOT_FOUND}. Clients that send \
        X-Oro-Client-Version (oro-sdk 1.0.129+) also get the 7.x-only fields (race selection, a claim's \
        inference_token, a suite's execution_kind). Not supported: ORO's newer evaluation model — environment \
        packs, multi-turn episodes with a simulated shopper, drand race seeds, weight salts, the trajectory feed \
        and the demo API — whose endpoints answer 404 {error_code: UNSUPPORTED_ENDPOINT}; ShopArena evaluates \
        ShoppingBench problems (execution_kind legacy_shoppingbench).
        """

    /// The whole document.
    public static var json: JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for operation in operations {
            let entry = (operation.method.lowercased(), operationJSON(operation))
            if let index = paths.firstIndex(where: { $0.0 == operation.path }) {
                paths[index].1.append(entry)
            } else {
                paths.append((operation.path, [entry]))
            }
        }
        let paged: [(String, JSONValue)] = [
            ("PagedAgentVersions", Schema.paged("agent_versions", Schema.ref("AdminAgentVersion"))),
            ("PagedEvaluationRuns", Schema.paged("evaluation_runs", Schema.ref("AdminEvaluationRun"))),
            ("PagedMiners", Schema.paged("miners", Schema.ref("AdminMiner"))),
            ("PagedValidators", Schema.paged("validators", Schema.ref("AdminValidator"))),
            ("PagedAuditEvents", Schema.paged("events", Schema.ref("AuditEvent"))),
            // Public lists answered as bare JSON arrays.
            ("SuiteList", Schema.array(Schema.anyObject)),
            ("RunningEvaluations", Schema.array(Schema.anyObject)),
            ("ValidatorList", Schema.array(Schema.anyObject)),
        ]
        return .object([
            ("openapi", "3.1.0"),
            ("info", .object([
                ("title", "ShopArena backend"), ("version", .string(apiVersion)),
                ("description", .string(description)),
                ("x-supported-clients", .array(supportedClients.map(JSONValue.string))),
            ])),
            ("paths", .object(paths.map { (path, methods) -> (String, JSONValue) in (path, .object(methods)) })),
            ("components", .object([
                ("schemas", .object(OpenAPISchemas.all + paged)),
                ("securitySchemes", .object([
                    ("hotkey", .object([("type", "apiKey"), ("in", "header"), ("name", "X-Hotkey")])),
                    ("timestamp", .object([("type", "apiKey"), ("in", "header"), ("name", "X-Timestamp")])),
                    ("nonce", .object([("type", "apiKey"), ("in", "header"), ("name", "X-Nonce")])),
                    ("signature", .object([("type", "apiKey"), ("in", "header"), ("name", "X-Signature")])),
                    ("session", .object([("type", "http"), ("scheme", "bearer")])),
                ])),
            ])),
        ])
    }

    static func operationJSON(_ operation: Operation) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("tags", .array([.string(operation.tag)])), ("summary", .string(operation.summary)),
            ("operationId", .string(operationID(operation))),
        ]
        var parameters: [JSONValue] = pathParameters(operation.path).map { name -> JSONValue in
            .object([("name", .string(name)), ("in", "path"), ("required", .bool(true)),
                     ("schema", pathSchema(name))])
        }
        parameters += operation.query.map { query -> JSONValue in
            .object([("name", .string(query.name)), ("in", "query"), ("required", .bool(query.required)), ("schema", query.schema)])
        }
        if !parameters.isEmpty { fields.append(("parameters", .array(parameters))) }
        switch operation.access {
        case .open, .token: fields.append(("security", .array([])))
        case .bearer: fields.append(("security", .array([.object([("session", .array([]))])])))
        case .signedMiner, .signedValidator, .signedAdmin:
            fields.append(("security", .array([
                .object([("hotkey", .array([])), ("timestamp", .array([])), ("nonce", .array([])), ("signature", .array([]))]),
                .object([("session", .array([]))]),
            ])))
            fields.append(("x-role", .string(operation.access == .signedMiner ? "miner" : operation.access == .signedValidator ? "validator" : "admin")))
        }
        if let body = operation.body {
            let content: JSONValue
            switch body {
            case "multipart":
                // agent_name: AgentNameRules (1…100 of letters, digits, space, '-', '_', '.' once surrounding spaces are
                // dropped); file: Python source that passes the code analysis (format `python-agent`: 400/422 otherwise).
                content = .object([("multipart/form-data", .object([("schema", Schema.object([
                    ("agent_name", .object([("type", "string"), ("pattern", "^ *[A-Za-z0-9_.-]([A-Za-z0-9 _.-]{0,98}[A-Za-z0-9_.-])? *$")])),
                    ("file", .object([("type", "string"), ("format", "python-agent")])),
                ]))]))])
            case "binary":
                content = .object([("application/octet-stream", .object([]))])
            default:
                // An optional body may also be JSON `null` (read as `{}`, like an absent body).
                let schema = optionalBodies.contains(body) ? Schema.nullable(Schema.ref(body)) : Schema.ref(body)
                content = .object([("application/json", .object([("schema", schema)]))])
            }
            fields.append(("requestBody", .object([("required", .bool(!optionalBodies.contains(body))), ("content", content)])))
        }
        fields.append(("responses", .object(responses(operation).map { (status, schema) -> (String, JSONValue) in
            var response: [(String, JSONValue)] = [("description", .string(description(status)))]
            if let schema, schema == textPlain || schema == pythonSource {
                response.append(("content", .object([(schema, .object([("schema", Schema.string)]))])))
            } else if status != "204" {
                let schemaValue = schema.map(Schema.ref) ?? Schema.anyObject
                response.append(("content", .object([("application/json", .object([("schema", schemaValue)]))])))
            }
            return (status, .object(response))
        })))
        return .object(fields)
    }

    /// The operation's own responses plus the errors every operation of its kind can give, so a client (and a
    /// schema fuzzer) finds each status it can meet documented with its body: signed routes 400 (malformed auth
    /// headers), 401, 403 (unregistered, wrong role, banned) and 503 (nonce store down); Bearer routes 401; path
    /// parameters 404 and 422; query parameters and JSON bodies 422; JSON bodies 413 past their size limit.
    static func responses(_ operation: Operation) -> [(String, String?)] {
        var implicit: [(String, String?)] = []
        switch operation.access {
        case .signedMiner, .signedValidator, .signedAdmin:
            implicit += [("400", err), ("401", err), ("403", err), ("503", err)]
        case .bearer:
            implicit += [("401", err)]
        case .open, .token:
            break
        }
        if !pathParameters(operation.path).isEmpty { implicit += [("404", err), ("422", "ValidationError")] }
        if !operation.query.isEmpty { implicit.append(("422", "ValidationError")) }
        if let body = operation.body, body != "multipart", body != "binary" { implicit += [("413", err), ("422", "ValidationError")] }
        var all = operation.responses
        for (status, schema) in implicit where !all.contains(where: { $0.0 == status }) { all.append((status, schema)) }
        return all.sorted { $0.0 < $1.0 }
    }

    /// A path parameter's schema: suite ids are integers, other ids UUIDs, providers one of the known names.
    static func pathSchema(_ name: String) -> JSONValue {
        if name == "suite_id" { return Schema.integer }
        if name == "provider" { return Schema.enumeration(InferenceProvider.allCases.map(\.rawValue)) }
        return name.hasSuffix("_id") ? Schema.uuid : Schema.string
    }

    /// JSON bodies the server reads with `allowEmpty` (every field optional); all others are required.
    static let optionalBodies: Set<String> = ["ReasonRequest", "ReasonOnlyRequest", "SetTopRequest", "ReinstateEliminationRequest", "ClaimWorkRequest", "HeartbeatRequest"]

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }

    static func operationID(_ operation: Operation) -> String {
        let words = operation.path.split(separator: "/").map { part -> String in
            part.hasPrefix("{") ? "by_" + part.dropFirst().dropLast() : String(part)
        }
        return ([operation.method.lowercased()] + words).joined(separator: "_")
            .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")
    }

    static func description(_ status: String) -> String {
        switch status {
        case "200": return "OK"
        case "201": return "Created"
        case "400": return "Bad request"
        case "401": return "Not authenticated"
        case "403": return "Forbidden"
        case "404": return "Not found"
        case "409": return "Conflict"
        case "204": return "No content"
        case "410": return "Gone"
        case "413": return "Too large"
        case "422": return "Validation error"
        case "429": return "Too many requests"
        case "503": return "Unavailable"
        default: return "Response"
        }
    }
}
