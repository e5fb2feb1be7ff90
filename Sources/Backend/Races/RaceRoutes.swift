import ArenaModel
import Hummingbird
import Store

/// Public race endpoints (`/v1/public/races/current|history|{race_id}`) and the admin ones
/// (`/v1/admin/races/current`, `/{race_id}/diagnostics`, `/close-qualifying`).
public struct RaceRoutes: Sendable {
    public let services: BackendServices
    public let engine: RaceEngine

    public init(services: BackendServices, engine: RaceEngine) {
        self.services = services
        self.engine = engine
    }

    public func registerPublic(on group: RouterGroup<ArenaRequestContext>) {
        let database = services.database
        group.get("current") { _, _ in
            let (race, qualifiers) = try await database.read { db -> (RaceRecord?, [RaceQualifierRecord]) in
                let suite = try await SuiteRepository.activeSuiteID(in: db)
                let race = try await RaceRepository.races(statuses: [.qualifyingOpen, .raceRunning], suiteID: suite, limit: 1, in: db).first
                guard let race else { return (nil, []) }
                return (race, try await RaceRepository.qualifiers(of: race.raceID, in: db))
            }
            var view: JSONValue = .null
            if let race { view = RaceViews.race(race, qualifiers: qualifiers, projectedCompletionAt: try await projection(race)) }
            return JSONResponse(.object([
                ("race", view),
                ("qualifiers", .array(qualifiers.map(RaceViews.qualifier))),
            ]))
        }
        group.get("history") { request, _ in
            let parameters = RequestParameters(request)
            let suiteID = try parameters.optionalInt("suite_id")
            let limit = try parameters.int("limit", default: 20, range: 1...100)
            let offset = try parameters.int("offset", default: 0, range: 0...Int64(Int32.max))
            let finished: [RaceStatus] = [.raceComplete, .cancelled]
            let (total, races) = try await database.read { db -> (Int, [JSONValue]) in
                let total = try await RaceRepository.count(statuses: finished, suiteID: suiteID, in: db)
                var views: [JSONValue] = []
                for race in try await RaceRepository.races(statuses: finished, suiteID: suiteID, limit: Int(limit), offset: Int(offset), in: db) {
                    views.append(RaceViews.race(race, qualifiers: try await RaceRepository.qualifiers(of: race.raceID, in: db)))
                }
                return (total, views)
            }
            return JSONResponse(.object([("total", .int(Int64(total))), ("limit", .int(limit)), ("offset", .int(offset)),
                                         ("races", .array(races))]))
        }
        group.get(":race_id") { _, context in
            let raceID = try RequestParameters.uuid(context, "race_id")
            let found = try await database.read { db -> (RaceRecord, [RaceQualifierRecord])? in
                guard let race = try await RaceRepository.race(raceID, in: db) else { return nil }
                return (race, try await RaceRepository.qualifiers(of: raceID, in: db))
            }
            guard let (race, qualifiers) = found else { throw APIError.notFound("RACE_NOT_FOUND", "race \(raceID) not found") }
            let projected = try await projection(race)
            return JSONResponse(.object([("race", RaceViews.race(race, qualifiers: qualifiers, projectedCompletionAt: projected)),
                                         ("qualifiers", .array(qualifiers.map(RaceViews.qualifier)))]))
        }
    }

    /// When a RACE_RUNNING race's remaining RACE runs should be done at the recent pace (nil for other races, or
    /// when nothing finished yet to measure the pace by).
    func projection(_ race: RaceRecord) async throws -> Int64? {
        guard race.status == .raceRunning else { return nil }
        let estimates = CompletionEstimates(database: services.database)
        let now = services.now()
        return try await estimates.sample(now: now).projectedCompletion(runsNeeded: try await estimates.runsNeeded(raceID: race.raceID),
                                                                         now: now)
    }

    public func registerAdmin(on group: RouterGroup<ArenaRequestContext>) {
        let database = services.database
        let engine = self.engine
        let services = self.services
        group.get("current") { _, _ in
            let races = try await database.read { db -> [JSONValue] in
                var views: [JSONValue] = []
                for race in try await RaceRepository.races(statuses: [.qualifyingOpen, .raceRunning], in: db) {
                    views.append(RaceViews.race(race, qualifiers: try await RaceRepository.qualifiers(of: race.raceID, in: db)))
                }
                return views
            }
            return JSONResponse(.object([("races", .array(races))]))
        }
        group.get(":race_id/diagnostics") { _, context in
            let raceID = try RequestParameters.uuid(context, "race_id")
            let view = try await database.read { db -> JSONValue? in
                guard let race = try await RaceRepository.race(raceID, in: db) else { return nil }
                let items = try await RaceRepository.workItems(raceID: raceID, in: db)
                let qualifiers = try await RaceRepository.qualifiers(of: raceID, in: db)
                var fields = RaceViews.race(race, qualifiers: qualifiers).objectValue ?? []
                fields += [
                    ("incumbent_agent_version_id", race.incumbentAgentVersionID.map(JSONValue.string) ?? .null),
                    ("problem_seed", race.problemSeed.map { .string(String($0)) } ?? .null),
                    ("problem_count", .int(Int64(race.problemCount))),
                    ("qualifiers", .array(qualifiers.map(RaceViews.qualifier))),
                    ("work_items", .array(items.map { item in
                        .object([
                            ("agent_version_id", .string(item.agentVersionID)),
                            ("phase", .string(item.phase)),
                            ("is_closed", .bool(item.isClosed)),
                            ("is_cancelled", .bool(item.isCancelled)),
                            ("included_success_count", .int(item.includedSuccessCount)),
                            ("active_count", .int(item.activeCount)),
                            ("required_successes", .int(item.requiredSuccesses)),
                            ("agent_name", item.agentName.map(JSONValue.string) ?? .null),
                        ])
                    })),
                ]
                return .object(fields)
            }
            guard let view else { throw APIError.notFound("RACE_NOT_FOUND", "race \(raceID) not found") }
            return JSONResponse(view)
        }
        group.post("close-qualifying") { _, context in
            let caller = try context.requireCaller()
            let now = services.now()
            // The audit event is written in the closing's own transaction: both commit or neither does.
            let audit: RaceEngine.AuditWriter = { db, race in
                try await AuditLog.record(in: db, eventID: UUIDText.random(), action: "race.close_qualifying", targetType: "race",
                                          targetID: race.raceID, actorHotkey: caller.hotkey, reason: nil,
                                          details: "{\"status\":\"\(race.status.rawValue)\"}", now: now)
            }
            guard let (race, previous) = try await engine.closeQualifyingNow(now: now, audit: audit) else {
                throw APIError.notFound("RACE_NOT_FOUND", "no race is open for qualifying on the active suite")
            }
            return JSONResponse(.object([
                ("race_id", .string(race.raceID)), ("previous_closes_at", Wire.timestamp(previous)),
                ("new_closes_at", Wire.timestamp(race.qualifyingClosesAt)), ("status", .string(race.status.rawValue)),
            ]))
        }
    }
}
