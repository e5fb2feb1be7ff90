import ArenaModel
import Hummingbird
import Store

/// `oro pin` / `oro unpin` (oro-sdk 7.x): `PUT /v1/miner/race-selection {agent_version_id}` locks one of the
/// miner's versions into the next race, `DELETE` returns to auto-pick (the best eligible version). Both answer
/// 204. Refusals: 404 AGENT_VERSION_NOT_FOUND, 403 NOT_VERSION_OWNER, 400 VERSION_NOT_PINNABLE (with `reason`),
/// 409 RACE_LOCKED while the active suite's race is running, 404 NO_SELECTION for an unpin without a pin.
/// The choice takes effect at the next qualifying close (`RaceStanding`).
public struct RaceSelectionRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    var selections: RaceSelections { RaceSelections(database: services.database) }

    public func register(on group: RouterGroup<ArenaRequestContext>) {
        group.put("race-selection") { request, context in try await pin(request, context) }
        group.delete("race-selection") { _, context in try await unpin(context) }
    }

    func pin(_ request: Request, _ context: ArenaRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await JSONBody.read(request, context: context, limit: 16 << 10)
        let versionID = try body.uuid("agent_version_id")
        guard let version = try await services.publicQueries.agentVersion(versionID) else {
            throw APIError.notFound("AGENT_VERSION_NOT_FOUND", "agent version \(versionID) does not exist")
        }
        guard version.minerHotkey == caller.hotkey else {
            throw APIError.forbidden("NOT_VERSION_OWNER", "agent version \(versionID) belongs to another hotkey; pin one of yours")
        }
        let activeSuite = try await services.agents.activeSuiteID()
        try await refuseWhileRaceRuns(activeSuite)
        var refusal = RaceStanding.unpinnable(version, activeSuiteID: activeSuite)
        if refusal == nil, let activeSuite {
            refusal = try await RaceStanding.load(suiteID: activeSuite, database: services.database,
                                                  qualification: services.settings.policy.qualification)
                .pinRefusal(version, activeSuiteID: activeSuite)
        }
        if let reason = refusal {
            throw APIError(.badRequest, code: "VERSION_NOT_PINNABLE",
                           detail: "agent version \(versionID) cannot race: \(Self.explain(reason))",
                           extras: [("reason", .string(reason.rawValue))])
        }
        try await selections.pin(versionID, forMiner: caller.hotkey, now: services.now())
        return Response(status: .noContent)
    }

    func unpin(_ context: ArenaRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try await refuseWhileRaceRuns(try await services.agents.activeSuiteID())
        guard try await selections.clear(forMiner: caller.hotkey) else {
            throw APIError.notFound("NO_SELECTION", "no version is pinned for this hotkey; the next race already auto-picks "
                + "your best eligible version")
        }
        return Response(status: .noContent)
    }

    func refuseWhileRaceRuns(_ activeSuite: Int64?) async throws {
        guard let activeSuite, let race = try await selections.runningRace(suiteID: activeSuite) else { return }
        throw APIError.conflict("RACE_LOCKED", "race \(race.raceNumber) is running; its entrants are fixed until it completes. "
            + "Change your pin after it finishes: it then applies to the next race")
    }

    static func explain(_ reason: RaceStanding.Unpinnable) -> String {
        switch reason {
        case .notEligible: "only ELIGIBLE versions of the active suite with a qualifying score can race"
        case .discarded: "it was discarded by an admin"
        case .eliminated: "it was eliminated in a race"
        case .belowThreshold: "its qualifying score is under the current qualifying threshold"
        }
    }
}

/// The race-selection fields of the miner's agent list (oro-sdk 7.x `MinerAgentsResponse`,
/// `AgentLatestVersion`, `AgentVersionHistoryEntry`), from one standing of the active suite:
/// `racing_*` = the version the miner would race with now (its pin when valid, else its auto-pick, when that
/// qualifies); `selected_*` = its saved pin, even when the pin cannot take effect; per version,
/// `is_selected_for_race` marks the pin, `selection_fallback_reason` why the pin falls back to auto-pick,
/// `is_pinnable` / `pin_disabled_reason` what `PUT /v1/miner/race-selection` would say.
struct MinerRaceFields: Sendable {
    let hotkey: String
    let activeSuiteID: Int64?
    let standing: RaceStanding?
    let pinned: AgentVersionRecord?

    static func load(_ hotkey: String, services: BackendServices) async throws -> MinerRaceFields {
        let suite = try await services.agents.activeSuiteID()
        var standing: RaceStanding?
        if let suite {
            standing = try await RaceStanding.load(suiteID: suite, database: services.database,
                                                   qualification: services.settings.policy.qualification)
        }
        var pinned: AgentVersionRecord?
        if let pin = try await RaceSelections(database: services.database).selection(ofMiner: hotkey) {
            pinned = try await services.publicQueries.agentVersion(pin.agentVersionID)
        }
        return MinerRaceFields(hotkey: hotkey, activeSuiteID: suite, standing: standing, pinned: pinned)
    }

    /// `racing_agent_version_id`, `racing_agent_id`, `selected_agent_version_id`, `selected_agent_id`.
    var responseFields: [(String, JSONValue)] {
        let racing = standing?.racing(ofMiner: hotkey)
        return [
            ("racing_agent_version_id", WireValue.string(racing?.agentVersionID)),
            ("racing_agent_id", WireValue.string(racing?.agentID)),
            ("selected_agent_version_id", WireValue.string(pinned?.agentVersionID)),
            ("selected_agent_id", WireValue.string(pinned?.agentID)),
        ]
    }

    func refusal(_ version: AgentVersionRecord) -> RaceStanding.Unpinnable? {
        standing?.pinRefusal(version, activeSuiteID: activeSuiteID) ?? RaceStanding.unpinnable(version, activeSuiteID: activeSuiteID)
    }

    /// `is_selected_for_race`, `selection_fallback_reason`, `is_pinnable`, `pin_disabled_reason` of one version.
    func versionFields(_ version: AgentVersionRecord) -> [(String, JSONValue)] {
        let disabled = refusal(version)
        let isPinned = pinned?.agentVersionID == version.agentVersionID
        return [
            ("is_selected_for_race", .bool(isPinned)),
            ("selection_fallback_reason", WireValue.string(isPinned ? disabled?.rawValue : nil)),
            ("is_pinnable", .bool(disabled == nil)),
            ("pin_disabled_reason", WireValue.string(disabled?.rawValue)),
        ]
    }
}
