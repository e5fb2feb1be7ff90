import Foundation
import Store
import ShopArenaTesting
import Testing

/// `PublicQueries` on both stores: ranking and its tie-break, hidden problems, the current top and which blobs
/// are public.
@Suite("Public queries")
struct PublicQueriesTests {
    static let now: Int64 = 1_790_000_000_000

    /// Inserts an agent with one version; returns the version id.
    static func version(_ db: any SQLExecutor, miner: String, suite: Int64 = 1, state: String = "ELIGIBLE",
                        score: Double?, submittedAt: Int64, discarded: Bool = false, sha: String = "aa",
                        codeAvailableAt: Int64? = nil) async throws -> String {
        let agent = UUID().uuidString.lowercased(), version = UUID().uuidString.lowercased()
        try await db.execute("INSERT INTO agents (agent_id, miner_hotkey, agent_name, created_at) VALUES (?, ?, ?, ?)",
                             [.text(agent), .text(miner), .text("n-" + agent), .int(now)])
        try await db.execute(
            """
            INSERT INTO agent_versions (agent_version_id, agent_id, miner_hotkey, version_number, submitted_at, suite_id,
                code_sha256, code_size, state, final_score, is_discarded, code_available_at) VALUES (?, ?, ?, 1, ?, ?, ?, 1, ?, ?, ?, ?)
            """,
            [.text(version), .text(agent), .text(miner), .int(submittedAt), .int(suite), .text(sha), .text(state),
             .optional(score), .bool(discarded), .optional(codeAvailableAt)])
        return version
    }

    @Test(arguments: StoreKind.allCases)
    func leaderboardRanksByScoreThenSubmission(kind: StoreKind) async throws {
        let database = try await TestDatabases.make(kind)
        let ids = try await database.transaction { db in
            let late = try await Self.version(db, miner: "m1", score: 0.5, submittedAt: Self.now + 2)
            let early = try await Self.version(db, miner: "m2", score: 0.5, submittedAt: Self.now + 1)
            let best = try await Self.version(db, miner: "m1", score: 0.6, submittedAt: Self.now + 3)
            _ = try await Self.version(db, miner: "m3", score: 0.9, submittedAt: Self.now, discarded: true)
            _ = try await Self.version(db, miner: "m3", state: "QUEUED", score: nil, submittedAt: Self.now)
            _ = try await Self.version(db, miner: "m3", suite: 2, score: 0.95, submittedAt: Self.now)
            return [best, early, late]
        }
        let queries = PublicQueries(database: database)
        let board = try await queries.leaderboard(suiteID: 1, limit: 10, offset: 0)
        #expect(board.total == 3)
        #expect(board.uniqueMiners == 2)
        #expect(board.entries.map(\.agentVersionID) == ids)
        let page = try await queries.leaderboard(suiteID: 1, limit: 1, offset: 2)
        #expect(page.entries.map(\.agentVersionID) == [ids[2]])
        #expect(page.total == 3)
        await database.close()
    }

    @Test(arguments: StoreKind.allCases)
    func hiddenProblemsAreNeverListedAndTopIsTheOpenRow(kind: StoreKind) async throws {
        let database = try await TestDatabases.make(kind)
        let version = try await database.transaction { db in
            try await db.execute("INSERT INTO suites (suite_id, suite_version, is_active, is_public, problem_count, created_at) VALUES (1, 1, 1, 1, 2, ?)",
                                 [.int(Self.now)])
            for (index, hidden) in [false, true, false].enumerated() {
                try await db.execute("INSERT INTO problems (suite_id, problem_id, position, is_hidden, metadata) VALUES (1, ?, ?, ?, '{}')",
                                     [.text("p\(index)"), .int(Int64(index)), .bool(hidden)])
            }
            let version = try await Self.version(db, miner: "m", score: 0.7, submittedAt: Self.now)
            try await db.execute("INSERT INTO top_history (suite_id, agent_version_id, score, top_at, ended_at) VALUES (1, ?, 0.6, ?, ?)",
                                 [.text(version), .int(Self.now - 10), .int(Self.now - 5)])
            try await db.execute("INSERT INTO top_history (suite_id, agent_version_id, score, top_at, ended_at) VALUES (1, ?, 0.7, ?, NULL)",
                                 [.text(version), .int(Self.now - 5)])
            return version
        }
        let queries = PublicQueries(database: database)
        #expect(try await queries.visibleProblems(suiteID: 1).map(\.problemID) == ["p0", "p2"])
        #expect(try await queries.isHiddenProblem(suiteID: 1, problemID: "p1"))
        #expect(try await !queries.isHiddenProblem(suiteID: 1, problemID: "p0"))
        let top = try await queries.currentTop(suiteID: 1)
        #expect(top?.agentVersionID == version && top?.score == 0.7 && top?.isCurrent == true)
        #expect(try await queries.topHistory(suiteID: 1).map(\.score) == [0.7, 0.6])
        #expect(try await queries.currentSuite()?.suiteID == 1)
        await database.close()
    }

    @Test(arguments: StoreKind.allCases)
    func blobsArePublicOnlyWhenReleasedOrHarmless(kind: StoreKind) async throws {
        let database = try await TestDatabases.make(kind)
        let code = String(repeating: "c", count: 64), embargoed = String(repeating: "e", count: 64)
        let log = String(repeating: "1", count: 64), hiddenLog = String(repeating: "2", count: 64)
        let raceBundle = String(repeating: "3", count: 64)
        try await database.transaction { db in
            _ = try await Self.version(db, miner: "m", score: 0.5, submittedAt: Self.now, sha: code, codeAvailableAt: Self.now)
            _ = try await Self.version(db, miner: "m", score: 0.5, submittedAt: Self.now, sha: embargoed, codeAvailableAt: Self.now + 1)
            try await db.execute("INSERT INTO problems (suite_id, problem_id, position, is_hidden, metadata) VALUES (1, 'h', 0, 1, '{}')")
            try await db.execute(
                """
                INSERT INTO evaluation_runs (eval_run_id, work_item_id, agent_version_id, suite_id, validator_hotkey, status, phase,
                    claimed_at, lease_expires_at, results_s3_key) VALUES ('r', 'w', 'v', 1, 'val', 'SUCCESS', 'RACE', 0, 0, 'race-bundle')
                """)
            try await db.execute("INSERT INTO run_problems (eval_run_id, problem_id, status, logs_s3_key, updated_at) VALUES ('r', 'h', 'SUCCESS', 'hidden-log', 0)")
            for (key, sha) in [("log", log), ("hidden-log", hiddenLog), ("race-bundle", raceBundle)] {
                try await db.execute("INSERT INTO objects (object_key, sha256, size, content_type, created_at) VALUES (?, ?, 1, 'x', 0)",
                                     [.text(key), .text(sha)])
            }
        }
        let queries = PublicQueries(database: database)
        #expect(try await queries.isPublicBlob(sha256: code, now: Self.now))
        #expect(try await !queries.isPublicBlob(sha256: embargoed, now: Self.now))
        #expect(try await queries.isPublicBlob(sha256: embargoed, now: Self.now + 1))
        #expect(try await queries.isPublicBlob(sha256: log, now: Self.now))
        #expect(try await !queries.isPublicBlob(sha256: hiddenLog, now: Self.now))
        #expect(try await !queries.isPublicBlob(sha256: raceBundle, now: Self.now))
        #expect(try await queries.objectSHA256(key: "log") == log)
        #expect(try await queries.problemLogsKey(evalRunID: "r", problemID: "h") == "hidden-log")
        await database.close()
    }
}
