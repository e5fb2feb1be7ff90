import ArenaModel
import Backend
import Store

/// The model of `/runs/{id}`: the run's facts and its live per-problem table (`RunLive`).
struct RunPage: Sendable {
    struct Component: Sendable {
        var name: String
        var value: String
    }

    var layout: Layout
    var runShort: String
    var agentName: String
    var agentHref: String
    var versionNumber: Int64
    var hotkey: HotkeyView
    var validator: String
    var validatorFull: String
    var status: StatusView
    var phase: String
    var raceHref: String?
    var claimedText: String
    var heartbeatText: String
    var completedText: String
    var score: String
    var quality: String
    var coefficient: String
    var included: String
    var failureText: String?
    var invalidationText: String?
    var components: [Component]
    var hasComponents: Bool
    var liveSrc: String
    var live: RunLive

    static func load(_ site: SiteContext, runID rawID: String) async throws -> RunPage {
        let run = try await requireRun(site, rawID)
        let now = site.now()
        let components = Self.components(run.scoreComponents)
        func when(_ millis: Int64?) -> String {
            guard let millis else { return Format.none }
            return "\(Format.dateTime(millis)) (\(Format.relative(millis, now: now)))"
        }
        return RunPage(
            layout: Layout(title: "Run \(run.evalRunID.prefix(8)) of \(run.agentName)", section: .board),
            runShort: String(run.evalRunID.prefix(8)), agentName: run.agentName, agentHref: Links.agent(run.agentVersionID),
            versionNumber: run.versionNumber, hotkey: HotkeyView(run.minerHotkey),
            validator: Format.shortHotkey(run.validatorHotkey), validatorFull: run.validatorHotkey,
            status: StatusView.word(run.status), phase: Format.label(run.phase) + (run.raceNumber.map { " (race \($0))" } ?? ""),
            raceHref: run.raceID.map(Links.race), claimedText: when(run.claimedAt), heartbeatText: when(run.lastHeartbeatAt),
            completedText: when(run.completedAt), score: Format.score(run.validatorScore),
            quality: Format.score(run.reasoningQuality), coefficient: Format.score(run.reasoningCoefficient),
            included: run.invalidatedAt != nil ? "no (invalidated)" : (run.isIncluded ? "yes" : "no"),
            failureText: run.failureReason,
            invalidationText: run.invalidatedAt.map { _ in run.invalidationReason ?? "by an operator" },
            components: components, hasComponents: !components.isEmpty,
            liveSrc: Links.run(run.evalRunID) + "/live", live: try await RunLive.load(site, run: run))
    }

    static func requireRun(_ site: SiteContext, _ rawID: String) async throws -> EvaluationRunRecord {
        guard let id = UUIDText.normalized(rawID), let run = try await site.publicQueries.run(id) else {
            throw PageNotFound(title: "No such evaluation run",
                               message: "There is no evaluation run “\(rawID)”. Runs are listed on their agent's page, "
                                   + "under “Runs by validator”.")
        }
        return run
    }

    /// The run's `score_components` object as name/value lines (numbers with four decimals).
    static func components(_ text: String?) -> [Component] {
        guard let text, let value = try? JSONParser.parse(text), case .object(let pairs) = value else { return [] }
        return pairs.compactMap { name, value in
            switch value {
            case .double(let d): return Component(name: name, value: Format.score(d))
            case .int(let i): return Component(name: name, value: String(i))
            case .bool(let b): return Component(name: name, value: b ? "yes" : "no")
            case .string(let s): return Component(name: name, value: s)
            case .null: return Component(name: name, value: Format.none)
            default: return Component(name: name, value: JSONWriter().string(value))
            }
        }
    }
}

/// The live part of a run page, also served alone as `/runs/{id}/live`.
struct RunLive: Sendable {
    struct Row: Sendable {
        var position: Int64
        var problemID: String
        var href: String
        var category: String
        var query: String
        var queryFull: String
        var status: StatusView
        var outcome: String
        var judge: String
        var verdict: String
        var time: String
        var inference: String
    }

    var isFinal: Bool
    var statusText: String
    var progressText: String
    var showBar: Bool
    var finished: Int64
    var total: Int64
    var percent: String
    var hiddenNote: String?
    var rows: [Row]
    var hasRows: Bool
    var emptyText: String

    static func load(_ site: SiteContext, run: EvaluationRunRecord) async throws -> RunLive {
        let details = try await site.queries.runProblems(evalRunID: run.evalRunID)
        let texts = try await site.problems(suiteID: run.suiteID)
        let keys = details.map { TrajectoryKey(evalRunID: run.evalRunID, problemID: $0.progress.problemID) }
        let verdicts = try await site.corpus.verdicts(for: keys)
        let isRace = run.phase == EvaluationPhase.race.rawValue
        let total = isRace ? Int64(details.count) : try await site.queries.visibleProblemCount(suiteID: run.suiteID)
        let terminal: Set<String> = ["SUCCESS", "FAILED", "TIMED_OUT", "SKIPPED"]
        let finished = Int64(details.filter { terminal.contains($0.progress.status) }.count)
        let active = run.status == "CLAIMED" || run.status == "RUNNING"
        let rows = details.map { detail -> Row in
            let progress = detail.progress
            let facts = texts.byID[progress.problemID] ?? ProblemFacts(metadata: nil, category: progress.category)
            let verdict = verdicts[TrajectoryKey(evalRunID: run.evalRunID, problemID: progress.problemID)]
            let inference: String
            if let calls = progress.inferenceTotal {
                inference = "\(calls) call\(calls == 1 ? "" : "s")" + ((progress.inferenceFailureCount ?? 0) > 0
                    ? ", \(progress.inferenceFailureCount ?? 0) failed" : "")
            } else {
                inference = Format.none
            }
            return Row(position: progress.position + 1, problemID: progress.problemID,
                       href: Links.trajectory(run: run.evalRunID, problem: progress.problemID),
                       category: facts.category, query: Format.clip(facts.query, limit: 110).text + (facts.query.count > 110 ? "…" : ""),
                       queryFull: facts.query, status: StatusView.word(progress.status), outcome: Format.score(progress.score),
                       judge: Format.score(progress.reasoningScore),
                       verdict: verdict.map { $0.label + ($0.reason.map { ": \($0)" } ?? "") } ?? "not yet",
                       time: Format.seconds(progress.executionTime), inference: inference)
        }
        return RunLive(
            isFinal: !active, statusText: Format.label(run.status),
            progressText: isRace ? "race problems are hidden" : "\(finished) of \(total) problems finished",
            showBar: !isRace && total > 0, finished: min(finished, total), total: total,
            percent: total > 0 ? Format.percent(Double(min(finished, total)) / Double(total)) : Format.none,
            hiddenNote: isRace ? "This is a race run: its problems come from the hidden bank and are never shown." : nil,
            rows: rows, hasRows: !rows.isEmpty,
            emptyText: active ? "No problem has reported yet: results appear as the validator finishes them."
                : "This run reported no public problem results.")
    }
}
