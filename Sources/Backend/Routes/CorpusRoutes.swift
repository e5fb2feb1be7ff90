import ArenaModel
import Corpus
import Hummingbird
import Store

/// The corpus routes: `GET /v1/public/corpus/stats` (figures only: counts by category, verdict, reject reason, agent,
/// phase and dialect; hidden race trajectories appear only as the `withheld_hidden` count) and the admin listing
/// `GET /v1/admin/trajectories` (signed by an admin; every record, hidden ones included, without dialogue content —
/// the record names the stored log by key and sha256).
public struct CorpusRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    var repository: TrajectoryRepository { TrajectoryRepository(database: services.database) }

    /// Registers both groups on the app's router (the admin one behind the admin signature).
    public func register(on router: Router<ArenaRequestContext>) {
        router.group("v1/public/corpus").get("stats") { _, _ in try await stats() }
        router.group("v1/admin").add(middleware: AuthMiddleware(services: services, role: .admin))
            .get("trajectories") { request, _ in try await list(request) }
    }

    func stats() async throws -> JSONResponse {
        JSONResponse(try await repository.stats(publicOnly: true).json)
    }

    func list(_ request: Request) async throws -> JSONResponse {
        let params = RequestParameters(request)
        let (limit, offset) = try AdminRoutes.paging(params)
        var query = TrajectoryQuery()
        query.evalRunID = try params.optionalUUID("eval_run_id")
        query.agentVersionID = try params.optionalUUID("agent_version_id")
        query.problemID = params.query["problem_id"]
        query.accepted = try params.optionalBool("accepted")
        query.category = params.query["category"]?.lowercased()
        if let phase = params.query["phase"] {
            guard EvaluationPhase(rawValue: phase.uppercased()) != nil else {
                throw APIError.invalid(["query", "phase"], "Input should be 'QUALIFYING' or 'RACE'", type: "enum", input: .string(phase))
            }
            query.phase = phase.uppercased()
        }
        if let verdict = params.query["verdict"] {
            guard AgenticVerdict(rawValue: verdict) != nil else {
                throw APIError.invalid(["query", "verdict"], "Input should be 'agentic', 'scripted' or 'no-llm'", type: "enum",
                                       input: .string(verdict))
            }
            query.verdict = verdict
        }
        if let reason = params.query["reject_reason"] {
            guard RejectReason(rawValue: reason) != nil else {
                throw APIError.invalid(["query", "reject_reason"],
                                       "Input should be one of \(RejectReason.allCases.map(\.rawValue).joined(separator: ", "))",
                                       type: "enum", input: .string(reason))
            }
            query.rejectReason = reason
        }
        query.includeHidden = try params.optionalBool("include_hidden") ?? true
        let page = try await repository.list(query, limit: limit, offset: offset)
        return AdminRoutes.page(page.total, limit, offset, "trajectories", page.records.map(\.json))
    }
}
