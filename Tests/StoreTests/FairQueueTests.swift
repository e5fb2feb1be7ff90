import ArenaModel
import Foundation
import Store
import ShopArenaTesting
import Testing

/// The fair work queue (issue 13) on both stores: a poisoned item ahead of good ones backs off, is parked at
/// the attempt limit with its reason, never starves the items behind it, and resumes when the miner connects a
/// credential; curable failures retry at once, then back off and queue by the time they became ready. Time
/// moves only on the injected clock.
@Suite("Fair work queue")
struct FairQueueTests {
    @Test(arguments: StoreKind.allCases)
    func aPoisonedItemAheadOfGoodOnesBacksOffIsParkedAndResumesWithACredential(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let clock = ManualClock(millis: WorkQueueTests.start)
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(3)
        try await seed.suite(problems: 1)
        let poor = "5PoorMiner-\(UUID().uuidString.prefix(8))"
        try await IdentityRepository(database: db).register(poor, role: .miner, now: clock.nowMillis())
        let poisoned = try await seed.queuedVersion(required: 1, miner: poor, queuedAt: WorkQueueTests.start)
        let good = [try await seed.queuedVersion(required: 1), try await seed.queuedVersion(required: 1)]
        let queue = WorkQueue(database: db, leaseSeconds: 120)  // default policy: 60 s doubling, parked at 3
        let v = validators

        // 1st attempt: the poisoned item is first in line and fails at once for want of a token.
        let first = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
        #expect(first.workItemID == poisoned.workItemID)
        #expect(first.storedInferenceCredential == nil)
        try await fail(queue, first, v[0], RunFailureReasons.noInferenceToken, at: clock.nowMillis())
        var hold = try #require(try await seed.workItem(poisoned.agentVersionID))
        #expect(hold.failedAttempts == 1)
        #expect(hold.retryAt == clock.nowMillis() + 60_000)
        #expect(hold.parkedAt == nil)
        #expect(hold.lastFailureKind == "MINER_CREDENTIAL")
        #expect(hold.lastFailureReason == RunFailureReasons.noInferenceToken)

        // The same validator, at the same instant, gets the good items; nobody gets the poisoned one.
        let a = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
        let b = try #require(try await queue.claim(validator: v[1], serviceVersions: nil, now: clock.nowMillis()))
        #expect([a.workItemID, b.workItemID] == good.map(\.workItemID))
        #expect(try await queue.claim(validator: v[2], serviceVersions: nil, now: clock.nowMillis()) == nil)
        for (run, validator) in [(a, v[0]), (b, v[1])] {
            let done = try await queue.complete(runID: run.evalRunID, validator: validator,
                                                completion: RunCompletion(status: .success, validatorScore: 0.5), now: clock.nowMillis())
            #expect(done.agentVersionBecameEligible)
        }

        // The back-off is honoured to the millisecond.
        clock.advance(seconds: 59.999)
        #expect(try await queue.claim(validator: v[2], serviceVersions: nil, now: clock.nowMillis()) == nil)
        clock.advance(seconds: 0.001)
        let second = try #require(try await queue.claim(validator: v[2], serviceVersions: nil, now: clock.nowMillis()))
        #expect(second.workItemID == poisoned.workItemID)
        try await fail(queue, second, v[2], RunFailureReasons.noInferenceToken, at: clock.nowMillis())
        hold = try #require(try await seed.workItem(poisoned.agentVersionID))
        #expect(hold.failedAttempts == 2)
        #expect(hold.retryAt == clock.nowMillis() + 120_000)

        // 3rd failure: parked with its reason; the version waits (QUEUED), it is not being evaluated.
        clock.advance(seconds: 120)
        let third = try #require(try await queue.claim(validator: v[1], serviceVersions: nil, now: clock.nowMillis()))
        #expect(third.workItemID == poisoned.workItemID)
        #expect(try await seed.versionState(poisoned.agentVersionID) == "RUNNING")
        try await fail(queue, third, v[1], "Chutes token invalid or expired (HTTP 401)", at: clock.nowMillis())
        let parkedAt = clock.nowMillis()
        hold = try #require(try await seed.workItem(poisoned.agentVersionID))
        #expect(hold.failedAttempts == 3)
        #expect(hold.parkedAt == parkedAt)
        #expect(hold.lastFailureReason == "Chutes token invalid or expired (HTTP 401)")
        #expect(hold.lastFailureKind == "MINER_CREDENTIAL")
        #expect(try await seed.versionState(poisoned.agentVersionID) == "QUEUED")

        // Parked: never handed out again, however long anyone waits; newer work flows past it.
        clock.advance(seconds: 10 * 3600)
        for validator in v {
            #expect(try await queue.claim(validator: validator, serviceVersions: nil, now: clock.nowMillis()) == nil)
        }
        let later = try await seed.queuedVersion(required: 1, miner: "miner", queuedAt: clock.nowMillis())
        let next = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
        #expect(next.workItemID == later.workItemID)
        #expect(try await seed.runCount(poisoned.workItemID) == 3)

        // The miner connects a credential: the item is handed out again, with a clean slate.
        clock.advance(seconds: 1)
        let credentials = InferenceCredentials(database: db, box: CredentialBox(keyText: "test-key"))
        #expect(try await credentials.store("fresh-token", forMiner: poor, now: clock.nowMillis()))
        let resumed = try #require(try await queue.claim(validator: v[1], serviceVersions: nil, now: clock.nowMillis()))
        #expect(resumed.workItemID == poisoned.workItemID)
        #expect(resumed.storedInferenceCredential != nil)
        hold = try #require(try await seed.workItem(poisoned.agentVersionID))
        #expect(hold.failedAttempts == 0 && hold.parkedAt == nil && hold.retryAt == nil)
        #expect(try await seed.versionState(poisoned.agentVersionID) == "RUNNING")
        let result = try await queue.complete(runID: resumed.evalRunID, validator: v[1],
                                              completion: RunCompletion(status: .success, validatorScore: 0.7), now: clock.nowMillis())
        #expect(result.agentVersionBecameEligible)
        hold = try #require(try await seed.workItem(poisoned.agentVersionID))
        #expect(hold.isClosed && hold.lastFailureReason == nil && hold.lastFailureKind == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func curableFailuresRetryAtOnceThenBackOffQueueByReadinessAndParkAtTheLimit(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let clock = ManualClock(millis: WorkQueueTests.start)
        let seed = QueueSeed(database: db)
        let v = try await seed.validators(2)
        try await seed.suite(problems: 1)
        let flaky = try await seed.queuedVersion(required: 1)
        let policy = RunRetryPolicy(baseDelaySeconds: 10, maxDelaySeconds: 15, attemptLimit: 4, uncurableAttemptLimit: 2)
        let queue = WorkQueue(database: db, leaseSeconds: 120, retryPolicy: policy)

        // A validator handing the run back counts nothing.
        var run = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
        try await fail(queue, run, v[0], RunFailureReasons.validatorShutDown, at: clock.nowMillis())
        var hold = try #require(try await seed.workItem(flaky.agentVersionID))
        #expect(hold.failedAttempts == 0 && hold.retryAt == nil && hold.lastFailureReason == nil)

        // 1st curable failure: retried at once, in its place.
        run = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
        try await fail(queue, run, v[0], "sandbox crashed", at: clock.nowMillis())
        hold = try #require(try await seed.workItem(flaky.agentVersionID))
        #expect(hold.failedAttempts == 1 && hold.retryAt == nil && hold.lastFailureKind == "CURABLE")
        // 2nd: 10 s back-off.
        run = try #require(try await queue.claim(validator: v[1], serviceVersions: nil, now: clock.nowMillis()))
        #expect(run.workItemID == flaky.workItemID)
        try await fail(queue, run, v[1], "sandbox crashed", at: clock.nowMillis())
        let readyAt = clock.nowMillis() + 10_000
        hold = try #require(try await seed.workItem(flaky.agentVersionID))
        #expect(hold.failedAttempts == 2 && hold.retryAt == readyAt)

        // Ready items queue by the time they became ready: work queued before the back-off ended goes first,
        // work queued after it goes after.
        clock.advance(seconds: 5)
        let before = try await seed.queuedVersion(required: 1, miner: "miner", queuedAt: clock.nowMillis())
        clock.advance(seconds: 10)
        let after = try await seed.queuedVersion(required: 1, miner: "miner", queuedAt: clock.nowMillis())
        var order: [String] = []
        for _ in 0..<3 {
            let claimed = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
            order.append(claimed.workItemID)
            if claimed.workItemID == flaky.workItemID {
                run = claimed
                try await fail(queue, claimed, v[0], "sandbox crashed", at: clock.nowMillis())
            } else {
                _ = try await queue.complete(runID: claimed.evalRunID, validator: v[0],
                                             completion: RunCompletion(status: .success, validatorScore: 0.1), now: clock.nowMillis())
            }
        }
        #expect(order == [before.workItemID, flaky.workItemID, after.workItemID])
        // 3rd: 20 s, capped at 15 s.
        hold = try #require(try await seed.workItem(flaky.agentVersionID))
        #expect(hold.failedAttempts == 3)
        let third = try #require(hold.lastFailureAt)
        #expect(hold.retryAt == third + 15_000)

        // 4th: the attempt limit parks it, whatever the reason.
        clock.advance(seconds: 15)
        run = try #require(try await queue.claim(validator: v[1], serviceVersions: nil, now: clock.nowMillis()))
        try await fail(queue, run, v[1], "the whole run timed out", status: .timedOut, at: clock.nowMillis())
        hold = try #require(try await seed.workItem(flaky.agentVersionID))
        #expect(hold.failedAttempts == 4 && hold.parkedAt == clock.nowMillis())
        clock.advance(seconds: 3600)
        #expect(try await queue.claim(validator: v[1], serviceVersions: nil, now: clock.nowMillis()) == nil)
        // A curable park does not resume on a credential change (that only cures credential failures).
        try await IdentityRepository(database: db).register("miner", role: .miner, now: clock.nowMillis())
        _ = try await InferenceCredentials(database: db, box: CredentialBox(keyText: "k")).store("t", forMiner: "miner", now: clock.nowMillis())
        #expect(try await queue.claim(validator: v[1], serviceVersions: nil, now: clock.nowMillis()) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func anIncludedSuccessClearsTheFailuresAndUnparks(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let clock = ManualClock(millis: WorkQueueTests.start)
        let seed = QueueSeed(database: db)
        let v = try await seed.validators(3)
        try await seed.suite(problems: 1)
        let item = try await seed.queuedVersion(required: 2)
        let queue = WorkQueue(database: db, leaseSeconds: 120, retryPolicy: RunRetryPolicy(attemptLimit: 1))
        let failing = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
        let passing = try #require(try await queue.claim(validator: v[1], serviceVersions: nil, now: clock.nowMillis()))
        try await fail(queue, failing, v[0], "could not fetch the run's code or problems: timeout", at: clock.nowMillis())
        let parked = try #require(try await seed.workItem(item.agentVersionID))
        #expect(parked.failedAttempts == 1 && parked.parkedAt == clock.nowMillis())
        // Parked while v[1] still runs it: the run goes on, and the version stays RUNNING.
        #expect(try await seed.versionState(item.agentVersionID) == "RUNNING")
        #expect(try await queue.claim(validator: v[2], serviceVersions: nil, now: clock.nowMillis()) == nil)
        _ = try await queue.complete(runID: passing.evalRunID, validator: v[1],
                                     completion: RunCompletion(status: .success, validatorScore: 0.3), now: clock.nowMillis())
        let hold = try #require(try await seed.workItem(item.agentVersionID))
        #expect(hold.failedAttempts == 0 && hold.parkedAt == nil && hold.lastFailureReason == nil && hold.includedSuccessCount == 1)
        let next = try #require(try await queue.claim(validator: v[2], serviceVersions: nil, now: clock.nowMillis()))
        #expect(next.workItemID == item.workItemID)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentClaimersNeverTakeAParkedOrBackingOffItem(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let seed = QueueSeed(database: db)
        let validators = try await seed.validators(12)
        try await seed.suite(problems: 1)
        let now = WorkQueueTests.start
        var poisoned: [String] = []
        for index in 0..<4 {
            let item = try await seed.queuedVersion(required: 3)
            try await db.transaction { db in
                if index.isMultiple(of: 2) {
                    try await WorkItems.park(in: db, workItemID: item.workItemID, kind: .permanent, reason: RunFailureReasons.noProblems, now: now)
                } else {
                    try await db.execute("UPDATE work_items SET failed_attempts = 1, retry_at = ? WHERE work_item_id = ?",
                                         [.int(now + 2), .text(item.workItemID)])
                }
            }
            poisoned.append(item.workItemID)
        }
        var good: [String] = []
        for _ in 0..<3 { good.append(try await seed.queuedVersion(required: 3).workItemID) }
        let queue = WorkQueue(database: db, leaseSeconds: 120)
        let claims = try await withThrowingTaskGroup(of: ClaimedRun?.self) { group in
            for validator in validators { group.addTask { try await queue.claim(validator: validator, serviceVersions: nil, now: now + 1) } }
            var out: [ClaimedRun?] = []
            for try await claim in group { out.append(claim) }
            return out
        }
        let granted = claims.compactMap { $0 }
        #expect(granted.count == 9)
        #expect(Set(granted.map(\.workItemID)) == Set(good))
        #expect(granted.allSatisfy { !poisoned.contains($0.workItemID) })
    }

    private func fail(_ queue: WorkQueue, _ run: ClaimedRun, _ validator: String, _ reason: String,
                      status: TerminalStatus = .failed, at now: Int64) async throws {
        let result = try await queue.complete(runID: run.evalRunID, validator: validator,
                                              completion: RunCompletion(status: status, failureReason: reason), now: now)
        #expect(!result.isClosed)
    }
}

extension QueueSeed {
    /// A queued version of `miner`, its work item queued at `queuedAt`.
    @discardableResult
    func queuedVersion(required: Int, miner: String, queuedAt: Int64) async throws
        -> (agentVersionID: String, workItemID: String)
    {
        let agentID = UUID().uuidString.lowercased()
        let versionID = UUID().uuidString.lowercased()
        let itemID = UUID().uuidString.lowercased()
        let suiteID = self.suiteID
        try await database.transaction { db in
            try await db.execute("INSERT INTO agents (agent_id, miner_hotkey, agent_name, created_at) VALUES (?, ?, ?, ?)",
                                 [.text(agentID), .text(miner), .text("agent-" + agentID), .int(queuedAt)])
            try await db.execute(
                """
                INSERT INTO agent_versions (agent_version_id, agent_id, miner_hotkey, version_number, submitted_at, suite_id,
                    code_sha256, code_size, state) VALUES (?, ?, ?, 1, ?, ?, ?, 1, 'QUEUED')
                """, [.text(versionID), .text(agentID), .text(miner), .int(queuedAt), .int(suiteID), .text(String(repeating: "0", count: 64))])
            try await WorkItems.enqueue(in: db, workItemID: itemID, agentVersionID: versionID, suiteID: suiteID, phase: .qualifying,
                                        requiredSuccesses: required, now: queuedAt)
        }
        return (versionID, itemID)
    }

    /// The version's qualifying work item as the public views read it.
    func workItem(_ versionID: String) async throws -> WorkItemRecord? {
        try await PublicQueries(database: database).latestWorkItem(agentVersionID: versionID, phase: .qualifying)
    }

    /// How many runs were ever claimed on a work item.
    func runCount(_ workItemID: String) async throws -> Int64 {
        try await database.read { db in
            try await db.scalarInt("SELECT COUNT(*) FROM evaluation_runs WHERE work_item_id = ?", [.text(workItemID)]) ?? 0
        }
    }
}
