import ArenaModel
import Backend
import Foundation
import Store

/// The model of `/`: headline tiles, the ranked rows of one tab (qualifying or race), search and paging.
struct LeaderboardPage: Sendable {
    struct Row: Sendable {
        var rank: Int64
        var versionID: String
        var agentName: String
        var agentHref: String
        var versionNumber: Int64
        var hotkey: HotkeyView
        var finalScore: String
        var raceScore: String
        var status: StatusView
        var eligible: TimeView?
    }

    struct Tiles: Sendable {
        var hasTop = false
        var topName = ""
        var topHref = ""
        var topScore = Format.none
        var emissionWeight = Format.none
        var threshold = Format.none
        var thresholdNote = "set once an agent holds the top"
        var racePhase = "None open"
        var raceHref: String?
        var closesAtMillis: Int64 = 0
        var closesISO = ""
        var closesText = ""
        var countdownText = ""
        var qualifiers = "0"
        var qualifiersNote = ""
        var uniqueMiners = "0"
        var submissions24h = "0"
    }

    struct Pager: Sendable {
        var show = false
        var previous: String?
        var next: String?
        var text = ""
    }

    var layout = Layout(title: "Leaderboard", section: .board)
    var hasSuite = false
    var suiteText = ""
    var tiles = Tiles()
    var tabQualifying = true
    var tabRace = false
    var qualifyingHref = "/"
    var raceHref = "/?tab=race"
    var search = ""
    var hasSearch = false
    var clearHref = "/"
    var countText = ""
    var rows: [Row] = []
    var hasRows = false
    var emptyText = ""
    var pager = Pager()
    var apiHref = "/v1/public/leaderboard"

    static let pageSize: Int64 = 50

    /// Reads `tab` (qualifying | race), `q` (search) and `page` (1-based) from the query.
    static func load(_ site: SiteContext, tab: String?, search rawSearch: String?, page rawPage: String?) async throws -> LeaderboardPage {
        var model = LeaderboardPage()
        let byRace = tab == "race"
        model.tabRace = byRace
        model.tabQualifying = !byRace
        let search = String((rawSearch ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        model.search = search
        model.hasSearch = !search.isEmpty
        let pageNumber = max(1, Int64(rawPage ?? "") ?? 1)
        guard let suite = try await site.publicQueries.currentSuite() else { return model }
        model.hasSuite = true
        model.suiteText = "\(suite.suiteID) (version \(suite.suiteVersion), \(suite.problemCount) problems)"
        let now = site.now()

        let board = try await site.queries.leaderboard(
            suiteID: suite.suiteID, byRaceScore: byRace, search: search.isEmpty ? nil : search,
            limit: pageSize, offset: (pageNumber - 1) * pageSize)
        let history = try await site.publicQueries.topHistory(suiteID: suite.suiteID)
        let top = history.first { $0.isCurrent }
        let race = try await site.services.database.read { db -> (RaceRecord, [RaceQualifierRecord])? in
            guard let race = try await RaceRepository.races(statuses: [.qualifyingOpen, .raceRunning], suiteID: suite.suiteID,
                                                            limit: 1, in: db).first else { return nil }
            return (race, try await RaceRepository.qualifiers(of: race.raceID, in: db))
        }
        let qualifierIDs: Set<String>
        if let (race, qualifiers) = race, race.status == .raceRunning {
            qualifierIDs = Set(qualifiers.map(\.agentVersionID))
            model.tiles.qualifiers = Format.count(Int64(qualifiers.count))
            model.tiles.qualifiersNote = "racing in race \(race.raceNumber)"
        } else {
            let candidates = try await site.queries.eligibleScores(suiteID: suite.suiteID)
                .map { QualifyingCandidate(agentVersionID: $0.agentVersionID, finalScore: $0.finalScore) }
            let incumbent = top.map { Incumbent(agentVersionID: $0.agentVersionID, score: $0.score, topSince: SiteContext.date($0.topAt)) }
            let projected = site.settings.policy.qualification.qualify(candidates: candidates, incumbent: incumbent)
            qualifierIDs = Set(projected.qualifiers.map(\.agentVersionID))
            model.tiles.qualifiers = Format.count(Int64(projected.qualifiers.count))
            model.tiles.qualifiersNote = projected.qualifyingThreshold.map { "would qualify now (score ≥ \(Format.score($0)))" }
                ?? "no eligible agent yet"
        }

        // Tiles.
        if let top, let status = TopView.status(top, now: now, policy: site.settings.policy) {
            model.tiles.hasTop = true
            model.tiles.topName = "\(top.agentName) v\(top.versionNumber)"
            model.tiles.topHref = Links.agent(top.agentVersionID)
            model.tiles.topScore = Format.score(top.score)
            model.tiles.emissionWeight = Format.percent(status.emissionWeight)
            model.tiles.threshold = Format.score(status.challenge.threshold)
            model.tiles.thresholdNote = "top score + \(Format.score(status.challenge.margin)), decaying over \(Format.span(seconds: status.challenge.daysAsTop * 86_400, coarse: true)) as top"
        }
        let closesAt: Int64
        if let (race, _) = race {
            model.tiles.raceHref = Links.race(race.raceID)
            model.tiles.racePhase = race.status == .raceRunning ? "Race \(race.raceNumber) running" : "Race \(race.raceNumber): qualifying"
            closesAt = race.status == .qualifyingOpen
                ? race.qualifyingClosesAt : SiteContext.millis(site.schedule.nextClose(after: SiteContext.date(now)))
        } else {
            closesAt = SiteContext.millis(site.schedule.nextClose(after: SiteContext.date(now)))
        }
        model.tiles.closesAtMillis = closesAt
        model.tiles.closesISO = Format.iso(closesAt)
        model.tiles.closesText = Format.dateTime(closesAt)
        model.tiles.countdownText = Format.span(seconds: Double(max(0, closesAt - now)) / 1000)
        model.tiles.uniqueMiners = Format.count(board.uniqueMiners)
        model.tiles.submissions24h = Format.count(try await site.queries.submissionCount(since: now - 86_400_000))

        // Rows.
        model.rows = board.entries.map { entry in
            let version = entry.version
            return Row(
                rank: entry.rank, versionID: version.agentVersionID, agentName: version.agentName,
                agentHref: Links.agent(version.agentVersionID), versionNumber: version.versionNumber,
                hotkey: HotkeyView(version.minerHotkey), finalScore: Format.score(version.finalScore),
                raceScore: Format.score(version.raceScore),
                status: VersionStanding.status(version, isTop: top?.agentVersionID == version.agentVersionID,
                                               isQualifier: qualifierIDs.contains(version.agentVersionID)),
                eligible: TimeView(version.eligibleAt, now: now))
        }
        model.hasRows = !model.rows.isEmpty
        let what = byRace ? "finished a race" : "are eligible"
        if search.isEmpty {
            model.countText = "\(Format.count(board.boardTotal)) agent versions \(what)."
            model.emptyText = byRace ? "No agent has a race score yet: race scores appear when a race completes."
                : "No agent is eligible yet: an agent appears here once enough validators have scored it."
        } else {
            model.countText = "\(Format.count(board.matched)) of \(Format.count(board.boardTotal)) agent versions match “\(search)”."
            model.emptyText = "No agent name contains “\(search)” and no hotkey starts with it."
        }

        // Links and paging keep the tab and the search.
        func href(tab race: Bool, page: Int64, search: String) -> String {
            var items: [String] = []
            if race { items.append("tab=race") }
            if !search.isEmpty { items.append("q=" + Links.component(search)) }
            if page > 1 { items.append("page=\(page)") }
            return items.isEmpty ? "/" : "/?" + items.joined(separator: "&")
        }
        model.qualifyingHref = href(tab: false, page: 1, search: search)
        model.raceHref = href(tab: true, page: 1, search: search)
        model.clearHref = href(tab: byRace, page: 1, search: "")
        let pages = max(1, (board.matched + pageSize - 1) / pageSize)
        if pages > 1 || pageNumber > 1 {
            model.pager.show = true
            model.pager.text = "Page \(pageNumber) of \(pages)"
            if pageNumber > 1 { model.pager.previous = href(tab: byRace, page: min(pageNumber - 1, pages), search: search) }
            if pageNumber < pages { model.pager.next = href(tab: byRace, page: pageNumber + 1, search: search) }
        }
        model.apiHref = "/v1/public/leaderboard?score_type=\(byRace ? "race" : "qualifying")&limit=\(pageSize)&offset=\((pageNumber - 1) * pageSize)"
        return model
    }
}
