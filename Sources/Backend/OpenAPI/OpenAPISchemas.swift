import ArenaModel
import Corpus
import Store

/// Small builders for OpenAPI 3.1 (JSON Schema 2020-12) fragments, so the document reads like the models of
/// reference/oro-api.md §2.1.
enum Schema {
    static let string: JSONValue = .object([("type", "string")])
    /// A 64-bit integer (the server parses Int64 and answers 422 beyond it).
    static let integer: JSONValue = .object([("type", "integer"), ("minimum", .int(Int64.min)), ("maximum", .int(Int64.max))])
    static let number: JSONValue = .object([("type", "number")])
    static let boolean: JSONValue = .object([("type", "boolean")])
    static let uuid: JSONValue = .object([("type", "string"), ("format", "uuid")])
    static let dateTime: JSONValue = .object([("type", "string"), ("format", "date-time")])
    static let anyObject: JSONValue = .object([("type", "object")])
    static let nonEmptyString: JSONValue = .object([("type", "string"), ("minLength", .int(1))])
    /// A hotkey: an SS58 address (base58 with a checksum, which no pattern can express; schema fuzzers are given
    /// a generator for the `ss58` format, see python/tests/api/schemathesis_hooks.py).
    static let ss58: JSONValue = .object([("type", "string"), ("format", "ss58")])
    /// An sr25519 signature: 64 bytes of hex, `0x` optional, with schnorrkel's marker bit (the top bit of byte 63) set.
    static let signatureHex: JSONValue = .object([("type", "string"), ("pattern", "^(0x)?[0-9a-fA-F]{126}[89a-fA-F][0-9a-fA-F]$")])

    /// An integer the server accepts only within `range` (it answers 422 outside it).
    static func integer(_ range: ClosedRange<Int64>) -> JSONValue {
        .object([("type", "integer"), ("minimum", .int(range.lowerBound)), ("maximum", .int(range.upperBound))])
    }
    static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }
    static func array(_ items: JSONValue) -> JSONValue { .object([("type", "array"), ("items", items)]) }
    static func nullable(_ schema: JSONValue) -> JSONValue { .object([("anyOf", .array([schema, .object([("type", "null")])]))]) }
    static func enumeration(_ values: [String]) -> JSONValue {
        .object([("type", "string"), ("enum", .array(values.map(JSONValue.string)))])
    }

    /// An object schema; property names ending in `?` are optional (the `?` is dropped).
    static func object(_ properties: [(String, JSONValue)]) -> JSONValue {
        var props: [(String, JSONValue)] = []
        var required: [JSONValue] = []
        for (name, schema) in properties {
            if name.hasSuffix("?") {
                props.append((String(name.dropLast()), schema))
            } else {
                props.append((name, schema))
                required.append(.string(name))
            }
        }
        var fields: [(String, JSONValue)] = [("type", "object"), ("properties", .object(props))]
        if !required.isEmpty { fields.append(("required", .array(required))) }
        return .object(fields)
    }

    static func paged(_ key: String, _ item: JSONValue) -> JSONValue {
        object([("total", integer), ("limit", integer), ("offset", integer), (key, array(item))])
    }
}

/// The named schemas of the document's `components`.
enum OpenAPISchemas {
    static var all: [(String, JSONValue)] {
        let s = Schema.self
        let optNumber = s.nullable(s.number), optTime = s.nullable(s.dateTime), optString = s.nullable(s.string)
        let optInt = s.nullable(s.integer), optObject = s.nullable(s.anyObject), optUUID = s.nullable(s.uuid)
        let providers = InferenceProvider.allCases.map(\.rawValue)
        let pinReason = s.enumeration(["not_eligible", "discarded", "eliminated", "below_threshold"])
        let pool = s.enumeration(ProblemPool.allCases.map(\.rawValue))
        let completionFields: [(String, JSONValue)] = [("score_components?", optObject), ("results_s3_key?", optString),
                                                       ("failure_reason?", optString), ("sandbox_metadata?", optObject)]
        return [
            ("Error", s.object([("detail", s.string), ("error_code", s.string)])),
            ("ValidationError", s.object([("detail", s.array(s.object([
                ("loc", s.array(s.string)), ("msg", s.string), ("type", s.string), ("input?", .object([])), ("ctx?", s.anyObject),
            ])))])),
            ("ScoreBelowThresholdError", s.object([("detail", s.string), ("error_code", s.string), ("candidate_score", s.number),
                                                   ("required_score", s.number), ("current_top_score", s.number), ("margin", s.number)])),
            ("CooldownActiveError", s.object([("detail", s.string), ("error_code", s.string), ("remaining_seconds", s.integer)])),
            ("CodeAnalysisError", s.object([("detail", s.string), ("error_code", s.string),
                                            ("violations?", s.array(s.object([("rule", s.string), ("severity", s.string),
                                                                             ("message", s.string), ("line", s.nullable(s.integer))]))),
                                            ("remaining_seconds?", optInt)])),
            // The submission's 422: a code-analysis refusal, or a request-validation error (missing form parts).
            ("SubmitRefusal", .object([("anyOf", .array([s.ref("CodeAnalysisError"), s.ref("ValidationError")]))])),
            ("SuitePublic", s.object([("suite_id", s.integer), ("suite_version", s.integer), ("is_active", s.boolean),
                                      // Sent to clients with X-Oro-Client-Version (oro-sdk 1.0.129+) only.
                                      ("execution_kind?", s.enumeration(["legacy_shoppingbench"]))])),
            ("RacePublic", s.object([
                ("race_id", s.uuid), ("suite_id", s.integer), ("status", s.string), ("race_number?", optInt),
                ("qualifying_closes_at?", optTime), ("race_started_at?", optTime), ("race_completed_at?", optTime),
                ("winner_agent_version_id?", optUUID), ("winner_score?", optNumber), ("qualifying_threshold?", optNumber),
                ("winner_agent_name?", optString), ("qualifier_count?", s.integer), ("created_at?", optTime),
                ("projected_completion_at?", optTime),
            ])),
            ("RaceQualifierPublic", s.object([
                ("agent_version_id", s.uuid), ("qualification_type", s.enumeration(["INCUMBENT", "SCORED"])),
                ("agent_name?", optString), ("miner_hotkey?", optString), ("version_number?", s.integer),
                ("qualifying_score?", optNumber), ("race_score?", optNumber), ("race_rank?", optInt), ("eliminated_at?", optTime),
            ])),
            ("RaceCurrentResponse", s.object([("race?", s.nullable(s.ref("RacePublic"))),
                                              ("qualifiers?", s.array(s.ref("RaceQualifierPublic")))])),
            ("RaceDetailResponse", s.object([("race", s.ref("RacePublic")), ("qualifiers?", s.array(s.ref("RaceQualifierPublic")))])),
            ("RaceHistoryResponse", s.object([("total", s.integer), ("limit", s.integer), ("offset", s.integer),
                                              ("races", s.array(s.ref("RacePublic")))])),
            ("ProblemPublic", s.object([("problem_id", s.uuid), ("suite_id", s.integer), ("metadata?", s.anyObject)])),
            ("SuiteWithProblemsResponse", s.object([("suite", s.ref("SuitePublic")), ("problems", s.array(s.ref("ProblemPublic")))])),
            ("RunProblemsResponse", s.object([("problems", s.array(s.ref("ProblemPublic")))])),
            ("LeaderboardEntry", s.object([
                ("rank", s.integer), ("agent_version_id", s.uuid), ("agent_name", s.string), ("miner_hotkey", s.string),
                ("version_number", s.integer), ("final_score", s.number), ("race_score?", optNumber), ("eligible_at?", optTime),
                ("is_discarded?", s.boolean), ("is_miner_banned?", s.boolean), ("is_current_top?", s.boolean),
                ("was_top?", s.boolean), ("top_at?", optTime), ("is_active_qualifier?", s.boolean),
                ("outranked_by_agent_version_id?", optUUID),
            ])),
            ("LeaderboardResponse", s.object([
                ("total", s.integer), ("limit", s.integer), ("offset", s.integer), ("suite", s.ref("SuitePublic")),
                ("entries", s.array(s.ref("LeaderboardEntry"))), ("unique_miners", s.integer), ("challenge_threshold?", optNumber),
            ])),
            ("TopAgentResponse", s.object([
                ("suite_id", s.integer), ("computed_at", s.dateTime), ("top_agent_version_id?", optUUID),
                ("top_miner_hotkey?", optString), ("top_score?", optNumber), ("policy?", optObject),
                ("challenge_threshold?", optNumber), ("emission_weight?", optNumber), ("margin?", optNumber),
            ])),
            ("TopHistoryEntry", s.object([
                ("agent_version_id", s.uuid), ("agent_name", s.string), ("miner_hotkey", s.string), ("version_number", s.integer),
                ("final_score", s.number), ("top_at", s.dateTime), ("is_current_top", s.boolean), ("was_top", s.boolean),
                ("suite_id", s.integer),
            ])),
            ("TopHistoryResponse", s.object([("suite_id", s.integer), ("entries", s.array(s.ref("TopHistoryEntry")))])),
            ("AgentVersionPublic", s.object([
                ("agent_version_id", s.uuid), ("agent_id", s.uuid), ("agent_name", s.string), ("miner_hotkey", s.string),
                ("version_number", s.integer), ("submitted_at", s.dateTime), ("suite_id?", optInt), ("latest_final_score?", optNumber),
                ("released_at", s.dateTime), ("code_available_at", s.dateTime),
            ])),
            ("AgentVersionState", s.enumeration(["RECEIVED", "QUEUED", "RUNNING", "ELIGIBLE", "DISCARDED", "CANCELLED"])),
            ("EvaluationRunStatus", s.enumeration(["CLAIMED", "RUNNING", "SUCCESS", "FAILED", "TIMED_OUT", "STALE", "CANCELLED"])),
            ("ProblemStatus", s.enumeration(["PENDING", "RUNNING", "SUCCESS", "FAILED", "TIMED_OUT", "SKIPPED"])),
            ("AgentVersionStatus", s.object([
                ("agent_version_id", s.uuid), ("agent_name", s.string), ("miner_hotkey", s.string), ("version_number", s.integer),
                ("submitted_at", s.dateTime), ("state", s.ref("AgentVersionState")), ("eliminated_at?", optTime),
                ("eliminated_in_race_number?", optInt), ("suite_id?", optInt), ("required_successes?", s.integer),
                ("success_count?", s.integer), ("active_count?", s.integer), ("is_closed?", s.boolean),
                ("final_score?", optNumber), ("race_score?", optNumber), ("reasoning_coefficient?", optNumber),
                ("release_state?", s.enumeration(["HIDDEN", "RELEASED"])), ("code_available_at?", optTime),
                ("per_validator_success_scores?", optObject), ("is_active_qualifier?", s.boolean),
                ("outranked_by_agent_version_id?", optUUID),
                ("failed_attempts?", s.integer), ("last_failure_reason?", optString), ("next_attempt_at?", optTime),
                ("parked_at?", optTime), ("evaluation_notice?", optString),
            ])),
            ("EvaluationRunPublic", s.object([
                ("eval_run_id", s.uuid), ("agent_version_id", s.uuid), ("suite_id", s.integer), ("validator_hotkey", s.string),
                ("status", s.ref("EvaluationRunStatus")), ("claimed_at", s.dateTime), ("lease_expires_at", s.dateTime),
                ("is_included", s.boolean), ("last_heartbeat_at?", optTime), ("completed_at?", optTime),
                ("invalidated_at?", optTime), ("invalidated_by?", optString), ("invalidation_reason?", optString),
                ("failure_reason?", optString), ("validator_score?", optNumber), ("reasoning_quality?", optNumber),
                ("reasoning_coefficient?", optNumber), ("score_components_summary?", optObject), ("service_versions?", optObject),
                ("sandbox_metadata?", optObject), ("phase?", optString), ("race_id?", optUUID), ("race_number?", optInt),
            ])),
            ("EvaluationRunDetail", s.object([
                ("eval_run_id", s.uuid), ("agent_version_id", s.uuid), ("agent_name", s.string), ("validator_hotkey", s.string),
                ("status", s.ref("EvaluationRunStatus")), ("version_number", s.integer), ("claimed_at", s.dateTime),
                ("score?", optNumber), ("completed_at?", optTime), ("failure_reason?", optString), ("is_included?", s.boolean),
                ("invalidated_at?", optTime), ("invalidation_reason?", optString), ("sandbox_metadata?", optObject),
                ("score_components_summary?", optObject),
            ])),
            ("AgentVersionProblemsResponse", s.object([
                ("agent_version_id", s.uuid), ("suite_id?", optInt), ("problems", s.array(s.object([
                    ("problem_id", s.uuid), ("category?", optString), ("phase?", optString), ("race_id?", optUUID),
                    ("validator_results?", s.array(s.object([
                        ("eval_run_id", s.uuid), ("validator_hotkey", s.string), ("status", s.ref("ProblemStatus")),
                        ("score?", optNumber), ("score_components?", optObject), ("reasoning_score?", optNumber),
                        ("updated_at?", optTime), ("inference_failure_count?", optInt), ("inference_total?", optInt),
                        ("execution_time?", optNumber),
                    ]))),
                ]))),
            ])),
            ("RunningEvaluation", s.object([
                ("eval_run_id", s.uuid), ("agent_version_id", s.uuid), ("agent_name", s.string), ("version_number", s.integer),
                ("miner_hotkey", s.string), ("validator_hotkey", s.string), ("status", s.ref("EvaluationRunStatus")),
                ("started_at", s.dateTime), ("progress_percent?", s.number), ("phase?", optString), ("race_id?", optUUID),
            ])),
            ("PendingEvaluationsResponse", s.object([
                ("summary", s.object([("total_pending", s.integer), ("total_runs_needed", s.integer), ("total_runs_active", s.integer),
                                      ("projected_completion_at?", s.dateTime)])),
                ("items", s.array(s.object([
                    ("work_item_id", s.uuid), ("agent_version_id", s.uuid), ("agent_name", s.string), ("version_number", s.integer),
                    ("miner_hotkey", s.string), ("suite_id", s.integer), ("required_successes", s.integer),
                    ("completed_successes", s.integer), ("active_runs", s.integer), ("remaining", s.integer),
                    ("queued_at", s.dateTime), ("phase?", optString), ("race_id?", optUUID),
                    ("failed_attempts?", s.integer), ("last_failure_reason?", optString), ("next_attempt_at?", optTime),
                    ("parked_at?", optTime), ("evaluation_notice?", optString),
                ]))),
            ])),
            ("ValidatorPublic", s.object([
                ("hotkey", s.string), ("status", s.enumeration(["available", "evaluating"])), ("registered_at", s.dateTime),
                ("name?", optString), ("last_claim_at?", optTime), ("last_seen_at?", optTime), ("current_agent?", optObject),
                ("service_versions?", optObject), ("identity_url?", optString), ("identity_image?", optString),
                ("identity_description?", optString), ("cpu_pct?", optNumber), ("ram_pct?", optNumber), ("disk_pct?", optNumber),
                ("docker_container_count?", optInt), ("metrics_reported_at?", optTime),
            ])),
            ("ArtifactDownloadRequest", s.object([
                ("artifact_type", s.enumeration(["AGENT_CODE", "EVAL_LOGS_BUNDLE", "EVAL_PROBLEM_LOGS", "REASONING_DETAILS"])),
                ("agent_version_id", s.uuid), ("eval_run_id?", optUUID), ("problem_id?", optUUID),
            ])),
            ("ArtifactDownloadResponse", s.object([("download_url", s.string), ("expires_at", s.dateTime)])),
            ("TopMinerPayoutResponse", s.object([
                ("as_of", s.dateTime), ("miner_hotkey?", optString), ("agent_name?", optString), ("tao_per_day?", optNumber),
                ("usd_per_day?", optNumber), ("tao_price_usd?", optNumber),
            ])),
            ("WaitlistSignupRequest", s.object([("email", s.string), ("source?", optString)])),
            ("WaitlistSignupResponse", s.object([("success", s.boolean)])),
            ("InferenceModelsResponse", s.object([("models", s.array(s.string))])),
            // The race-selection fields (`is_selected_for_race` … and `racing_*`/`selected_*`) go to clients that send
            // X-Oro-Client-Version (oro-sdk 1.0.129+) only.
            ("AgentLatestVersion", s.object([
                ("agent_version_id", s.uuid), ("version_number", s.integer), ("submitted_at", s.dateTime),
                ("state", s.ref("AgentVersionState")), ("eliminated_at?", optTime), ("eliminated_in_race_number?", optInt),
                ("final_score?", optNumber), ("is_selected_for_race?", s.boolean), ("selection_fallback_reason?", s.nullable(pinReason)),
                ("is_pinnable?", s.boolean), ("pin_disabled_reason?", s.nullable(pinReason)),
            ])),
            ("MinerAgentsResponse", s.object([
                ("agents", s.array(s.object([
                    ("agent_id", s.uuid), ("miner_hotkey", s.string), ("agent_name", s.string), ("created_at", s.dateTime),
                    ("latest_version?", s.nullable(s.ref("AgentLatestVersion"))),
                ]))),
                ("can_submit", s.boolean), ("next_allowed_at?", optTime), ("racing_agent_version_id?", optUUID),
                ("racing_agent_id?", optUUID), ("selected_agent_version_id?", optUUID), ("selected_agent_id?", optUUID),
            ])),
            ("MinerRaceSelectionRequest", s.object([("agent_version_id", s.uuid)])),
            ("InferenceProviderStatus", s.object([("provider", s.enumeration(providers)), ("connected", s.boolean),
                                                  ("updated_at?", optTime)])),
            ("InferenceAuthListResponse", s.object([("providers", s.array(s.ref("InferenceProviderStatus"))),
                                                    ("default_provider?", s.nullable(s.enumeration(providers)))])),
            ("StoreInferenceCredentialRequest", s.object([("credential", s.nonEmptyString)])),
            // oro-sdk 1.0.x's Chutes credential.
            ("ChutesAuthRequest", s.object([("refresh_token", s.nonEmptyString)])),
            ("SetDefaultProviderRequest", s.object([("provider", s.enumeration(providers))])),
            ("InferenceTokenGrant", s.object([("provider", s.enumeration(providers)), ("access_token", s.string),
                                              ("base_url", s.string), ("expires_at", s.dateTime)])),
            ("ReinstateEliminationRequest", s.object([("suite_id?", optInt), ("reason?", optString)])),
            ("ReinstateEliminationResponse", s.object([("agent_version_id", s.uuid), ("suite_id", s.integer)])),
            ("ValidatorScoresResponse", s.object([
                ("validators", s.array(s.object([
                    ("validator_hotkey", s.string), ("total_runs", s.integer), ("avg_score", s.number), ("median_score", s.number),
                    ("stddev_score", s.number), ("min_score", s.number), ("max_score", s.number),
                    ("deviation_from_global", s.number), ("is_outlier", s.boolean), ("avg_execution_seconds?", s.number),
                    ("median_execution_seconds?", s.number), ("min_execution_seconds?", s.number),
                    ("max_execution_seconds?", s.number), ("execution_deviation_pct?", s.number), ("is_slow_outlier?", s.boolean),
                    ("success_count?", s.integer), ("failed_count?", s.integer), ("timed_out_count?", s.integer),
                    ("success_rate?", s.number), ("last_failure_reason?", optString), ("last_failure_at?", optTime),
                ]))),
                ("global_avg_score", s.number), ("global_stddev", s.number), ("global_avg_execution_seconds?", s.number),
            ])),
            ("AgentVersionVarianceResponse", s.object([
                ("agent_versions", s.array(s.object([
                    ("agent_version_id", s.uuid), ("agent_name", s.string), ("miner_hotkey", s.string),
                    ("validator_count", s.integer), ("avg_score", s.number), ("min_score", s.number), ("max_score", s.number),
                    ("spread", s.number), ("is_high_variance", s.boolean), ("eval_work_item_id?", optUUID),
                    ("phase?", optString), ("race_number?", optInt),
                    ("per_validator?", s.array(s.object([("validator_hotkey", s.string), ("score", s.number), ("run_id", s.uuid)]))),
                ]))),
                ("variance_threshold", s.number),
            ])),
            ("ChutesAuthStatusResponse", s.object([("connected", s.boolean), ("updated_at?", optTime)])),
            ("SubmitAgentResponse", s.object([
                ("admission_status", s.enumeration(["ACCEPTED", "REJECTED"])), ("hotkey", s.string), ("agent_id?", optUUID),
                ("agent_version_id?", optUUID),
                ("admission_reason?", s.nullable(s.enumeration(["BANNED", "COOLDOWN", "INVALID_FILE", "NOT_REGISTERED_ONCHAIN", "NO_ACTIVE_SUITE"]))),
                ("next_allowed_at?", optTime), ("message?", s.string),
            ])),
            ("HeartbeatRequest", s.object([("service_versions?", optObject), ("cpu_pct?", optNumber), ("ram_pct?", optNumber),
                                           ("disk_pct?", optNumber), ("docker_container_count?", optInt)])),
            // oro-sdk 7.x's claim body: the heartbeat fields plus the runtime contract the validator runs (any value
            // gets ShoppingBench work: ShopArena serves no environment packs).
            ("ClaimWorkRequest", s.object([("service_versions?", optObject), ("cpu_pct?", optNumber), ("ram_pct?", optNumber),
                                           ("disk_pct?", optNumber), ("docker_container_count?", optInt),
                                           ("runtime_contract?", optInt)])),
            ("HeartbeatResponse", s.object([("lease_expires_at", s.dateTime)])),
            ("ClaimWorkResponse", s.object([
                ("eval_run_id", s.uuid), ("agent_version_id", s.uuid), ("suite_id", s.integer), ("lease_expires_at", s.dateTime),
                ("code_download_url", s.string), ("chutes_access_token?", optString),
                // Only for 7.x claims (runtime_contract or X-Oro-Client-Version): the miner's effective provider.
                ("inference_token?", s.nullable(s.ref("InferenceTokenGrant"))),
            ])),
            ("ProgressUpdateRequest", s.object([("problems", s.array(s.object([
                ("problem_id", s.uuid), ("status", s.ref("ProblemStatus")), ("score?", optNumber),
                ("score_components_summary?", optObject), ("logs_s3_key?", optString), ("reasoning_score?", optNumber),
                ("inference_failure_count?", optInt), ("inference_total?", optInt), ("execution_time?", optNumber),
            ])))])),
            ("ProgressUpdateResponse", s.object([("accepted?", s.boolean)])),
            // content_length up to BackendSettings.maxUploadBytes (50 MiB unless configured otherwise; 400 FILE_TOO_LARGE beyond).
            ("PresignUploadRequest", s.object([("content_length", s.integer(0...Int64(BackendSettings().maxUploadBytes))), ("eval_run_id", s.uuid), ("problem_id", s.uuid),
                                               ("content_type?", s.string)])),
            ("PresignUploadResponse", s.object([("upload_url", s.string), ("results_s3_key", s.string), ("expires_at", s.dateTime),
                                                ("method?", s.string)])),
            // A SUCCESS completion carries a validator_score (400 MISSING_SCORE without one); FAILED and TIMED_OUT may omit it.
            ("CompleteRunRequest", .object([("anyOf", .array([
                s.object([("terminal_status", s.enumeration(["SUCCESS"])), ("validator_score", s.number)] + completionFields),
                s.object([("terminal_status", s.enumeration(["FAILED", "TIMED_OUT"])), ("validator_score?", optNumber)] + completionFields),
            ]))])),
            ("CompleteRunResponse", s.object([
                ("eval_run_id", s.uuid), ("status", s.string),
                ("work_item", s.object([("included_success_count", s.integer), ("required_successes", s.integer), ("is_closed", s.boolean)])),
                ("agent_version_became_eligible", s.boolean), ("final_score?", optNumber),
            ])),
            ("ChallengeRequest", s.object([("hotkey", s.ss58)])),
            ("ChallengeResponse", s.object([("challenge", s.string), ("expires_at", s.integer)])),
            ("SessionRequest", s.object([("hotkey", s.ss58), ("challenge", s.string), ("signature", s.signatureHex)])),
            ("SessionResponse", s.object([("session_token", s.string), ("expires_at", s.integer),
                                          ("role", s.enumeration(["miner", "validator", "admin"]))])),
            ("LogoutResponse", s.object([("success", s.boolean)])),
            // Admin.
            ("ReasonRequest", s.object([("reason?", optString), ("suite_id?", optInt)])),
            // Routes that read only the reason (cancel, invalidate, ban).
            ("ReasonOnlyRequest", s.object([("reason?", optString)])),
            // force: make it top even below the challenge threshold (400 SCORE_BELOW_THRESHOLD otherwise).
            ("SetTopRequest", s.object([("reason?", optString), ("suite_id?", optInt), ("force?", s.boolean)])),
            // problem_suite_uri: a local path or file:// URL; 404 SUITE_FILE_NOT_FOUND when nothing readable is there, 422 when
            // the file is not a suite.
            ("CreateSuiteRequest", s.object([("problem_suite_uri", s.nonEmptyString), ("is_public?", s.boolean)])),
            ("SuiteActivation", s.object([("suite_id", s.integer), ("suite_version", s.integer), ("is_active", s.boolean),
                                          ("requeued_versions?", s.array(s.uuid))])),
            // The leak-cluster guard's report on problems entering a pool (a suite's public problems, or the hidden
            // race bank): each entering problem that shares a leak cluster with kept problems of the other pool.
            ("LeakReport", s.object([
                ("pool", pool), ("checked_problems", s.integer), ("compared_problems", s.integer),
                ("leaks", s.array(s.object([
                    ("problem_id", s.string), ("pool", pool),
                    ("clusters_with", s.array(s.object([
                        ("problem_id", s.string), ("pool", pool), ("suite_id", s.integer),
                        ("reason", s.enumeration(PoolLeakReason.allCases.map(\.rawValue))),
                        ("via", s.array(s.string)),
                    ]))),
                ]))),
            ])),
            ("SuiteCreated", s.object([("suite_id", s.integer), ("suite_version", s.integer), ("is_active", s.boolean),
                                       ("leak_report", s.ref("LeakReport"))])),
            ("HiddenBankAdded", s.object([("suite_id", s.integer), ("hidden_problem_count", s.integer),
                                          ("leak_report", s.ref("LeakReport"))])),
            ("ProblemLeakError", s.object([("detail", s.string), ("error_code", s.enumeration(["PROBLEM_LEAK"])),
                                           ("leak_report", s.ref("LeakReport"))])),
            ("AdminAgentVersion", s.object([
                ("agent_version_id", s.uuid), ("agent_id", s.uuid), ("agent_name", s.string), ("miner_hotkey", s.string),
                ("version_number", s.integer), ("created_at", s.dateTime), ("submitted_at", s.dateTime), ("suite_id", optInt),
                ("state", s.ref("AgentVersionState")), ("is_eligible", s.boolean), ("is_discarded", s.boolean),
                ("discard_reason", optString), ("final_score", optNumber), ("race_score", optNumber),
                ("reasoning_coefficient", optNumber), ("eligible_at", optTime), ("code_available_at", optTime),
                ("eliminated_at", optTime), ("eliminated_in_race_number", optInt), ("code_sha256", s.string), ("code_size", s.integer),
            ])),
            ("AdminMiner", s.object([
                ("miner_hotkey", s.string), ("is_banned", s.boolean), ("ban_reason", optString), ("banned_at", optTime),
                ("agent_count", s.integer), ("version_count", s.integer), ("registered_at", s.dateTime),
                ("last_submitted_at", optTime), ("cooldown_until", optTime),
            ])),
            ("AdminValidator", s.object([
                ("hotkey", s.string), ("status", s.enumeration(["available", "evaluating"])), ("registered_at", s.dateTime),
                ("name", optString), ("last_claim_at", optTime), ("last_seen_at", optTime), ("service_versions", optObject),
                ("is_banned", s.boolean), ("ban_reason", optString), ("banned_at", optTime), ("cpu_pct", optNumber),
                ("ram_pct", optNumber), ("disk_pct", optNumber), ("docker_container_count", optInt), ("metrics_reported_at", optTime),
            ])),
            ("AuditEvent", s.object([
                ("event_id", s.uuid), ("action", s.string), ("target_type", s.string), ("target_id", s.string),
                ("actor_hotkey", s.string), ("created_at", s.dateTime), ("reason?", optString), ("details?", optObject),
            ])),
            ("AdminEvaluationRun", .object([("allOf", .array([s.ref("EvaluationRunPublic"), s.object([
                ("run_id", s.uuid), ("created_at", s.dateTime), ("score", optNumber), ("eval_work_item_id", s.uuid),
            ])]))])),
            ("BanResponse", s.object([("hotkey", s.string), ("is_banned", s.boolean)])),
        ]
    }
}
