import ArenaModel
import Hummingbird
import Store

/// `POST /v1/public/artifacts/download-url` and the download itself, `GET /v1/public/blobs/{sha256}`.
///
/// Download URLs name the blob by its sha256 and need no signature: a blob is served only while it is
/// public — the code of a released agent version, or a stored log object that reveals no hidden problem —
/// so the URL grants nothing the caller could not ask for again. `expires_at` tells clients to ask again
/// rather than keep URLs.
struct PublicArtifacts: Sendable {
    let services: BackendServices

    var queries: PublicQueries { PublicQueries(database: services.database) }

    /// How long a returned URL is advertised as valid.
    static let urlLifetimeMillis: Int64 = 3_600_000

    static let artifactTypes: Set<String> = ["AGENT_CODE", "EVAL_LOGS_BUNDLE", "EVAL_PROBLEM_LOGS", "REASONING_DETAILS"]

    func downloadURL(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let body = try await JSONBody.read(request, context: context, limit: 16 << 10)
        let type = try body.string("artifact_type")
        let versionID = try body.uuid("agent_version_id")
        let runID = try optionalUUID(body, "eval_run_id")
        let problemID = try optionalUUID(body, "problem_id")
        guard Self.artifactTypes.contains(type) else {
            throw APIError.badRequest("INVALID_ARTIFACT_TYPE",
                                      "artifact_type must be one of \(Self.artifactTypes.sorted().joined(separator: ", "))")
        }
        guard let version = try await queries.agentVersion(versionID) else {
            throw APIError.notFound("AGENT_VERSION_NOT_FOUND", "agent version \(versionID) does not exist")
        }
        let now = services.now()
        let sha: String
        switch type {
        case "AGENT_CODE":
            guard version.isReleased(now: now) else {
                throw APIError.notFound("ARTIFACT_NOT_RELEASED", PublicRoutes.embargoMessage(version))
            }
            sha = version.codeSHA256
        case "EVAL_LOGS_BUNDLE":
            let run = try await requireRun(runID, of: version)
            guard run.phase != EvaluationPhase.race.rawValue else {
                throw Self.notFound("race logs are not public: they would reveal hidden problems")
            }
            sha = try await objectSHA(run.resultsKey, what: "run \(run.evalRunID) has no logs bundle")
        case "EVAL_PROBLEM_LOGS":
            let run = try await requireRun(runID, of: version)
            guard let problemID else {
                throw APIError.badRequest("MISSING_PARAMETER", "problem_id is required for EVAL_PROBLEM_LOGS")
            }
            guard try await !queries.isHiddenProblem(suiteID: run.suiteID, problemID: problemID) else {
                throw Self.notFound("logs of hidden problems are not public")
            }
            let key = try await queries.problemLogsKey(evalRunID: run.evalRunID, problemID: problemID)
            sha = try await objectSHA(key, what: "run \(run.evalRunID) has no logs for problem \(problemID)")
        default:
            throw Self.notFound("REASONING_DETAILS are not kept by this arena")
        }
        return JSONResponse(.object([
            ("download_url", .string(Self.url(base: services.settings.publicBaseURL, sha256: sha))),
            ("expires_at", .string(Wire.timestamp(now + Self.urlLifetimeMillis))),
        ]))
    }

    /// Serves a public blob's bytes; 404 ARTIFACT_NOT_FOUND for anything not (or not yet) public.
    func blob(_ context: ArenaRequestContext) async throws -> Response {
        let sha = (context.parameters.get("sha256") ?? "").lowercased()
        guard SHA256Hex.isValid(sha), try await queries.isPublicBlob(sha256: sha, now: services.now()),
              let bytes = try await services.blobs.get(sha)
        else { throw Self.notFound("no public artifact \(sha)") }
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func url(base: String, sha256: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/v1/public/blobs/" + sha256
    }

    static func notFound(_ detail: String) -> APIError { .notFound("ARTIFACT_NOT_FOUND", detail) }

    func requireRun(_ runID: String?, of version: AgentVersionRecord) async throws -> EvaluationRunRecord {
        guard let runID else { throw APIError.badRequest("MISSING_PARAMETER", "eval_run_id is required for run logs") }
        guard let run = try await queries.run(runID), run.agentVersionID == version.agentVersionID else {
            throw APIError.notFound("EVAL_RUN_NOT_FOUND",
                                    "evaluation run \(runID) does not exist for agent version \(version.agentVersionID)")
        }
        return run
    }

    func objectSHA(_ key: String?, what: String) async throws -> String {
        guard let key, let sha = try await queries.objectSHA256(key: key) else { throw Self.notFound(what) }
        return sha
    }

    func optionalUUID(_ body: JSONBody, _ key: String) throws -> String? {
        guard let text = try body.optionalString(key) else { return nil }
        guard let id = UUIDText.normalized(text) else {
            throw APIError.invalid(["body", key], "Input should be a valid UUID", type: "uuid_parsing", input: .string(text))
        }
        return id
    }
}
