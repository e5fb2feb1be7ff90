import ArenaModel
import Foundation

/// The outcome of activating a suite.
public struct SuiteActivation: Sendable, Equatable {
    /// The suite now active.
    public var suite: SuiteRecord
    /// The suite that was active before (nil when none was).
    public var previousSuiteID: Int64?
    /// Agent versions of the previous suite queued again on this one, best first.
    public var requeuedVersionIDs: [String]
}

/// Problem suites: creating one from a loaded `ProblemSuite`, activating it (exactly one suite is active),
/// and requeueing the best versions of the previous suite so the leaderboard refills on the new one.
public struct SuiteRepository: Sendable {
    /// The database holding suites and problems.
    public let database: any SQLDatabase

    /// Suites in `database`.
    public init(database: any SQLDatabase) { self.database = database }

    static let columns = "suite_id, suite_version, is_active, is_public, source_uri, problem_count, created_at"

    /// Stores `suite` as a new, inactive suite with the next id and version. Each problem row keeps the file's
    /// record as `metadata` (JSON), its category in lower case (the validator's spelling) and its position.
    /// `audit`, when given, writes the action's audit event inside the same transaction (it throwing rolls back
    /// the action), here and in `addHiddenBank` and `activate`.
    public func create(_ suite: ProblemSuite, sourceURI: String?, isPublic: Bool = true, now: Int64,
                       audit: (@Sendable (any SQLExecutor, SuiteRecord) async throws -> Void)? = nil) async throws -> SuiteRecord {
        let rows: [(id: String, category: String, metadata: String)] = suite.problems.map { problem in
            (problem.id, problem.category.rawValue.lowercased(), JSONWriter().string(problem.original))
        }
        return try await database.transaction { db in
            let nextID = (try await db.scalarInt("SELECT COALESCE(MAX(suite_id), 0) + 1 FROM suites") ?? 1)
            let nextVersion = (try await db.scalarInt("SELECT COALESCE(MAX(suite_version), 0) + 1 FROM suites") ?? 1)
            try await db.execute(
                """
                INSERT INTO suites (suite_id, suite_version, is_active, is_public, source_uri, problem_count, created_at)
                VALUES (?, ?, 0, ?, ?, ?, ?)
                """,
                [.int(nextID), .int(nextVersion), .bool(isPublic), .optional(sourceURI), .int(Int64(rows.count)), .int(now)])
            for (position, row) in rows.enumerated() {
                try await db.execute(
                    "INSERT INTO problems (suite_id, problem_id, position, category, is_hidden, metadata) VALUES (?, ?, ?, ?, 0, ?)",
                    [.int(nextID), .text(row.id), .int(Int64(position)), .text(row.category), .text(row.metadata)])
            }
            guard let record = try await Self.find(nextID, in: db) else {
                throw StoreError.database(message: "suite vanished after insert", sql: "create suite")
            }
            try await audit?(db, record)
            return record
        }
    }

    /// Adds `bank` to suite `suiteID` as hidden problems (the race bank): never served by public or miner
    /// routes, drawn per race and shown only to validators holding a RACE run. Problems already in the suite
    /// (visible or hidden) are skipped. Returns how many hidden problems the suite now has, or nil when the
    /// suite does not exist.
    public func addHiddenBank(_ bank: ProblemSuite, to suiteID: Int64,
                              audit: (@Sendable (any SQLExecutor, Int) async throws -> Void)? = nil) async throws -> Int? {
        let rows: [(id: String, category: String, metadata: String)] = bank.problems.map { problem in
            (problem.id, problem.category.rawValue.lowercased(), JSONWriter().string(problem.original))
        }
        return try await database.transaction { db -> Int? in
            guard try await Self.find(suiteID, in: db) != nil else { return nil }
            var position = (try await db.scalarInt("SELECT COALESCE(MAX(position), -1) + 1 FROM problems WHERE suite_id = ?",
                                                   [.int(suiteID)]) ?? 0)
            for row in rows {
                let exists = try await db.scalarInt("SELECT COUNT(*) FROM problems WHERE suite_id = ? AND problem_id = ?",
                                                    [.int(suiteID), .text(row.id)]) ?? 0
                if exists > 0 { continue }
                try await db.execute(
                    "INSERT INTO problems (suite_id, problem_id, position, category, is_hidden, metadata) VALUES (?, ?, ?, ?, 1, ?)",
                    [.int(suiteID), .text(row.id), .int(position), .text(row.category), .text(row.metadata)])
                position += 1
            }
            let count = Int(try await db.scalarInt("SELECT COUNT(*) FROM problems WHERE suite_id = ? AND is_hidden = 1", [.int(suiteID)]) ?? 0)
            try await audit?(db, count)
            return count
        }
    }

    /// The suite with this id, or nil.
    public func find(_ suiteID: Int64) async throws -> SuiteRecord? {
        try await database.read { db in try await Self.find(suiteID, in: db) }
    }

    /// The suite with this id, or nil, inside the caller's transaction or read.
    public static func find(_ suiteID: Int64, in db: any SQLExecutor) async throws -> SuiteRecord? {
        try await db.first("SELECT \(columns) FROM suites WHERE suite_id = ?", [.int(suiteID)]).map(SuiteRecord.init(row:))
    }

    /// The active suite, if any.
    public func active() async throws -> SuiteRecord? {
        try await database.read { db in
            guard let id = try await Self.activeSuiteID(in: db) else { return nil }
            return try await Self.find(id, in: db)
        }
    }

    /// The id of the active suite (the newest one when several are flagged), or nil: the one place that decides
    /// which suite is active, for submissions, races, the admin and the public pages.
    public static func activeSuiteID(in db: any SQLExecutor) async throws -> Int64? {
        try await db.scalarInt("SELECT suite_id FROM suites WHERE is_active = 1 ORDER BY suite_id DESC LIMIT 1")
    }

    /// As `activeSuiteID(in:)` in its own read.
    public func activeSuiteID() async throws -> Int64? {
        try await database.read { db in try await Self.activeSuiteID(in: db) }
    }

    /// All suites, newest first.
    public func list() async throws -> [SuiteRecord] {
        try await database.read { db in
            try await db.query("SELECT \(Self.columns) FROM suites ORDER BY suite_id DESC", []).map(SuiteRecord.init(row:))
        }
    }

    /// Makes `suiteID` the only active suite and queues the `requeueTopN` best eligible, not discarded versions
    /// of the previously active suite on it (QUALIFYING work items needing `requiredSuccesses` runs). A requeued
    /// version moves to the new suite: state QUEUED, its old final score cleared until the new runs close.
    /// Returns nil when the suite does not exist. Activating the active suite requeues nothing.
    public func activate(_ suiteID: Int64, requeueTopN: Int, requiredSuccesses: Int, now: Int64,
                         makeID: @escaping @Sendable () -> String,
                         audit: (@Sendable (any SQLExecutor, SuiteActivation) async throws -> Void)? = nil) async throws -> SuiteActivation? {
        try await database.transaction { db in
            guard try await Self.find(suiteID, in: db) != nil else { return nil }
            let previous = try await db.first("SELECT suite_id FROM suites WHERE is_active = 1 AND suite_id <> ? ORDER BY suite_id DESC LIMIT 1",
                                              [.int(suiteID)])?.int("suite_id")
            try await db.execute("UPDATE suites SET is_active = CASE WHEN suite_id = ? THEN 1 ELSE 0 END", [.int(suiteID)])
            var requeued: [String] = []
            if let previous, requeueTopN > 0 {
                let rows = try await db.query(
                    """
                    SELECT agent_version_id FROM agent_versions
                    WHERE suite_id = ? AND state = 'ELIGIBLE' AND is_discarded = 0 AND final_score IS NOT NULL
                    ORDER BY final_score DESC, eligible_at, submitted_at LIMIT ?
                    """,
                    [.int(previous), .int(Int64(requeueTopN))])
                for row in rows {
                    let versionID = try row.string("agent_version_id")
                    try await db.execute(
                        "UPDATE agent_versions SET suite_id = ?, state = 'QUEUED', final_score = NULL, eligible_at = NULL WHERE agent_version_id = ?",
                        [.int(suiteID), .text(versionID)])
                    try await WorkItems.enqueue(in: db, workItemID: makeID(), agentVersionID: versionID, suiteID: suiteID,
                                                phase: .qualifying, requiredSuccesses: requiredSuccesses, now: now)
                    requeued.append(versionID)
                }
            }
            guard let record = try await Self.find(suiteID, in: db) else { return nil }
            let activation = SuiteActivation(suite: record, previousSuiteID: previous, requeuedVersionIDs: requeued)
            try await audit?(db, activation)
            return activation
        }
    }
}

/// Why a suite file could not be loaded for `suites` creation.
public enum SuiteSourceError: Error, Sendable, CustomStringConvertible {
    /// The URI is neither a local path nor a `file://` URL.
    case unsupportedURI(String)
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is neither ORO suite JSON nor ShoppingBench JSONL.
    case invalid(String)

    /// The failure in words an operator can act on.
    public var description: String {
        switch self {
        case .unsupportedURI(let uri): return "unsupported problem_suite_uri '\(uri)': give a local file path or a file:// URL"
        case .unreadable(let path, let reason): return "cannot read suite file \(path): \(reason)"
        case .invalid(let reason): return "invalid suite file: \(reason)"
        }
    }
}

extension SuiteRepository {
    /// Loads a problem suite from a local path or `file://` URL (ORO suite JSON or ShoppingBench JSONL).
    public static func load(uri: String) throws -> ProblemSuite {
        let path: String
        if uri.hasPrefix("file://") {
            guard let url = URL(string: uri), url.isFileURL else { throw SuiteSourceError.unsupportedURI(uri) }
            path = url.path
        } else if uri.contains("://") {
            throw SuiteSourceError.unsupportedURI(uri)
        } else {
            path = uri
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SuiteSourceError.unreadable(path: path, reason: error.localizedDescription)
        }
        let result = Result { () throws(ProblemSuiteError) -> ProblemSuite in
            try ProblemSuite(text: text, fileName: (path as NSString).lastPathComponent)
        }
        switch result {
        case .success(let suite): return suite
        case .failure(let error): throw SuiteSourceError.invalid(error.description)
        }
    }
}
