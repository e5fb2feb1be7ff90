import ArenaModel
import Hummingbird
import Store

/// The miner routes (oro-api §2, §2.1, §4.1): submit, the miner's agents and versions, the Chutes credential
/// `oro submit` 1.0.x checks first, and for oro-sdk 7.x the per-provider inference credentials
/// (`InferenceAuthRoutes`) and race pinning (`RaceSelectionRoutes`). Every route runs behind
/// `AuthMiddleware(role: .miner)`.
public struct MinerRoutes: Sendable {
    public let services: BackendServices
    public let analyzer: any SubmissionAnalyzer

    public init(services: BackendServices) {
        self.init(services: services, analyzer: PythonAnalyzer(settings: services.settings))
    }

    public init(services: BackendServices, analyzer: any SubmissionAnalyzer) {
        self.services = services
        self.analyzer = analyzer
    }

    public func register(on group: RouterGroup<ArenaRequestContext>) {
        let submission = SubmissionHandler(services: services, analyzer: analyzer)
        group.post("submit") { request, context in
            try await submission.handle(request, caller: context.requireCaller(), context: context)
        }
        group.get("agents") { request, context in
            try await agents(context.requireCaller(), generation: ClientGeneration.of(request))
        }
        group.get("agents/:agent_id/versions") { request, context in
            try await versions(context.requireCaller(), agentID: RequestParameters.uuid(context, "agent_id"),
                               generation: ClientGeneration.of(request))
        }
        group.get("agent-versions/:agent_version_id") { _, context in
            try await status(context.requireCaller(), versionID: RequestParameters.uuid(context, "agent_version_id"))
        }
        group.get("chutes-auth/status") { _, context in try await chutesStatus(context.requireCaller()) }
        group.post("chutes-auth") { request, context in
            try await storeChutesToken(request, caller: context.requireCaller(), context: context)
        }
        InferenceAuthRoutes(services: services).register(on: group)
        RaceSelectionRoutes(services: services).register(on: group)
    }

    /// MinerAgentsResponse: the caller's agents (newest first) with their latest version, and whether the
    /// cooldown allows a submission now.
    func agents(_ caller: Caller, generation: ClientGeneration) async throws -> JSONResponse {
        let now = services.now()
        let agents = try await services.agents.agents(ofMiner: caller.hotkey)
        let until = try await services.agents.cooldownUntil(caller.hotkey, now: now)
        // 7.x's race-selection fields go to newer clients only (1.0.x shapes stay as they were).
        let race = generation.isNewer ? try await MinerRaceFields.load(caller.hotkey, services: services) : nil
        let list: [JSONValue] = agents.map { pair in
            .object([
                ("agent_id", .string(pair.agent.agentID)),
                ("miner_hotkey", .string(pair.agent.minerHotkey)),
                ("agent_name", .string(pair.agent.agentName)),
                ("created_at", .string(Wire.timestamp(pair.agent.createdAt))),
                ("latest_version", pair.latest.map { Self.historyEntry($0, race: race) } ?? .null),
            ])
        }
        return JSONResponse(.object([
            ("agents", .array(list)), ("can_submit", .bool(until == nil)), ("next_allowed_at", Wire.timestamp(until)),
        ] + (race.map(\.responseFields) ?? [])))
    }

    /// list[AgentVersionHistoryEntry], newest first; 404 unless the caller owns the agent.
    func versions(_ caller: Caller, agentID: String, generation: ClientGeneration) async throws -> JSONResponse {
        guard let agent = try await services.agents.agent(agentID), agent.minerHotkey == caller.hotkey else {
            throw APIError.notFound("AGENT_NOT_FOUND", "no agent \(agentID) belongs to hotkey \(caller.hotkey)")
        }
        let versions = try await services.agents.versions(ofAgent: agent.agentID)
        let race = generation.isNewer ? try await MinerRaceFields.load(caller.hotkey, services: services) : nil
        return JSONResponse(.array(versions.map { Self.historyEntry($0, race: race) }))
    }

    /// AgentVersionStatus of one of the caller's versions; another miner's version is reported as absent.
    func status(_ caller: Caller, versionID: String) async throws -> JSONResponse {
        let notFound = APIError.notFound("AGENT_VERSION_NOT_FOUND", "no agent version \(versionID) belongs to hotkey \(caller.hotkey)")
        guard let version = try await services.agents.version(versionID), version.minerHotkey == caller.hotkey else {
            throw notFound
        }
        guard let json = try await AgentVersionStatusView.load(agentVersionID: version.agentVersionID, services: services) else {
            throw notFound
        }
        return JSONResponse(json)
    }

    func chutesStatus(_ caller: Caller) async throws -> JSONResponse {
        let status = try await services.credentials.status(forMiner: caller.hotkey)
        return JSONResponse(.object([("connected", .bool(status.connected)), ("updated_at", Wire.timestamp(status.updatedAt))]))
    }

    /// Stores the miner's Chutes refresh token, encrypted; answers `{}` as the reference does.
    func storeChutesToken(_ request: Request, caller: Caller, context: ArenaRequestContext) async throws -> JSONResponse {
        let body = try await JSONBody.read(request, context: context, limit: 64 << 10)
        let token = try body.string("refresh_token")
        guard !token.isEmpty else {
            throw APIError.invalid(["body", "refresh_token"], "String should have at least 1 character",
                                   type: "string_too_short", input: .string(token))
        }
        try await services.credentials.store(token, forMiner: caller.hotkey, now: services.now())
        return JSONResponse(.object([]))
    }

    /// AgentLatestVersion / AgentVersionHistoryEntry (the same shape), with 7.x's race-selection fields.
    static func historyEntry(_ version: AgentRepository.Version, race: MinerRaceFields?) -> JSONValue {
        .object([
            ("agent_version_id", .string(version.agentVersionID)),
            ("version_number", .int(version.versionNumber)),
            ("submitted_at", .string(Wire.timestamp(version.submittedAt))),
            ("state", .string(version.state)),
            ("eliminated_at", Wire.timestamp(version.eliminatedAt)),
            ("eliminated_in_race_number", version.eliminatedInRaceNumber.map(JSONValue.int) ?? .null),
            ("final_score", version.finalScore.map(JSONValue.double) ?? .null),
        ] + (race?.versionFields(version) ?? []))
    }
}
