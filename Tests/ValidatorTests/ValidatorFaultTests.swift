import ArenaClient
import ArenaModel
import AsyncHTTPClient
import Backend
import Foundation
import Judge
import LLM
import Logging
import ServiceLifecycle
import struct Store.SystemClock
import Testing
import Validator
import ShopArenaTesting

/// The validator loop under faults, against a real backend over HTTP: a validator that dies mid-run, and a
/// judge upstream that fails.
@Suite("Validator faults", .serialized)
struct ValidatorFaultTests {
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    @Test func aValidatorKilledMidRunGoesStaleAndAnotherCompletesTheWork() async throws {
        // The backend's leases run on a manual clock and the test drives the reaper's passes: A's lease lapses when
        // the test moves the clock past it — not after seconds of real time — and nothing lapses by itself on a
        // loaded machine (B's heartbeats can arrive late without its own run going STALE).
        let clock = ManualClock(millis: SystemClock().nowMillis())
        let harness = try await ValidatorHarness.make(problems: 4, required: 1, leaseSeconds: 120, clock: clock)
        let group = harness.serviceGroup(logger: Self.logger, runsReaper: false)
        let reaper = LeaseReaper(services: harness.services, logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            // Validator A claims, then "dies": no heartbeat, no progress, no complete.
            let dead = try await harness.manualValidator(http: .shared)
            let claimed = try await #require(try await ValidatorHarness.waitUntilClaimed(dead))
            #expect(claimed.agentVersionID == harness.agentVersionID)
            // While A's lease holds, nobody else gets the work and a reaper pass leaves A's run alone.
            let other = try await harness.manualValidator(http: .shared)
            #expect(try await other.claim(serviceVersions: [:]) == nil)
            clock.advance(seconds: 119)
            #expect(try await reaper.reapOnce(now: clock.nowMillis()) == 0)
            // Past the lease: the next pass marks A's run STALE.
            clock.advance(seconds: 2)
            #expect(try await reaper.reapOnce(now: clock.nowMillis()) == 1)
            // Validator B gets the work and completes it (one run, then its loop returns).
            let alive = try await harness.validator(logger: Self.logger)
            await alive.loop()
            #expect(try await harness.versionState().state == "ELIGIBLE")
            let statuses = try await harness.runStatuses()
            #expect(statuses.map(\.status) == ["STALE", "SUCCESS"])
            // A's late complete is refused: its run is no longer its own.
            do {
                _ = try await dead.complete(run: claimed.evalRunID, body: .object([("terminal_status", "SUCCESS"), ("validator_score", 1.0)]))
                Issue.record("a stale run was completed")
            } catch {
                #expect((error as? BackendClientError)?.isLeaseLost == true, "\(error)")
            }
            await group.triggerGracefulShutdown()
        }
    }

    @Test func aFailingJudgeFailsTheRunWithItsReasonAndTheWorkIsDoneLater() async throws {
        let harness = try await ValidatorHarness.make(problems: 4, required: 1)
        let group = harness.serviceGroup(logger: Self.logger)
        let broken = try await FaultyChatServer.start(fallback: .status(500, "judge upstream down"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let failingJudge = LLMRubricJudge(configuration: LLMRubricJudgeConfiguration(
                baseURL: broken.baseURL, models: ["judge-a"], timeout: .seconds(5), maxAttempts: 2,
                backoffBase: .milliseconds(10), backoffCap: .milliseconds(20)))
            let first = try await harness.validator(judge: failingJudge, logger: Self.logger)
            await first.loop()  // one run, then it stops (maxRuns 1)
            let afterFirst = try await harness.runStatuses()
            #expect(afterFirst.count == 1)
            #expect(afterFirst.first?.status == "FAILED")
            #expect(afterFirst.first?.reason?.contains("judge") == true, "reason: \(afterFirst.first?.reason ?? "-")")
            #expect(try await harness.versionState().state != "ELIGIBLE")
            // The work item was requeued: a validator with a working judge completes it.
            let second = try await harness.validator(logger: Self.logger)
            await second.loop()
            #expect(try await harness.runStatuses().map(\.status) == ["FAILED", "SUCCESS"])
            #expect(try await harness.versionState().state == "ELIGIBLE")
            await group.triggerGracefulShutdown()
        }
        await broken.shutdown()
    }
}

extension ValidatorFaultTests {
    @Test func aMinerWithoutAnInferenceTokenGetsAnExplicitFailure() async throws {
        let harness = try await ValidatorHarness.make(problems: 2, required: 1, minerConnectsInference: false)
        let group = harness.serviceGroup(logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let validator = try await harness.validator(logger: Self.logger)
            await validator.loop()
            let statuses = try await harness.runStatuses()
            #expect(statuses.map(\.status) == ["FAILED"])
            #expect(statuses.first?.reason?.contains("no inference token") == true, "reason: \(statuses.first?.reason ?? "-")")
            await group.triggerGracefulShutdown()
        }
    }
}

extension ValidatorHarness {
    /// Claims with `client` until the backend hands out a run (the HTTP server may still be starting).
    static func waitUntilClaimed(_ client: BackendClient) async throws -> ClaimedRun? {
        for _ in 0..<100 {
            if let run = try? await client.claim(serviceVersions: [:]) { return run }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}
