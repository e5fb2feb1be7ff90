import ArenaModel
import Store

/// `AgentVersionStatus` (oro-api.md §2.1): a version's state, the progress of its qualifying work item, its
/// scores and whether its code is released. Served at `/v1/public/agent-versions/{id}/status` and, to the
/// owner, at `/v1/miner/agent-versions/{id}`.
public enum AgentVersionStatusView {
    /// The status of `agentVersionID` at `now`, or nil when no such version exists (answer 404
    /// AGENT_VERSION_NOT_FOUND). The miner route checks ownership against `miner_hotkey` (or loads the
    /// version itself first).
    public static func load(agentVersionID: String, services: BackendServices) async throws -> JSONValue? {
        let queries = PublicQueries(database: services.database)
        guard let version = try await queries.agentVersion(agentVersionID) else { return nil }
        let item = try await queries.latestWorkItem(agentVersionID: agentVersionID, phase: .qualifying)
        var runs: [EvaluationRunRecord] = []
        if let item { runs = try await queries.runs(workItemID: item.workItemID) }
        var standing: RaceStanding?
        // Races run on the active suite only: a version of another suite is nobody's qualifier.
        if let suite = version.suiteID, try await services.agents.activeSuiteID() == suite {
            standing = try await RaceStanding.load(suiteID: suite, database: services.database,
                                                   qualification: services.settings.policy.qualification)
        }
        return json(version: version, workItem: item, runs: runs, now: services.now(),
                    defaultRequiredSuccesses: Int64(services.settings.requiredSuccesses), standing: standing)
    }

    /// Builds the model from already-loaded rows. `runs` are the runs of `workItem`; scores per validator come
    /// from its included, successful, not invalidated runs.
    public static func json(version: AgentVersionRecord, workItem: WorkItemRecord?, runs: [EvaluationRunRecord],
                            now: Int64, defaultRequiredSuccesses: Int64, standing: RaceStanding? = nil) -> JSONValue {
        var scores: [(String, JSONValue)] = []
        for run in runs where run.status == "SUCCESS" && run.isIncluded && run.invalidatedAt == nil {
            guard let score = run.validatorScore, !scores.contains(where: { $0.0 == run.validatorHotkey }) else { continue }
            scores.append((run.validatorHotkey, .double(score)))
        }
        return .object([
            ("agent_version_id", .string(version.agentVersionID)),
            ("agent_name", .string(version.agentName)),
            ("miner_hotkey", .string(version.minerHotkey)),
            ("version_number", .int(version.versionNumber)),
            ("submitted_at", .string(Wire.timestamp(version.submittedAt))),
            ("state", .string(AgentVersionStateWire.wire(version.state))),
            ("eliminated_at", Wire.timestamp(version.eliminatedAt)),
            ("eliminated_in_race_number", WireValue.int(version.eliminatedInRaceNumber)),
            ("suite_id", WireValue.int(version.suiteID)),
            ("required_successes", .int(workItem?.requiredSuccesses ?? defaultRequiredSuccesses)),
            ("success_count", .int(workItem?.includedSuccessCount ?? 0)),
            ("active_count", .int(workItem?.activeRuns ?? 0)),
            ("is_closed", .bool(workItem?.isClosed ?? false)),
            ("final_score", WireValue.double(version.finalScore)),
            ("race_score", WireValue.double(version.raceScore)),
            ("reasoning_coefficient", WireValue.double(version.reasoningCoefficient)),
            ("release_state", .string(version.isReleased(now: now) ? "RELEASED" : "HIDDEN")),
            ("code_available_at", Wire.timestamp(version.codeAvailableAt)),
            ("per_validator_success_scores", .object(scores)),
            ("is_active_qualifier", .bool(standing?.isActiveQualifier(version.agentVersionID) ?? false)),
            ("outranked_by_agent_version_id", WireValue.string(standing?.outrankedBy(version.agentVersionID))),
        ] + EvaluationHoldView.fields(workItem, now: now))
    }
}

/// Why a work item is not being evaluated right now (issue 13): its failed attempts, the last counted
/// failure's reason, the back-off end and whether it is parked, plus one sentence telling the miner what
/// happens next. Added to `AgentVersionStatus` and `PendingEvaluation` (fields the oro-sdk models ignore).
public enum EvaluationHoldView {
    public static func fields(_ item: WorkItemRecord?, now: Int64) -> [(String, JSONValue)] {
        let waiting = item.flatMap { $0.parkedAt == nil ? $0.retryAt : nil }.flatMap { $0 > now ? $0 : nil }
        return [
            ("failed_attempts", .int(item?.failedAttempts ?? 0)),
            ("last_failure_reason", WireValue.string(item?.lastFailureReason)),
            ("next_attempt_at", Wire.timestamp(waiting)),
            ("parked_at", Wire.timestamp(item?.parkedAt)),
            ("evaluation_notice", WireValue.string(item.flatMap { notice($0, retryAt: waiting) })),
        ]
    }

    /// The sentence a miner reads, or nil when nothing holds the evaluation back.
    static func notice(_ item: WorkItemRecord, retryAt: Int64?) -> String? {
        guard !item.isClosed, !item.isCancelled else { return nil }
        let kind = item.lastFailureKind.flatMap(RunFailureKind.init(rawValue:)) ?? .curable
        let reason = item.lastFailureReason.map { ": \($0)" } ?? ""
        let runs = item.failedAttempts == 1 ? "1 failed run" : "\(item.failedAttempts) failed runs"
        if item.parkedAt != nil {
            return "Evaluation parked after \(runs)\(reason). To resume, \(kind.remedy)."
        }
        guard let retryAt else { return nil }
        let when = "after \(Wire.timestamp(retryAt))"
            + (kind == .minerCredential ? ", or as soon as you connect a working inference credential" : "")
        return "Evaluation paused after \(runs)\(reason). Next attempt \(when); meanwhile other agents are evaluated."
    }
}

/// The wire spelling of a stored version state, never an unknown enum member (anything unexpected is
/// reported as RECEIVED).
enum AgentVersionStateWire {
    static let known: Set<String> = ["RECEIVED", "QUEUED", "RUNNING", "ELIGIBLE", "DISCARDED", "CANCELLED"]
    static func wire(_ state: String) -> String { known.contains(state) ? state : "RECEIVED" }
}
