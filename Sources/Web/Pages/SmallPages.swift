import ArenaModel
import Backend
import Store

/// The model of `/miners/{hotkey}`: registration, cooldown and every agent version of the miner.
struct MinerPage: Sendable {
    struct Version: Sendable {
        var href: String
        var number: Int64
        var submittedText: String
        var suite: String
        var status: StatusView
        var finalScore: String
        var raceScore: String
    }

    struct Agent: Sendable {
        var name: String
        var versions: [Version]
    }

    var layout: Layout
    var hotkey: HotkeyView
    var registeredText: String
    var lastSubmitText: String
    var coolingDown: Bool
    var cooldownUntilMillis: Int64
    var cooldownText: String
    var banned: Bool
    var agents: [Agent]
    var hasAgents: Bool
    var hasHistory: Bool
    var historyHTML: SafeHTML

    static func load(_ site: SiteContext, hotkey: String) async throws -> MinerPage {
        guard hotkey.count <= 64, let miner = try await site.queries.miner(hotkey) else {
            throw PageNotFound(title: "No such miner",
                               message: "The arena knows no miner with hotkey “\(Format.clip(hotkey, limit: 64).text)”. Hotkeys are SS58 "
                                   + "addresses (they start with 5); the leaderboard's search finds a miner by its first characters.")
        }
        let now = site.now()
        let versions = try await site.queries.versions(minerHotkey: miner.hotkey)
        let current = try await site.publicQueries.currentSuite()
        var top: TopRecord?
        if let current { top = try await site.publicQueries.currentTop(suiteID: current.suiteID) }
        var order: [String] = []
        var byAgent: [String: [Version]] = [:]
        for version in versions.reversed() {
            if byAgent[version.agentName] == nil { order.append(version.agentName) }
            byAgent[version.agentName, default: []].append(Version(
                href: Links.agent(version.agentVersionID), number: version.versionNumber,
                submittedText: Format.dateTime(version.submittedAt), suite: version.suiteID.map(String.init) ?? Format.none,
                status: VersionStanding.status(version, isTop: top?.agentVersionID == version.agentVersionID, isQualifier: false),
                finalScore: Format.score(version.finalScore), raceScore: Format.score(version.raceScore)))
        }
        let agents = order.map { Agent(name: $0, versions: byAgent[$0] ?? []) }
        let points = versions.map {
            SVGChart.Point(label: "\($0.agentName) v\($0.versionNumber)", value: $0.finalScore, href: Links.agent($0.agentVersionID))
        }
        let scored = points.contains { $0.value != nil }
        let until = miner.cooldownUntil ?? 0
        return MinerPage(
            layout: Layout(title: "Miner \(Format.shortHotkey(miner.hotkey))", section: .board),
            hotkey: HotkeyView(miner.hotkey), registeredText: Format.dateTime(miner.registeredAt),
            lastSubmitText: miner.lastSubmitAt.map { "\(Format.dateTime($0)) (\(Format.relative($0, now: now)))" } ?? "never",
            coolingDown: until > now, cooldownUntilMillis: until,
            cooldownText: Format.span(seconds: Double(max(0, until - now)) / 1000), banned: miner.isBanned,
            agents: agents, hasAgents: !agents.isEmpty, hasHistory: scored,
            historyHTML: scored ? SVGChart.scores(points, title: "Final scores of the miner's versions", id: "miner-history") : .empty)
    }
}

/// The model of `/validators`.
struct ValidatorsPage: Sendable {
    struct Row: Sendable {
        var name: String
        var hotkey: HotkeyView
        var status: StatusView
        var inFlight: Int64
        var currentHref: String?
        var currentText: String
        var seen: TimeView?
        var claim: TimeView?
        var versions: String
    }

    var layout = Layout(title: "Validators", section: .validators)
    var summary: String
    var validators: [Row]
    var hasValidators: Bool

    static func load(_ site: SiteContext) async throws -> ValidatorsPage {
        let now = site.now()
        let validators = try await site.publicQueries.validators()
        let inFlight = try await site.queries.runsInFlight()
        let rows = validators.map { v -> Row in
            let versions: String
            if let text = v.serviceVersions, let json = try? JSONParser.parse(text), case .object(let pairs) = json {
                versions = pairs.map { "\($0.0) \($0.1.stringValue ?? JSONWriter().string($0.1))" }.joined(separator: ", ")
            } else {
                versions = Format.none
            }
            return Row(
                name: v.name ?? Format.shortHotkey(v.hotkey), hotkey: HotkeyView(v.hotkey, miner: false),
                status: v.currentRun == nil ? StatusView("Available", css: "eligible") : StatusView("Evaluating", css: "running"),
                inFlight: inFlight[v.hotkey] ?? 0, currentHref: v.currentRun.map { Links.run($0.evalRunID) },
                currentText: v.currentRun.map { "\($0.agentName) v\($0.versionNumber)" } ?? "",
                seen: TimeView(v.lastSeenAt, now: now), claim: TimeView(v.lastClaimAt, now: now), versions: versions)
        }
        let busy = rows.filter { $0.inFlight > 0 }.count
        let total = inFlight.values.reduce(0, +)
        return ValidatorsPage(
            summary: "\(rows.count) validator\(rows.count == 1 ? "" : "s") registered; \(busy) evaluating now, \(total) run\(total == 1 ? "" : "s") in flight.",
            validators: rows, hasValidators: !rows.isEmpty)
    }
}

/// The model of `/corpus`: the corpus figures with charts, or what the page will show once the corpus runs.
struct CorpusPage: Sendable {
    struct Chart: Sendable {
        var id: String
        var heading: String
        var hasData: Bool
        var chartHTML: SafeHTML
    }

    var layout = Layout(title: "Corpus", section: .corpus)
    var available: Bool
    var totalText: String
    var charts: [Chart]

    static func load(_ site: SiteContext) async throws -> CorpusPage {
        guard let summary = try await site.corpus.summary() else {
            return CorpusPage(available: false, totalText: "", charts: [])
        }
        func chart(_ id: String, _ heading: String, _ counts: [CorpusCount]) -> Chart {
            Chart(id: id, heading: heading, hasData: !counts.isEmpty,
                  chartHTML: counts.isEmpty ? .empty : SVGChart.bars(counts.map { ($0.label, $0.count) }, title: heading))
        }
        let share = summary.trajectories > 0 ? Format.percent(Double(summary.accepted) / Double(summary.trajectories)) : Format.none
        return CorpusPage(
            available: true,
            totalText: "\(Format.count(summary.trajectories)) trajectories ingested; \(Format.count(summary.accepted)) kept (\(share)).",
            charts: [
                chart("by-category", "By category", summary.byCategory),
                chart("by-verdict", "By verdict", summary.byVerdict),
                chart("by-reason", "Rejected, by reason", summary.byRejectReason),
                chart("per-day", "Per day", summary.perDay),
            ])
    }
}

/// The model of the 404 page.
struct NotFoundPage: Sendable {
    var layout: Layout
    var heading: String
    var message: String
    var path: String

    init(heading: String, message: String, path: String) {
        layout = Layout(title: heading, section: .none)
        self.heading = heading
        self.message = message
        self.path = path
    }
}

/// The model of the 500 page.
struct FailurePage: Sendable {
    var layout = Layout(title: "Error", section: .none)
    var message: String
}
