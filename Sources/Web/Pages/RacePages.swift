import ArenaModel
import Backend
import Store

/// The model of `/races`: the open race and the finished ones.
struct RacesPage: Sendable {
    struct Current: Sendable {
        var href: String
        var number: Int64
        var status: StatusView
        var open: Bool
        var closesAtMillis: Int64
        var closesISO: String
        var closesText: String
        var countdownText: String
        var threshold: String
        var qualifierCount: String
        var problemCount: String
    }

    struct Past: Sendable {
        var href: String
        var number: Int64
        var status: StatusView
        var closedText: String
        var completedText: String
        var winnerHref: String?
        var winnerName: String
        var winnerScore: String
        var qualifierCount: Int
    }

    var layout = Layout(title: "Races", section: .races)
    var closeTime: String
    var current: Current?
    var nextCloseISO: String
    var nextCloseText: String
    var history: [Past]
    var hasHistory: Bool

    static func load(_ site: SiteContext) async throws -> RacesPage {
        let now = site.now()
        let suite = try await site.publicQueries.currentSuite()
        let (open, finished) = try await site.services.database.read { db -> ((RaceRecord, [RaceQualifierRecord])?, [(RaceRecord, [RaceQualifierRecord])]) in
            var open: (RaceRecord, [RaceQualifierRecord])?
            if let suite, let race = try await RaceRepository.races(statuses: [.qualifyingOpen, .raceRunning], suiteID: suite.suiteID,
                                                                    limit: 1, in: db).first {
                open = (race, try await RaceRepository.qualifiers(of: race.raceID, in: db))
            }
            var finished: [(RaceRecord, [RaceQualifierRecord])] = []
            for race in try await RaceRepository.races(statuses: [.raceComplete, .cancelled], limit: 50, in: db) {
                finished.append((race, try await RaceRepository.qualifiers(of: race.raceID, in: db)))
            }
            return (open, finished)
        }
        let nextClose = SiteContext.millis(site.schedule.nextClose(after: SiteContext.date(now)))
        let history = finished.map { race, qualifiers -> Past in
            let winner = qualifiers.first { $0.agentVersionID == race.winnerAgentVersionID }
            return Past(href: Links.race(race.raceID), number: race.raceNumber, status: RacePage.status(race.status),
                        closedText: Format.dateTime(race.qualifyingClosesAt), completedText: Format.dateTime(race.raceCompletedAt),
                        winnerHref: race.winnerAgentVersionID.map(Links.agent),
                        winnerName: winner.map { "\($0.agentName ?? "agent") v\($0.versionNumber)" }
                            ?? (race.status == .cancelled ? "none (cancelled)" : "none"),
                        winnerScore: Format.score(race.winnerScore), qualifierCount: qualifiers.count)
        }
        return RacesPage(
            closeTime: "\(site.settings.qualifyingCloseTime) \(site.settings.qualifyingTimeZone)",
            current: open.map { race, qualifiers in
                Current(href: Links.race(race.raceID), number: race.raceNumber, status: RacePage.status(race.status),
                        open: race.status == .qualifyingOpen, closesAtMillis: race.qualifyingClosesAt,
                        closesISO: Format.iso(race.qualifyingClosesAt), closesText: Format.dateTime(race.qualifyingClosesAt),
                        countdownText: Format.span(seconds: Double(max(0, race.qualifyingClosesAt - now)) / 1000),
                        threshold: Format.score(race.qualifyingThreshold), qualifierCount: String(qualifiers.count),
                        problemCount: race.problemCount > 0 ? String(race.problemCount) : "drawn at close")
            },
            nextCloseISO: Format.iso(nextClose), nextCloseText: Format.dateTime(nextClose), history: history,
            hasHistory: !history.isEmpty)
    }
}

/// The model of `/races/{id}`: the race's facts and its qualifiers (never its hidden problems).
struct RacePage: Sendable {
    struct Qualifier: Sendable {
        var rank: String
        var agentHref: String
        var agentName: String
        var versionNumber: Int
        var hotkey: HotkeyView
        var entry: String
        var qualifyingScore: String
        var raceScore: String
        var status: StatusView
        var isWinner: Bool
    }

    var layout: Layout
    var number: Int64
    var status: StatusView
    var open: Bool
    var closesAtMillis: Int64
    var countdownText: String
    var closesText: String
    var startedText: String
    var completedText: String
    var threshold: String
    var winnerHref: String?
    var winnerName: String
    var winnerScore: String
    var problemCount: String
    var qualifiers: [Qualifier]
    var hasQualifiers: Bool
    var qualifiersEmpty: String

    static func status(_ status: RaceStatus) -> StatusView {
        switch status {
        case .qualifyingOpen: return StatusView("Qualifying", css: "running", hint: "qualifying is open")
        case .raceRunning: return StatusView("Racing", css: "running", hint: "qualifiers are being evaluated on hidden problems")
        case .raceComplete: return StatusView("Complete", css: "success")
        case .cancelled: return StatusView("Cancelled", css: "cancelled", hint: "nobody challenged the top agent")
        }
    }

    static func load(_ site: SiteContext, raceID rawID: String) async throws -> RacePage {
        let found: (RaceRecord, [RaceQualifierRecord])?
        if let id = UUIDText.normalized(rawID) {
            found = try await site.services.database.read { db -> (RaceRecord, [RaceQualifierRecord])? in
                guard let race = try await RaceRepository.race(id, in: db) else { return nil }
                return (race, try await RaceRepository.qualifiers(of: id, in: db))
            }
        } else {
            found = nil
        }
        guard let (race, qualifiers) = found else {
            throw PageNotFound(title: "No such race",
                               message: "There is no race “\(rawID)”. The races page lists the current race and every finished one.")
        }
        let now = site.now()
        let winner = qualifiers.first { $0.agentVersionID == race.winnerAgentVersionID }
        let finished = race.status == .raceComplete || race.status == .cancelled
        let rows = qualifiers.map { q -> Qualifier in
            let outcome: StatusView
            if q.agentVersionID == race.winnerAgentVersionID {
                outcome = StatusView("Winner", css: "top")
            } else if q.eliminatedAt != nil || (finished && q.raceScore == nil && race.status == .raceComplete) {
                outcome = StatusView("Eliminated", css: "eliminated", hint: q.raceScore == nil ? "did not finish (no race score)" : nil)
            } else if q.raceScore != nil {
                outcome = StatusView("Finished", css: "eligible")
            } else {
                outcome = StatusView(race.status == .raceRunning ? "Racing" : "Qualified", css: "qualifier")
            }
            return Qualifier(rank: q.raceRank.map(String.init) ?? Format.none, agentHref: Links.agent(q.agentVersionID),
                             agentName: q.agentName ?? "agent", versionNumber: q.versionNumber,
                             hotkey: HotkeyView(q.minerHotkey ?? ""),
                             entry: q.qualificationType == "INCUMBENT" ? "incumbent (top agent)" : "qualifying score",
                             qualifyingScore: Format.score(q.qualifyingScore), raceScore: Format.score(q.raceScore),
                             status: outcome, isWinner: q.agentVersionID == race.winnerAgentVersionID)
        }
        return RacePage(
            layout: Layout(title: "Race \(race.raceNumber)", section: .races), number: race.raceNumber,
            status: status(race.status), open: race.status == .qualifyingOpen, closesAtMillis: race.qualifyingClosesAt,
            countdownText: Format.span(seconds: Double(max(0, race.qualifyingClosesAt - now)) / 1000),
            closesText: Format.dateTime(race.qualifyingClosesAt), startedText: Format.dateTime(race.raceStartedAt),
            completedText: Format.dateTime(race.raceCompletedAt), threshold: Format.score(race.qualifyingThreshold),
            winnerHref: race.winnerAgentVersionID.map(Links.agent),
            winnerName: winner.map { "\($0.agentName ?? "agent") v\($0.versionNumber)" } ?? (finished ? "none" : "not decided yet"),
            winnerScore: Format.score(race.winnerScore),
            problemCount: race.problemCount > 0 ? String(race.problemCount) : "drawn at close",
            qualifiers: rows, hasQualifiers: !rows.isEmpty,
            qualifiersEmpty: race.status == .qualifyingOpen ? "Qualifiers are decided when qualifying closes." : "No agent qualified.")
    }
}
