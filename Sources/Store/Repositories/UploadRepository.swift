import Foundation

/// A presigned upload slot: one PUT of exactly `contentLength` bytes to `token` before `expiresAt`.
public struct UploadSlot: Sendable, Equatable {
    /// The secret token in the upload URL.
    public var token: String
    /// The run the upload belongs to.
    public var evalRunID: String
    /// The problem whose log it is.
    public var problemID: String
    /// The key the object is recorded under once uploaded.
    public var objectKey: String
    /// The exact byte count the PUT must carry.
    public var contentLength: Int64
    /// The declared content type (e.g. `application/gzip`).
    public var contentType: String
    /// When the slot expires, epoch milliseconds.
    public var expiresAt: Int64
    /// When the PUT completed, epoch milliseconds.
    public var completedAt: Int64?
    /// The SHA-256 of the stored bytes, once uploaded.
    public var sha256: String?

    init(row: SQLRow) throws(StoreError) {
        token = try row.string("upload_token")
        evalRunID = try row.string("eval_run_id")
        problemID = try row.string("problem_id")
        objectKey = try row.string("object_key")
        contentLength = try row.int("content_length")
        contentType = try row.string("content_type")
        expiresAt = try row.int("expires_at")
        completedAt = row.optionalInt("completed_at")
        sha256 = row.optionalString("sha256")
    }
}

/// Why an upload PUT was refused.
public enum UploadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No slot has this token.
    case unknownToken
    /// The slot was used already.
    case alreadyUploaded
    /// The slot expired.
    case expired
    /// The body's size differs from the presigned `content_length`.
    case sizeMismatch(declared: Int64, received: Int64)

    /// The refusal in words a validator operator can act on.
    public var description: String {
        switch self {
        case .unknownToken: return "no upload slot with this URL; ask for a new one with POST /v1/validator/uploads/presign"
        case .alreadyUploaded: return "this upload URL was already used; presign a new one"
        case .expired: return "this upload URL has expired; presign a new one"
        case .sizeMismatch(let declared, let received):
            return "the body has \(received) bytes but the presign declared content_length \(declared)"
        }
    }
}

/// Presigned uploads of run logs: slots tied to a run and problem, completed by one PUT whose bytes land in
/// the blob store and whose key is recorded in `objects` (object_key → sha256).
public struct UploadRepository: Sendable {
    /// The database holding slots and objects.
    public let database: any SQLDatabase

    /// Uploads in `database`.
    public init(database: any SQLDatabase) { self.database = database }

    static let columns = "upload_token, eval_run_id, problem_id, object_key, content_length, content_type, expires_at, completed_at, sha256"

    /// Creates a slot for `validator`'s run and one of its problems (checks: run exists, is owned, has the problem).
    public func presign(runID: String, problemID: String, validator: String, contentLength: Int64, contentType: String,
                        expiresAt: Int64) async throws -> UploadSlot {
        let outcome: WorkQueue.Outcome<UploadSlot> = try await database.transaction { db in
            guard let row = try await db.first("SELECT \(RunRecord.columns) FROM evaluation_runs WHERE eval_run_id = ?", [.text(runID)])
            else { return .refused(.runNotFound(runID)) }
            let run = try RunRecord(row: row)
            guard run.validatorHotkey == validator else { return .refused(.notRunOwner(runID)) }
            guard try await WorkQueue.problemIDs(of: run, in: db).contains(problemID) else { return .refused(.problemNotFound(problemID)) }
            let token = Self.randomToken()
            let key = "evaluation-runs/\(runID)/\(problemID)/\(token.prefix(16))" + Self.suffix(for: contentType)
            try await db.execute(
                """
                INSERT INTO uploads (upload_token, eval_run_id, problem_id, object_key, content_length, content_type, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(token), .text(runID), .text(problemID), .text(key), .int(contentLength), .text(contentType), .int(expiresAt)])
            guard let stored = try await db.first("SELECT \(Self.columns) FROM uploads WHERE upload_token = ?", [.text(token)]) else {
                throw StoreError.database(message: "upload slot vanished after insert", sql: "presign")
            }
            return .done(try UploadSlot(row: stored))
        }
        return try outcome.get()
    }

    /// The slot for `token`, or nil.
    public func slot(_ token: String) async throws -> UploadSlot? {
        try await database.read { db in
            try await db.first("SELECT \(Self.columns) FROM uploads WHERE upload_token = ?", [.text(token)]).map(UploadSlot.init(row:))
        }
    }

    /// Checks a slot before its body is read: exists, unused, not expired.
    public func check(_ token: String, now: Int64) async throws -> Result<UploadSlot, UploadError> {
        guard let slot = try await slot(token) else { return .failure(.unknownToken) }
        if slot.completedAt != nil { return .failure(.alreadyUploaded) }
        if slot.expiresAt < now { return .failure(.expired) }
        return .success(slot)
    }

    /// Records the stored blob for a slot (once: a racing second PUT gets `.alreadyUploaded`).
    public func finish(_ token: String, sha256: String, size: Int64, now: Int64) async throws -> Result<UploadSlot, UploadError> {
        try await database.transaction { db in
            guard let row = try await db.first("SELECT \(Self.columns) FROM uploads WHERE upload_token = ?" + db.dialect.forUpdate,
                                               [.text(token)])
            else { return .failure(.unknownToken) }
            let slot = try UploadSlot(row: row)
            if slot.completedAt != nil { return .failure(.alreadyUploaded) }
            if slot.contentLength != size { return .failure(.sizeMismatch(declared: slot.contentLength, received: size)) }
            try await db.execute("UPDATE uploads SET completed_at = ?, sha256 = ? WHERE upload_token = ?",
                                 [.int(now), .text(sha256), .text(token)])
            try await db.execute("DELETE FROM objects WHERE object_key = ?", [.text(slot.objectKey)])
            try await db.execute(
                "INSERT INTO objects (object_key, sha256, size, content_type, created_at) VALUES (?, ?, ?, ?, ?)",
                [.text(slot.objectKey), .text(sha256), .int(size), .text(slot.contentType), .int(now)])
            var done = slot
            done.completedAt = now
            done.sha256 = sha256
            return .success(done)
        }
    }

    /// The sha256 of the blob stored under `objectKey`, or nil.
    public func object(_ objectKey: String) async throws -> (sha256: String, size: Int64, contentType: String)? {
        guard let row = try await database.read({ db in
            try await db.first("SELECT sha256, size, content_type FROM objects WHERE object_key = ?", [.text(objectKey)])
        }) else { return nil }
        return (try row.string("sha256"), try row.int("size"), try row.string("content_type"))
    }

    static func suffix(for contentType: String) -> String {
        switch contentType.lowercased() {
        case "application/gzip", "application/x-gzip": return ".json.gz"
        case "application/json": return ".json"
        default: return ""
        }
    }

    /// 32 random bytes as hex: the upload URL is the capability.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
