import ArenaModel

/// Where a trajectory came from: the run, the agent, the validator, the problem and the phase.
public struct TrajectoryProvenance: Sendable, Hashable {
    public var evalRunID: String
    public var agentVersionID: String
    public var agentName: String
    public var minerHotkey: String
    public var validatorHotkey: String
    public var suiteID: Int64
    public var suiteVersion: Int64?
    public var problemID: String
    /// `product` / `shop` / `voucher` (lower-case), nil when the problem has none.
    public var category: String?
    /// `QUALIFYING` or `RACE`.
    public var phase: String
    public var raceID: String?
    /// A hidden race problem: kept, never exported, never in a public answer.
    public var isHidden: Bool
    /// The run counted towards its work item.
    public var isIncluded: Bool

    public init(evalRunID: String, agentVersionID: String, agentName: String, minerHotkey: String, validatorHotkey: String,
                suiteID: Int64, suiteVersion: Int64?, problemID: String, category: String?, phase: String, raceID: String?,
                isHidden: Bool, isIncluded: Bool) {
        self.evalRunID = evalRunID
        self.agentVersionID = agentVersionID
        self.agentName = agentName
        self.minerHotkey = minerHotkey
        self.validatorHotkey = validatorHotkey
        self.suiteID = suiteID
        self.suiteVersion = suiteVersion
        self.problemID = problemID
        self.category = category
        self.phase = phase
        self.raceID = raceID
        self.isHidden = isHidden
        self.isIncluded = isIncluded
    }

    public var json: JSONValue {
        .object([
            ("eval_run_id", .string(evalRunID)), ("agent_version_id", .string(agentVersionID)),
            ("agent_name", .string(agentName)), ("miner_hotkey", .string(minerHotkey)),
            ("validator_hotkey", .string(validatorHotkey)), ("suite_id", .int(suiteID)),
            ("suite_version", suiteVersion.map(JSONValue.int) ?? .null), ("problem_id", .string(problemID)),
            ("category", category.map(JSONValue.string) ?? .null), ("phase", .string(phase)),
            ("race_id", raceID.map(JSONValue.string) ?? .null), ("is_hidden", .bool(isHidden)), ("is_included", .bool(isIncluded)),
        ])
    }
}

/// The reasoning judge's part of a record.
public struct JudgeFacts: Sendable, Hashable {
    /// The problem's judge score (0…1), nil when it was not judged.
    public var reasoningScore: Double?
    /// The run's reasoning coefficient.
    public var reasoningCoefficient: Double?
    /// `llm`, `rule`, or `none` (not judged).
    public var kind: String
    public var model: String?
    public var explanation: String?

    public init(reasoningScore: Double?, reasoningCoefficient: Double?, kind: String, model: String?, explanation: String?) {
        self.reasoningScore = reasoningScore
        self.reasoningCoefficient = reasoningCoefficient
        self.kind = kind
        self.model = model
        self.explanation = explanation
    }

    /// The kind implied by a progress summary: a model named → `llm`; judged without a model → `rule`; else `none`.
    public static func kind(score: Double?, model: String?) -> String {
        if let model, !model.isEmpty { return "llm" }
        return score == nil ? "none" : "rule"
    }

    public var json: JSONValue {
        .object([
            ("reasoning_score", reasoningScore.map(JSONValue.double) ?? .null),
            ("reasoning_coefficient", reasoningCoefficient.map(JSONValue.double) ?? .null),
            ("kind", .string(kind)), ("model", model.map(JSONValue.string) ?? .null),
            ("explanation", explanation.map(JSONValue.string) ?? .null),
        ])
    }
}

/// One judged trajectory of the corpus: provenance, outcome, judge, trusted-log counts, timings, versions, where the
/// dialogue is stored, and the corpus's own verdicts (structural filter, features, agentic richness).
public struct TrajectoryRecord: Sendable, Hashable {
    /// Deterministic: the same run and problem always give the same id (``TrajectoryRecord/id(runID:problemID:)``).
    public var trajectoryID: String
    public var provenance: TrajectoryProvenance
    /// The envelope status (`SUCCESS`, `FAILED`, `TIMED_OUT`), or `MISSING` when no log reached the backend.
    public var envelopeStatus: String
    /// The problem's outcome success (rule ≥ 1 and the task's extra predicate).
    public var success: Bool
    /// The outcome components object (`length, format, product, gt, rule, …`), null when not scored.
    public var outcome: JSONValue
    public var judge: JudgeFacts
    public var log: TrustedLogFacts
    /// Seconds the sandbox ran the problem.
    public var executionTime: Double?
    /// When the run completed and when this record was written (epoch ms).
    public var completedAt: Int64?
    public var ingestedAt: Int64
    /// `{"corpus", "scoring_profile", "judge", "service": {…}}` — whatever produced this record.
    public var versions: JSONValue
    /// The stored log holding the dialogue (blob key and sha256 of the stored bytes).
    public var dialogueKey: String?
    public var dialogueSHA256: String?
    /// How the agent wrote its dialogue, nil without one.
    public var dialect: DialogueDialect?
    public var filter: FilterVerdict
    public var features: StructuralFeatures
    public var agentic: AgenticAssessment
    /// Never leaves through an export or a public answer (hidden race problems).
    public var neverExport: Bool

    public init(trajectoryID: String, provenance: TrajectoryProvenance, envelopeStatus: String, success: Bool, outcome: JSONValue,
                judge: JudgeFacts, log: TrustedLogFacts, executionTime: Double?, completedAt: Int64?, ingestedAt: Int64,
                versions: JSONValue, dialogueKey: String?, dialogueSHA256: String?, dialect: DialogueDialect?,
                filter: FilterVerdict, features: StructuralFeatures, agentic: AgenticAssessment, neverExport: Bool) {
        self.trajectoryID = trajectoryID
        self.provenance = provenance
        self.envelopeStatus = envelopeStatus
        self.success = success
        self.outcome = outcome
        self.judge = judge
        self.log = log
        self.executionTime = executionTime
        self.completedAt = completedAt
        self.ingestedAt = ingestedAt
        self.versions = versions
        self.dialogueKey = dialogueKey
        self.dialogueSHA256 = dialogueSHA256
        self.dialect = dialect
        self.filter = filter
        self.features = features
        self.agentic = agentic
        self.neverExport = neverExport
    }

    /// A record from an analysis and the facts around it.
    public init(provenance: TrajectoryProvenance, analysis: CorpusAnalysis, envelopeStatus: String, success: Bool,
                outcome: JSONValue, judge: JudgeFacts, executionTime: Double?, completedAt: Int64?, ingestedAt: Int64,
                versions: JSONValue, dialogueKey: String?, dialogueSHA256: String?) {
        self.init(
            trajectoryID: Self.id(runID: provenance.evalRunID, problemID: provenance.problemID), provenance: provenance,
            envelopeStatus: envelopeStatus, success: success, outcome: outcome, judge: judge, log: analysis.log,
            executionTime: executionTime, completedAt: completedAt, ingestedAt: ingestedAt, versions: versions,
            dialogueKey: dialogueKey, dialogueSHA256: dialogueSHA256, dialect: analysis.chat?.dialect, filter: analysis.filter,
            features: analysis.features, agentic: analysis.agentic, neverExport: provenance.isHidden)
    }

    /// The trajectory id of a (run, problem): a version-8 UUID derived from both.
    public static func id(runID: String, problemID: String) -> String {
        StableID.uuid(of: "trajectory\u{1F}\(runID)\u{1F}\(problemID)")
    }

    public var json: JSONValue {
        .object([
            ("trajectory_id", .string(trajectoryID)),
            ("provenance", provenance.json),
            ("envelope_status", .string(envelopeStatus)),
            ("success", .bool(success)),
            ("outcome", outcome),
            ("judge", judge.json),
            ("trusted_log", log.json),
            ("execution_time", executionTime.map(JSONValue.double) ?? .null),
            ("completed_at", completedAt.map(JSONValue.int) ?? .null),
            ("ingested_at", .int(ingestedAt)),
            ("versions", versions),
            ("dialogue", .object([("key", dialogueKey.map(JSONValue.string) ?? .null),
                                  ("sha256", dialogueSHA256.map(JSONValue.string) ?? .null),
                                  ("dialect", dialect.map { .string($0.rawValue) } ?? .null)])),
            ("filter", filter.json),
            ("features", features.json),
            ("agentic", agentic.json),
            ("never_export", .bool(neverExport)),
        ])
    }
}
