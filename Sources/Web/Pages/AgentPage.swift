import ArenaModel
import Backend
import Foundation
import Store

/// The model of `/agents/{version}`: the version's facts, its live evaluation (`AgentLive`) and the miner's
/// score history.
struct AgentPage: Sendable {
    var layout: Layout
    var versionID: String
    var agentName: String
    var versionNumber: Int64
    var hotkey: HotkeyView
    var minerHref: String
    var status: StatusView
    var submitted: TimeView?
    var finalScore: String
    var raceScore: String
    var reasoningCoefficient: String
    var eligibleText: String
    var codeReleased: Bool
    var codeHref: String
    var codeSize: String
    var codeNote: String
    var liveSrc: String
    var live: AgentLive
    var hasHistory: Bool
    var historyHTML: SafeHTML

    static func load(_ site: SiteContext, versionID rawID: String) async throws -> AgentPage {
        guard let id = UUIDText.normalized(rawID), let version = try await site.publicQueries.agentVersion(id) else {
            throw PageNotFound(title: "No such agent version",
                               message: "There is no agent version “\(rawID)”. Agent pages are addressed by the version id the "
                                   + "submission returned (a UUID); the leaderboard links to every ranked version.")
        }
        let now = site.now()
        let live = try await AgentLive.load(site, version: version)
        let history = try await site.queries.versions(minerHotkey: version.minerHotkey)
        let points = history.map { other in
            SVGChart.Point(label: "\(other.agentName) v\(other.versionNumber)", value: other.finalScore,
                           href: Links.agent(other.agentVersionID))
        }
        let scored = points.contains { $0.value != nil }
        let released = version.isReleased(now: now)
        let codeNote: String
        if let at = version.codeAvailableAt {
            codeNote = "published \(Format.relative(at, now: now)) (\(Format.dateTime(at))), after the embargo"
        } else {
            codeNote = "published the weekday after the version becomes eligible"
        }
        return AgentPage(
            layout: Layout(title: "\(version.agentName) v\(version.versionNumber)",
                           description: "Agent \(version.agentName) version \(version.versionNumber) on ShopArena.", section: .board),
            versionID: version.agentVersionID, agentName: version.agentName, versionNumber: version.versionNumber,
            hotkey: HotkeyView(version.minerHotkey), minerHref: Links.miner(version.minerHotkey),
            status: live.standing, submitted: TimeView(version.submittedAt, now: now),
            finalScore: Format.score(version.finalScore), raceScore: Format.score(version.raceScore),
            reasoningCoefficient: Format.score(version.reasoningCoefficient),
            eligibleText: version.eligibleAt.map { Format.dateTime($0) } ?? "not yet",
            codeReleased: released, codeHref: "/v1/public/blobs/" + version.codeSHA256,
            codeSize: Format.count(version.codeSize) + " bytes", codeNote: codeNote,
            liveSrc: Links.agent(version.agentVersionID) + "/live", live: live,
            hasHistory: scored,
            historyHTML: scored ? SVGChart.scores(points, title: "Final scores of \(Format.shortHotkey(version.minerHotkey))'s versions",
                                                  id: "history") : .empty)
    }
}

/// The live part of an agent page, also served alone as `/agents/{version}/live` for the page's script to
/// swap in: the qualifying progress, the runs by validator and the per-problem matrix.
struct AgentLive: Sendable {
    struct ActiveRun: Sendable {
        var runHref: String
        var validator: String
        var finished: Int64
        var total: Int64
        var percent: String
    }

    struct RunRow: Sendable {
        var runHref: String
        var runShort: String
        var validator: String
        var validatorFull: String
        var phase: String
        var status: StatusView
        var failure: String?
        var claimed: TimeView?
        var completed: TimeView?
        var score: String
        var quality: String
        var coefficient: String
        var included: String
    }

    struct Column: Sendable {
        var label: String
        var href: String
        var title: String
    }

    struct Cell: Sendable {
        var present: Bool
        var href = ""
        var title = ""
        var css = "none"
        var outcome = ""
        var judge = ""
        var verdict = ""
        var time = ""
    }

    struct MatrixRow: Sendable {
        var problemID: String
        var category: String
        var query: String
        var queryFull: String
        var cells: [Cell]
    }

    struct Matrix: Sendable {
        var columns: [Column] = []
        var rows: [MatrixRow] = []
        var hasRows = false
        var emptyText = ""
    }

    var isFinal: Bool
    var standing: StatusView
    var stateText: String
    var progressText: String
    var active: [ActiveRun]
    var hasActive: Bool
    var runs: [RunRow]
    var hasRuns: Bool
    var matrix: Matrix

    /// States after which nothing about the version changes by itself.
    static let settledStates: Set<String> = ["ELIGIBLE", "DISCARDED", "CANCELLED"]

    static func load(_ site: SiteContext, version: AgentVersionRecord) async throws -> AgentLive {
        let queries = site.publicQueries
        let now = site.now()
        let item = try await queries.latestWorkItem(agentVersionID: version.agentVersionID, phase: .qualifying)
        let runs = try await queries.runs(agentVersionID: version.agentVersionID)
        let leased = runs.filter { $0.status == "CLAIMED" || $0.status == "RUNNING" }
        let finished = try await site.queries.finishedVisibleProblems(evalRunIDs: leased.map(\.evalRunID))
        var totals: [Int64: Int64] = [:]
        for suite in Set(leased.map(\.suiteID)) { totals[suite] = try await site.queries.visibleProblemCount(suiteID: suite) }

        let history = version.suiteID != nil ? try await queries.topHistory(suiteID: version.suiteID) : []
        let isTop = history.contains { $0.isCurrent && $0.agentVersionID == version.agentVersionID }
        let standing = VersionStanding.status(version, isTop: isTop, isQualifier: false)
        let required = item?.requiredSuccesses ?? Int64(site.settings.requiredSuccesses)
        let successes = item?.includedSuccessCount ?? 0
        let progressText = "\(successes) of \(required) successful run\(required == 1 ? "" : "s") from distinct validators"
            + (leased.isEmpty ? "" : ", \(leased.count) running")
        let active = leased.filter { $0.phase == EvaluationPhase.qualifying.rawValue }.map { run -> ActiveRun in
            let total = totals[run.suiteID] ?? 0
            let done = min(finished[run.evalRunID] ?? 0, total)
            return ActiveRun(runHref: Links.run(run.evalRunID), validator: Format.shortHotkey(run.validatorHotkey),
                             finished: done, total: total,
                             percent: total > 0 ? Format.percent(Double(done) / Double(total)) : Format.none)
        }
        let rows = runs.map { run in
            RunRow(runHref: Links.run(run.evalRunID), runShort: String(run.evalRunID.prefix(8)),
                   validator: Format.shortHotkey(run.validatorHotkey), validatorFull: run.validatorHotkey,
                   phase: Format.label(run.phase) + (run.raceNumber.map { " \($0)" } ?? ""),
                   status: StatusView.word(run.status, hint: run.invalidationReason.map { "invalidated: \($0)" }),
                   failure: run.failureReason.map { Format.clip($0, limit: 160).text },
                   claimed: TimeView(run.claimedAt, now: now), completed: TimeView(run.completedAt, now: now),
                   score: Format.score(run.validatorScore), quality: Format.score(run.reasoningQuality),
                   coefficient: Format.score(run.reasoningCoefficient),
                   included: run.invalidatedAt != nil ? "invalidated" : (run.isIncluded ? "yes" : "no"))
        }
        let matrix = try await Self.matrix(site, version: version, runs: runs)
        let settled = settledStates.contains(version.state) && leased.isEmpty
        return AgentLive(isFinal: settled, standing: standing,
                         stateText: standing.label, progressText: progressText, active: active, hasActive: !active.isEmpty,
                         runs: rows, hasRuns: !rows.isEmpty, matrix: matrix)
    }

    /// Visible problems (rows) × qualifying runs (columns); race runs evaluate hidden problems and have no column.
    static func matrix(_ site: SiteContext, version: AgentVersionRecord, runs: [EvaluationRunRecord]) async throws -> Matrix {
        var matrix = Matrix()
        guard let suiteID = version.suiteID else {
            matrix.emptyText = "This version is not on a suite."
            return matrix
        }
        let columnsRuns = runs.filter { $0.phase == EvaluationPhase.qualifying.rawValue }
        guard !columnsRuns.isEmpty else {
            matrix.emptyText = "Results appear here problem by problem as validators report them."
            return matrix
        }
        let problems = try await site.problems(suiteID: suiteID).problems
        let results = try await site.publicQueries.runProblems(agentVersionID: version.agentVersionID, phase: .qualifying, raceID: nil)
        var byKey: [TrajectoryKey: RunProblemRecord] = [:]
        for result in results { byKey[TrajectoryKey(evalRunID: result.evalRunID, problemID: result.problemID)] = result }
        let verdicts = try await site.corpus.verdicts(for: Array(byKey.keys))
        matrix.columns = columnsRuns.map { run in
            Column(label: Format.shortHotkey(run.validatorHotkey), href: Links.run(run.evalRunID),
                   title: "Run \(run.evalRunID) on validator \(run.validatorHotkey)")
        }
        matrix.rows = problems.map { problem in
            let facts = problem.facts
            let cells = columnsRuns.map { run -> Cell in
                let key = TrajectoryKey(evalRunID: run.evalRunID, problemID: problem.id)
                guard let result = byKey[key] else { return Cell(present: false) }
                return Cell.of(result, verdict: verdicts[key], href: Links.trajectory(run: run.evalRunID, problem: problem.id))
            }
            return MatrixRow(problemID: problem.id, category: facts.category,
                             query: Format.clip(facts.query, limit: 90).text + (facts.query.count > 90 ? "…" : ""),
                             queryFull: facts.query, cells: cells)
        }
        matrix.hasRows = !matrix.rows.isEmpty
        matrix.emptyText = "The suite has no public problems."
        return matrix
    }
}

extension AgentLive.Cell {
    /// Green for a solved problem, plain for a finished miss, red for a failed or timed-out one, blue while running.
    static func css(_ result: RunProblemRecord) -> String {
        switch result.status {
        case "SUCCESS": return (result.score ?? 0) >= 1 ? "pass" : "miss"
        case "FAILED", "TIMED_OUT": return Format.cssToken(result.status)
        default: return "running"
        }
    }

    /// A finished or running problem's cell: outcome score, judge score, corpus verdict, time.
    static func of(_ result: RunProblemRecord, verdict: CorpusVerdict?, href: String) -> AgentLive.Cell {
        let verdictText = verdict.map { $0.label } ?? "not yet"
        return AgentLive.Cell(
            present: true, href: href,
            title: "\(Format.label(result.status)), outcome \(result.score.map { String(format: "%.2f", $0) } ?? "none"), "
                + "judge \(result.reasoningScore.map { String(format: "%.2f", $0) } ?? "none"), corpus \(verdictText), "
                + Format.seconds(result.executionTime),
            css: Self.css(result), outcome: result.score.map { String(format: "%.2f", $0) } ?? "—",
            judge: result.reasoningScore.map { String(format: "%.1f", $0) } ?? "—",
            verdict: verdict.map { $0.accepted ? "✓" : "✗" } ?? "·", time: Format.seconds(result.executionTime))
    }
}
