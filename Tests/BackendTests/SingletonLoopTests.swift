import Backend
import Logging
import Synchronization
import Testing

/// The loop of the singleton services (lease reaper, race scheduler, corpus sweep): a tick that never returns — a
/// replica whose PostgreSQL connection was killed mid-commit — is given up at its deadline and the loop goes on.
/// Time is injected: the deadline and the pause are `sleep` calls the tests answer, never a wall-clock wait.
@Suite("Singleton loop", .timeLimit(.minutes(1)))
struct SingletonLoopTests {
    /// Outcomes seen by the loop, and the test's way to stop it after `ticks` of them.
    final class Recorder: Sendable {
        let outcomes = Mutex<[SingletonLoop.TickOutcome]>([])
        let started = Mutex(0)
    }

    /// A tick (or a sleep) that never returns on its own: it ends only when its task is cancelled.
    static func hang() async throws {
        try await Task.sleep(for: .seconds(10 * 365 * 86_400))
    }

    /// A loop ticking every 30 s with a 120 s deadline, whose pauses and deadlines are `sleep`, reporting to `recorder`.
    static func loop(_ recorder: Recorder, sleep: @escaping @Sendable (Duration) async throws -> Void) -> SingletonLoop {
        SingletonLoop(
            name: "stub tick", interval: .seconds(30), tickTimeout: .seconds(120), logger: Logger(label: "test"),
            sleep: sleep, observe: { outcome in recorder.outcomes.withLock { $0.append(outcome) } })
    }

    /// Runs `loop` over `tick` until `done` holds, then cancels it and waits for it to end. A loop that stopped
    /// ticking never satisfies `done`: the suite's time limit fails the test instead of letting it run on.
    static func drive(_ loop: SingletonLoop, until done: () -> Bool,
                      tick: @escaping @Sendable () async throws -> Void) async throws {
        let running = Task { await loop.run(tick) }
        defer { running.cancel() }
        while !done() { try Task.checkCancellation(); await Task.yield() }
        running.cancel()
        await running.value
    }

    @Test("a tick that never returns is given up at its deadline and the next ticks still run")
    func hungTickDoesNotStopTheLoop() async throws {
        let recorder = Recorder()
        // The injected clock: every deadline and every pause is reached at once.
        let loop = Self.loop(recorder, sleep: { _ in try Task.checkCancellation() })
        try await Self.drive(loop, until: { recorder.outcomes.withLock { $0.count } >= 3 && recorder.started.withLock { $0 } >= 3 }) {
            recorder.started.withLock { $0 += 1 }
            try await Self.hang()
        }
        let outcomes = recorder.outcomes.withLock { $0 }
        #expect(outcomes.prefix(3) == [.timedOut, .timedOut, .timedOut])
        #expect(recorder.started.withLock { $0 } >= 3)
    }

    @Test("a tick that finishes before its deadline is reported finished, and a failing tick failed")
    func finishedAndFailedTicks() async throws {
        let recorder = Recorder()
        // The deadline never comes (its sleep waits until cancelled); pauses pass at once.
        let loop = Self.loop(recorder, sleep: { duration in
            if duration == .seconds(120) { try await Self.hang() } else { try Task.checkCancellation() }
        })
        struct Broken: Error, CustomStringConvertible { var description: String { "broken" } }
        try await Self.drive(loop, until: { recorder.outcomes.withLock { $0.count } >= 3 }) {
            let tick = recorder.started.withLock { $0 += 1; return $0 }
            if tick == 2 { throw Broken() }
        }
        #expect(recorder.outcomes.withLock { Array($0.prefix(3)) } == [.finished, .failed("broken"), .finished])
    }

    @Test("cancelling the loop while a tick hangs ends the loop")
    func cancelWhileHung() async throws {
        let recorder = Recorder()
        let loop = Self.loop(recorder, sleep: { _ in try await Self.hang() })
        try await Self.drive(loop, until: { recorder.started.withLock { $0 } >= 1 }) {
            recorder.started.withLock { $0 += 1 }
            try await Self.hang()
        }
        #expect(recorder.outcomes.withLock { $0 } == [.failed("cancelled")])
    }
}
