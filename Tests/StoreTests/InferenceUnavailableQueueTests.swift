import ArenaModel
import Foundation
import Store
import ShopArenaTesting
import Testing

/// A run the validator completes FAILED with `inference_unavailable` (its own LLM provider failed every call, issue 19)
/// on both stores: it is not counted (no failed attempt, no back-off, never included), its reason is recorded, and
/// the item goes at once to another validator — not back to the one that failed it until the avoidance window ends.
/// Time moves only on the injected clock.
@Suite("Inference unavailable requeue", .serialized)
struct InferenceUnavailableQueueTests {
    @Test(arguments: StoreKind.allCases)
    func aRunFailedByTheValidatorsProviderIsNotCountedAndGoesToAnotherValidator(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let clock = ManualClock(millis: WorkQueueTests.start)
        let seed = QueueSeed(database: db)
        let v = try await seed.validators(2)
        try await seed.suite(problems: 1)
        let first = try await seed.queuedVersion(required: 1)
        let queue = WorkQueue(database: db, leaseSeconds: 120, retryPolicy: RunRetryPolicy(avoidValidatorSeconds: 600))

        let failed = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
        let result = try await queue.complete(
            runID: failed.evalRunID, validator: v[0],
            completion: RunCompletion(status: .failed, failureReason: RunFailureReasons.inferenceUnavailable), now: clock.nowMillis())
        #expect(!result.isClosed)
        #expect(result.includedSuccessCount == 0)
        var item = try #require(try await seed.workItem(first.agentVersionID))
        #expect(item.failedAttempts == 0)
        #expect(item.retryAt == nil)
        #expect(item.parkedAt == nil)
        #expect(item.lastFailureKind == "INFERENCE_UNAVAILABLE")
        #expect(item.lastFailureReason == RunFailureReasons.inferenceUnavailable)
        #expect(item.avoidValidatorHotkey == v[0])
        #expect(item.avoidUntil == clock.nowMillis() + 600_000)
        let run = try await db.read { db in
            try await db.first("SELECT status, failure_reason, is_included, validator_score FROM evaluation_runs WHERE eval_run_id = ?",
                               [.text(failed.evalRunID)])
        }
        #expect(run?.optionalString("status") == "FAILED")
        #expect(run?.optionalString("failure_reason") == RunFailureReasons.inferenceUnavailable)
        #expect(run?.optionalInt("is_included") == 0)
        #expect(run?.optionalDouble("validator_score") == nil)

        // Not the same validator; another one at once, and its SUCCESS alone makes the version eligible.
        #expect(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()) == nil)
        let retried = try #require(try await queue.claim(validator: v[1], serviceVersions: nil, now: clock.nowMillis()))
        #expect(retried.workItemID == first.workItemID)
        let done = try await queue.complete(runID: retried.evalRunID, validator: v[1],
                                            completion: RunCompletion(status: .success, validatorScore: 0.4), now: clock.nowMillis())
        #expect(done.isClosed)
        #expect(done.includedSuccessCount == 1)
        #expect(done.agentVersionBecameEligible)
        #expect(done.finalScore == 0.4)

        // The avoidance is bounded: the validator whose provider failed may take the item again once it ends.
        let second = try await seed.queuedVersion(required: 1)
        let again = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
        #expect(again.workItemID == second.workItemID)
        _ = try await queue.complete(
            runID: again.evalRunID, validator: v[0],
            completion: RunCompletion(status: .failed, failureReason: RunFailureReasons.inferenceUnavailable), now: clock.nowMillis())
        clock.advance(seconds: 599.999)
        #expect(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()) == nil)
        clock.advance(seconds: 0.001)
        let back = try #require(try await queue.claim(validator: v[0], serviceVersions: nil, now: clock.nowMillis()))
        #expect(back.workItemID == second.workItemID)
        item = try #require(try await seed.workItem(second.agentVersionID))
        #expect(item.failedAttempts == 0)
    }
}
