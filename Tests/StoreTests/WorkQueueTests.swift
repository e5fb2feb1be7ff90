import ArenaModel
import Foundation
import Store
import ShopArenaTesting
import Testing

/// The work queue on both stores: FIFO claims with distinct validators, capacity, leases and the reaper,
/// progress merging, completion and eligibility, concurrency and restarts.
@Suite("Work queue")
struct WorkQueueTests {
    static let start: Int64 = 1_790_000_000_000

    @Test(arguments: StoreKind.allCases)
    func claimsAreFIFOFromDistinctValidatorsAndOneAtATime(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(5)
        try await seed.suite(problems: 2)
        let first = try await seed.queuedVersion(required: 2)
        let second = try await seed.queuedVersion(required: 2)
        let queue = WorkQueue(database: db, leaseSeconds: 120)
        let now = Self.start

        let a = try #require(try await queue.claim(validator: validators[0], serviceVersions: #"{"validator":"sha256:aa"}"#, now: now))
        let b = try #require(try await queue.claim(validator: validators[1], serviceVersions: nil, now: now))
        let c = try #require(try await queue.claim(validator: validators[2], serviceVersions: nil, now: now))
        let d = try #require(try await queue.claim(validator: validators[3], serviceVersions: nil, now: now))
        #expect([a.workItemID, b.workItemID] == [first.workItemID, first.workItemID])
        #expect([c.workItemID, d.workItemID] == [second.workItemID, second.workItemID])
        #expect(a.leaseExpiresAt == now + 120_000)
        #expect(a.phase == .qualifying && a.suiteID == 1)
        #expect(try await queue.claim(validator: validators[4], serviceVersions: nil, now: now) == nil)
        await #expect(throws: WorkQueueError.atCapacity(evalRunID: a.evalRunID)) {
            try await queue.claim(validator: validators[0], serviceVersions: nil, now: now)
        }
        #expect(try await seed.versionState(first.agentVersionID) == "RUNNING")
        let identity = try #require(try await IdentityRepository(database: db).find(validators[0]))
        #expect(identity.lastClaimAt == now)
        #expect(identity.serviceVersions == #"{"validator":"sha256:aa"}"#)

        // A validator that already succeeded on an item never gets it again; a failure frees the slot.
        _ = try await queue.complete(runID: a.evalRunID, validator: validators[0],
                                     completion: RunCompletion(status: .success, validatorScore: 0.5), now: now + 1)
        _ = try await queue.complete(runID: b.evalRunID, validator: validators[1],
                                     completion: RunCompletion(status: .failed, failureReason: "sandbox crashed"), now: now + 1)
        #expect(try await queue.claim(validator: validators[0], serviceVersions: nil, now: now + 2) == nil)
        let again = try #require(try await queue.claim(validator: validators[4], serviceVersions: nil, now: now + 2))
        #expect(again.workItemID == first.workItemID)
    }

    @Test(arguments: StoreKind.allCases)
    func twentyConcurrentClaimersGetDistinctRunsAndNoItemIsOverClaimed(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(20)
        try await seed.suite(problems: 1)
        var items: [String] = []
        for _ in 0..<8 { items.append(try await seed.queuedVersion(required: 2).workItemID) }
        let queue = WorkQueue(database: db, leaseSeconds: 120)
        let claims = try await withThrowingTaskGroup(of: (String, ClaimedRun?).self) { group in
            for validator in validators {
                group.addTask { (validator, try await queue.claim(validator: validator, serviceVersions: nil, now: Self.start)) }
            }
            var out: [(String, ClaimedRun?)] = []
            for try await claim in group { out.append(claim) }
            return out
        }
        let granted = claims.compactMap { $0.1 }
        #expect(granted.count == 16)
        #expect(claims.filter { $0.1 == nil }.count == 4)
        #expect(Set(granted.map(\.evalRunID)).count == 16)
        let perItem = Dictionary(grouping: claims.compactMap { pair in pair.1.map { (pair.0, $0.workItemID) } }, by: \.1)
        #expect(Set(perItem.keys) == Set(items))
        for (_, holders) in perItem {
            #expect(holders.count == 2)
            #expect(Set(holders.map(\.0)).count == holders.count)
        }
        let stored = try await db.read { db in
            try await db.scalarInt("SELECT COUNT(*) FROM evaluation_runs WHERE status = 'CLAIMED'")
        }
        #expect(stored == 16)
    }

    @Test(arguments: StoreKind.allCases)
    func aLapsedLeaseGoesStaleAndAnotherValidatorFinishesTheWork(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(2)
        try await seed.suite(problems: 1)
        let version = try await seed.queuedVersion(required: 1)
        let queue = WorkQueue(database: db, leaseSeconds: 60)
        let now = Self.start

        let first = try #require(try await queue.claim(validator: validators[0], serviceVersions: nil, now: now))
        #expect(try await queue.heartbeat(runID: first.evalRunID, validator: validators[0], serviceVersions: nil, now: now + 30_000)
            == now + 90_000)
        #expect(try await queue.run(first.evalRunID)?.status == .running)
        // Within the lease the item is taken.
        #expect(try await queue.claim(validator: validators[1], serviceVersions: nil, now: now + 60_000) == nil)
        // After it, the slot is free at once, and the reaper marks the run STALE.
        let later = now + 91_000
        #expect(try await queue.reapLapsed(now: later) == 1)
        #expect(try await queue.run(first.evalRunID)?.status == .stale)
        #expect(try await queue.reapLapsed(now: later) == 0)
        let second = try #require(try await queue.claim(validator: validators[1], serviceVersions: nil, now: later))
        #expect(second.workItemID == version.workItemID)
        await #expect(throws: WorkQueueError.leaseExpired(first.evalRunID)) {
            try await queue.heartbeat(runID: first.evalRunID, validator: validators[0], serviceVersions: nil, now: later)
        }
        await #expect(throws: WorkQueueError.leaseExpired(first.evalRunID)) {
            try await queue.complete(runID: first.evalRunID, validator: validators[0],
                                     completion: RunCompletion(status: .success, validatorScore: 0.9), now: later)
        }
        let result = try await queue.complete(runID: second.evalRunID, validator: validators[1],
                                              completion: RunCompletion(status: .success, validatorScore: 0.4), now: later + 1)
        #expect(result.isClosed && result.agentVersionBecameEligible && result.finalScore == 0.4)
        #expect(try await seed.versionState(version.agentVersionID) == "ELIGIBLE")
    }

    @Test(arguments: StoreKind.allCases)
    func aHeartbeatOnALapsedLeaseMarksTheRunStale(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(1)
        try await seed.suite(problems: 1)
        try await seed.queuedVersion(required: 1)
        let queue = WorkQueue(database: db, leaseSeconds: 10)
        let run = try #require(try await queue.claim(validator: validators[0], serviceVersions: nil, now: Self.start))
        await #expect(throws: WorkQueueError.leaseExpired(run.evalRunID)) {
            try await queue.heartbeat(runID: run.evalRunID, validator: validators[0], serviceVersions: nil, now: Self.start + 10_001)
        }
        #expect(try await queue.run(run.evalRunID)?.status == .stale)
    }

    @Test(arguments: StoreKind.allCases)
    func completionAggregatesTheMeanAndSetsTheEmbargo(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(3)
        try await seed.suite(problems: 1)
        let version = try await seed.queuedVersion(required: 2)
        let queue = WorkQueue(database: db, leaseSeconds: 120)
        let now = Self.start  // 2026-09-21 (a Monday) 14:13:20 UTC
        let r1 = try #require(try await queue.claim(validator: validators[0], serviceVersions: nil, now: now))
        let r2 = try #require(try await queue.claim(validator: validators[1], serviceVersions: nil, now: now))
        let components = #"{"success_rate":0.75,"reasoning_quality":0.6,"reasoning_coefficient":0.8}"#
        let first = try await queue.complete(
            runID: r1.evalRunID, validator: validators[0],
            completion: RunCompletion(status: .success, validatorScore: 0.6, reasoningQuality: 0.6, reasoningCoefficient: 0.8,
                                      scoreComponents: components, resultsS3Key: "k1", sandboxMetadata: #"{"exit_code":0}"#),
            now: now + 1000)
        #expect(first == CompletionResult(evalRunID: r1.evalRunID, status: .success, includedSuccessCount: 1, requiredSuccesses: 2,
                                          isClosed: false, agentVersionBecameEligible: false, finalScore: nil))
        await #expect(throws: WorkQueueError.runAlreadyComplete(r1.evalRunID, status: "SUCCESS")) {
            try await queue.complete(runID: r1.evalRunID, validator: validators[0],
                                     completion: RunCompletion(status: .success, validatorScore: 0.6), now: now + 1500)
        }
        await #expect(throws: WorkQueueError.notRunOwner(r2.evalRunID)) {
            try await queue.complete(runID: r2.evalRunID, validator: validators[2],
                                     completion: RunCompletion(status: .success, validatorScore: 0.6), now: now + 1500)
        }
        let second = try await queue.complete(runID: r2.evalRunID, validator: validators[1],
                                               completion: RunCompletion(status: .success, validatorScore: 0.8, reasoningCoefficient: 0.6),
                                               now: now + 2000)
        #expect(second.isClosed && second.agentVersionBecameEligible && second.includedSuccessCount == 2)
        #expect(abs((second.finalScore ?? 0) - 0.7) < 1e-9)
        let row = try #require(try await db.read { db in
            try await db.first("SELECT state, final_score, eligible_at, code_available_at, reasoning_coefficient FROM agent_versions WHERE agent_version_id = ?",
                               [.text(version.agentVersionID)])
        })
        #expect(try row.string("state") == "ELIGIBLE")
        #expect(try row.int("eligible_at") == now + 2000)
        let expected = CodeEmbargo.default.codeAvailableAt(eligibleAt: Date(timeIntervalSince1970: Double(now + 2000) / 1000))
        #expect(try row.int("code_available_at") == Int64(expected.timeIntervalSince1970 * 1000))
        #expect(abs(try row.double("reasoning_coefficient") - 0.7) < 1e-9)
        let stored = try #require(try await db.read { db in
            try await db.first("SELECT is_included, reasoning_quality, score_components, results_s3_key, sandbox_metadata FROM evaluation_runs WHERE eval_run_id = ?",
                               [.text(r1.evalRunID)])
        })
        #expect(try stored.int("is_included") == 1)
        #expect(stored.optionalDouble("reasoning_quality") == 0.6)
        #expect(stored.optionalString("score_components") == components)
        #expect(stored.optionalString("results_s3_key") == "k1")
        #expect(stored.optionalString("sandbox_metadata") == #"{"exit_code":0}"#)
        // The closed item is handed out no more.
        #expect(try await queue.claim(validator: validators[2], serviceVersions: nil, now: now + 3000) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func progressMergesAbsentKeysAndClearsExplicitNulls(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(2)
        let problems = try await seed.suite(problems: 3)
        try await seed.queuedVersion(required: 1)
        let queue = WorkQueue(database: db, leaseSeconds: 120)
        let run = try #require(try await queue.claim(validator: validators[0], serviceVersions: nil, now: Self.start))
        #expect(try await queue.problems(runID: run.evalRunID, validator: validators[0]).map(\.problemID) == problems)

        var full = ProblemProgressPatch(problemID: problems[1], status: "SUCCESS")
        full.score = .set(1.0)
        full.reasoningScore = .set(0.8)
        full.executionTime = .set(12.5)
        full.inferenceTotal = .set(nil)
        try await queue.recordProgress(runID: run.evalRunID, validator: validators[0], updates: [full], now: Self.start + 1)
        var logs = ProblemProgressPatch(problemID: problems[1], status: "SUCCESS")
        logs.logsS3Key = .set("logs/key")
        logs.reasoningScore = .set(nil)
        try await queue.recordProgress(runID: run.evalRunID, validator: validators[0], updates: [logs], now: Self.start + 2)
        let stored = try await queue.progress(runID: run.evalRunID)
        #expect(stored.count == 1)
        #expect(stored.first?.score == 1.0)
        #expect(stored.first?.executionTime == 12.5)
        #expect(stored.first?.reasoningScore == nil)
        #expect(stored.first?.logsS3Key == "logs/key")
        #expect(stored.first?.updatedAt == Self.start + 2)

        let stranger = UUID().uuidString.lowercased()
        await #expect(throws: WorkQueueError.invalidProblemID(stranger)) {
            try await queue.recordProgress(runID: run.evalRunID, validator: validators[0],
                                           updates: [ProblemProgressPatch(problemID: problems[0], status: "RUNNING"),
                                                     ProblemProgressPatch(problemID: stranger, status: "RUNNING")], now: Self.start + 3)
        }
        #expect(try await queue.progress(runID: run.evalRunID).count == 1)  // the batch was refused whole
        await #expect(throws: WorkQueueError.notRunOwner(run.evalRunID)) {
            try await queue.recordProgress(runID: run.evalRunID, validator: validators[1], updates: [], now: Self.start + 3)
        }
        await #expect(throws: WorkQueueError.notRunOwner(run.evalRunID)) {
            try await queue.problems(runID: run.evalRunID, validator: validators[1])
        }
        let missing = UUID().uuidString.lowercased()
        await #expect(throws: WorkQueueError.runNotFound(missing)) {
            try await queue.problems(runID: missing, validator: validators[0])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func uploadsAreOneShotAndRecordTheirObject(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(2)
        let problems = try await seed.suite(problems: 1)
        try await seed.queuedVersion(required: 1)
        let queue = WorkQueue(database: db, leaseSeconds: 120)
        let uploads = UploadRepository(database: db)
        let run = try #require(try await queue.claim(validator: validators[0], serviceVersions: nil, now: Self.start))
        let slot = try await uploads.presign(runID: run.evalRunID, problemID: problems[0], validator: validators[0],
                                             contentLength: 5, contentType: "application/gzip", expiresAt: Self.start + 1000)
        #expect(slot.objectKey.hasPrefix("evaluation-runs/\(run.evalRunID)/\(problems[0])/"))
        #expect(try await uploads.check(slot.token, now: Self.start + 1001) == .failure(.expired))
        #expect(try await uploads.finish(slot.token, sha256: String(repeating: "a", count: 64), size: 4, now: Self.start)
            == .failure(.sizeMismatch(declared: 5, received: 4)))
        guard case .success = try await uploads.finish(slot.token, sha256: String(repeating: "a", count: 64), size: 5, now: Self.start)
        else { Issue.record("the first PUT should be accepted"); return }
        #expect(try await uploads.finish(slot.token, sha256: String(repeating: "a", count: 64), size: 5, now: Self.start)
            == .failure(.alreadyUploaded))
        #expect(try await uploads.object(slot.objectKey)?.sha256 == String(repeating: "a", count: 64))
        #expect(try await uploads.check("nope", now: Self.start) == .failure(.unknownToken))
        await #expect(throws: WorkQueueError.notRunOwner(run.evalRunID)) {
            try await uploads.presign(runID: run.evalRunID, problemID: problems[0], validator: validators[1],
                                      contentLength: 5, contentType: "application/gzip", expiresAt: Self.start + 1000)
        }
        let stranger = UUID().uuidString.lowercased()
        await #expect(throws: WorkQueueError.problemNotFound(stranger)) {
            try await uploads.presign(runID: run.evalRunID, problemID: stranger, validator: validators[0],
                                      contentLength: 5, contentType: "application/gzip", expiresAt: Self.start + 1000)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRestartMidEvaluationLosesNothing(kind: StoreKind) async throws {
        let location = try await ReopenableDatabase.make(kind)
        var db = try await location.open()
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(1)
        let problems = try await seed.suite(problems: 2)
        let version = try await seed.queuedVersion(required: 1)
        let run = try #require(try await WorkQueue(database: db, leaseSeconds: 120)
            .claim(validator: validators[0], serviceVersions: nil, now: Self.start))
        await db.close()

        db = try await location.open()
        let queue = WorkQueue(database: db, leaseSeconds: 120)
        _ = try await queue.heartbeat(runID: run.evalRunID, validator: validators[0], serviceVersions: nil, now: Self.start + 30_000)
        try await queue.recordProgress(runID: run.evalRunID, validator: validators[0],
                                       updates: [ProblemProgressPatch(problemID: problems[0], status: "SUCCESS")], now: Self.start + 31_000)
        await db.close()

        db = try await location.open()
        let result = try await WorkQueue(database: db, leaseSeconds: 120).complete(
            runID: run.evalRunID, validator: validators[0], completion: RunCompletion(status: .success, validatorScore: 0.5),
            now: Self.start + 60_000)
        #expect(result.agentVersionBecameEligible)
        #expect(try await WorkQueue(database: db, leaseSeconds: 120).progress(runID: run.evalRunID).map(\.problemID) == [problems[0]])
        #expect(try await QueueSeed(database: db).versionState(version.agentVersionID) == "ELIGIBLE")
        await db.close()
    }
}

/// A database that can be closed and opened again at the same place (a SQLite file or a PostgreSQL URL).
struct ReopenableDatabase: Sendable {
    let kind: StoreKind
    let location: String

    static func make(_ kind: StoreKind) async throws -> ReopenableDatabase {
        let location: String
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-queue-\(UUID().uuidString)")
            location = folder.appendingPathComponent("arena.sqlite").path
        case .postgres:
            location = try await PostgresTestServer.shared.freshDatabaseURL()
        }
        return ReopenableDatabase(kind: kind, location: location)
    }

    /// Opens (and migrates, a no-op after the first time) the database.
    func open() async throws -> any SQLDatabase {
        let database: any SQLDatabase = switch kind {
        case .sqlite: try SQLiteDatabase(path: location)
        case .postgres: try PostgresDatabase(url: location, maxConnections: 30)
        }
        try await Migrator().migrate(database, now: WorkQueueTests.start)
        return database
    }
}

/// Raw-SQL arena state for queue tests: validators, a suite with problems, queued versions.
struct QueueSeed: Sendable {
    let database: any SQLDatabase
    var suiteID: Int64 = 1

    func validators(_ count: Int) async throws -> [String] {
        var out: [String] = []
        for index in 0..<count {
            let hotkey = "5Validator\(index)-\(UUID().uuidString.prefix(8))"
            try await IdentityRepository(database: database).register(hotkey, role: .validator, now: WorkQueueTests.start)
            out.append(hotkey)
        }
        return out
    }

    @discardableResult
    func suite(problems: Int) async throws -> [String] {
        let ids = (0..<problems).map { _ in UUID().uuidString.lowercased() }
        let suiteID = self.suiteID
        try await database.transaction { db in
            try await db.execute(
                "INSERT INTO suites (suite_id, suite_version, is_active, is_public, problem_count, created_at) VALUES (?, 1, 1, 1, ?, ?)",
                [.int(suiteID), .int(Int64(problems)), .int(WorkQueueTests.start)])
            for (index, id) in ids.enumerated() {
                try await db.execute(
                    "INSERT INTO problems (suite_id, problem_id, position, category, is_hidden, metadata) VALUES (?, ?, ?, 'product', 0, ?)",
                    [.int(suiteID), .text(id), .int(Int64(index)), .text(#"{"problem_id":"\#(id)","query":"q\#(index)"}"#)])
            }
            // A hidden problem that qualifying runs must never see.
            try await db.execute(
                "INSERT INTO problems (suite_id, problem_id, position, category, is_hidden, metadata) VALUES (?, ?, 999, 'product', 1, '{}')",
                [.int(suiteID), .text(UUID().uuidString.lowercased())])
        }
        return ids
    }

    @discardableResult
    func queuedVersion(required: Int) async throws -> (agentVersionID: String, workItemID: String) {
        let agentID = UUID().uuidString.lowercased()
        let versionID = UUID().uuidString.lowercased()
        let itemID = UUID().uuidString.lowercased()
        let suiteID = self.suiteID
        try await database.transaction { db in
            try await db.execute("INSERT INTO agents (agent_id, miner_hotkey, agent_name, created_at) VALUES (?, 'miner', ?, ?)",
                                 [.text(agentID), .text("agent-" + agentID), .int(WorkQueueTests.start)])
            try await db.execute(
                """
                INSERT INTO agent_versions (agent_version_id, agent_id, miner_hotkey, version_number, submitted_at, suite_id,
                    code_sha256, code_size, state) VALUES (?, ?, 'miner', 1, ?, ?, ?, 1, 'QUEUED')
                """, [.text(versionID), .text(agentID), .int(WorkQueueTests.start), .int(suiteID), .text(String(repeating: "0", count: 64))])
            try await WorkItems.enqueue(in: db, workItemID: itemID, agentVersionID: versionID, suiteID: suiteID, phase: .qualifying,
                                        requiredSuccesses: required, now: WorkQueueTests.start)
        }
        return (versionID, itemID)
    }

    func versionState(_ versionID: String) async throws -> String? {
        try await database.read { db in
            try await db.first("SELECT state FROM agent_versions WHERE agent_version_id = ?", [.text(versionID)])?.optionalString("state")
        }
    }
}
