import ArenaModel
import Hummingbird
import Store

/// Unsigned capability routes on the root router (the URL's token is the permission):
/// - `PUT /v1/uploads/{token}`: the target of a presigned upload; exactly one body of the declared size, stored in
///   the blob store and recorded as an object (`results_s3_key` → sha256). The bytes are opaque: the backend never
///   decompresses an upload (`Content-Encoding: gzip` included), so a gzip bomb costs what it weighs compressed,
///   bounded by `maxUploadBytes` at presign and by the declared length while the body is read; blobs are served
///   back as `application/octet-stream` without `Content-Encoding`, so no HTTP client inflates them on the way
///   either. Whoever inflates a log (a reader of the download) must bound the inflated size itself.
/// - `GET /v1/code/{eval_run_id}/{token}/agent.py`: a claimed run's agent file, while the run is active.
public struct UploadRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    public func register(on router: Router<ArenaRequestContext>) {
        router.put("v1/uploads/:token") { request, context in try await upload(request, context) }
        router.get("v1/code/:run/:token/agent.py") { _, context in try await code(context) }
    }

    func upload(_ request: Request, _ context: ArenaRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let uploads = services.uploads
        let slot: UploadSlot
        switch try await uploads.check(token, now: services.now()) {
        case .failure(let error): throw Self.apiError(error)
        case .success(let found): slot = found
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Int(slot.contentLength))
        } catch {
            throw Self.apiError(.sizeMismatch(declared: slot.contentLength, received: slot.contentLength + 1))
        }
        let size = Int64(buffer.readableBytes)
        if size != slot.contentLength { throw Self.apiError(.sizeMismatch(declared: slot.contentLength, received: size)) }
        let sha = try await services.blobs.put(Array(buffer.readableBytesView))
        switch try await uploads.finish(token, sha256: sha, size: size, now: services.now()) {
        case .failure(let error): throw Self.apiError(error)
        case .success:
            return Response(status: .ok, headers: [.eTag: "\"\(sha)\""])
        }
    }

    func code(_ context: ArenaRequestContext) async throws -> Response {
        let runText = context.parameters.get("run") ?? ""
        let token = context.parameters.get("token") ?? ""
        let notFound = APIError.notFound("ARTIFACT_NOT_FOUND", "no agent code at this URL")
        guard let runID = UUIDText.normalized(runText),
              RunCapabilities(secret: services.settings.credentialKey).isValidCodeToken(token, runID: runID),
              let (run, sha) = try await services.workQueue.codeBlob(runID: runID)
        else { throw notFound }
        guard run.status.isActive, run.leaseExpiresAt >= services.now() else {
            throw APIError(.gone, code: "RUN_NOT_ACTIVE",
                           detail: "the code URL of run \(runID) is only valid while the run is active (it is \(run.status.rawValue))")
        }
        guard let bytes = try await services.blobs.get(sha) else { throw notFound }
        return Response(status: .ok, headers: [.contentType: "text/x-python; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func apiError(_ error: UploadError) -> APIError {
        switch error {
        case .unknownToken: return APIError.notFound("UPLOAD_NOT_FOUND", error.description)
        case .alreadyUploaded: return APIError.conflict("UPLOAD_ALREADY_COMPLETE", error.description)
        case .expired: return APIError(.gone, code: "UPLOAD_EXPIRED", detail: error.description)
        case .sizeMismatch: return APIError.badRequest("CONTENT_LENGTH_MISMATCH", error.description)
        }
    }
}
