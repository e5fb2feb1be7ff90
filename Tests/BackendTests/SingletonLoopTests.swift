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

    @Test("a tick that never returns is given up at its deadline and the next ticks still run")
    func hungTickDoesNotStopTheLoop() async throws {
        let recorder = Recorder()
        let loop = SingletonLoop(
            name: "stub tick", interval: .seconds(30), tickTimeout: .seconds(120), logger: Logger(label: "test"),
            // The injected clock: every deadline and every pause is reached at once.
            sleep: { _ in try Task.checkCancellation() },
            observe: { outcome in recorder.outcomes.withLock { $0.append(outcome) } })
        let running = Task {
            await loop.run {
                recorder.started.withLock { $0 += 1 }
                try await Self.hang()
            }
        }
        defer { running.cancel() }  // a loop that stopped ticking fails at the time limit instead of running on
        while recorder.outcomes.withLock({ $0.count }) < 3 || recorder.started.withLock({ $0 }) < 3 { try Task.checkCancellation(); await Task.yield() }
        running.cancel()
        await running.value
        let outcomes = recorder.outcomes.withLock { $0 }
        #expect(outcomes.prefix(3) == [.timedOut, .timedOut, .timedOut])
        #expect(recorder.started.withLock { $0 } >= 3)
    }

    @Test("a tick that finishes before its deadline is reported finished, and a failing tick failed")
    func finishedAndFailedTicks() async throws {
        let recorder = Recorder()
        // The deadline never comes (its sleep waits until cancelled); pauses pass at once.
        let loop = SingletonLoop(
            name: "stub tick", interval: .seconds(30), tickTimeout: .seconds(120), logger: Logger(label: "test"),
            sleep: { duration in
                if duration == .seconds(120) { try await Self.hang() } else { try Task.checkCancellation() }
            },
            observe: { outcome in recorder.outcomes.withLock { $0.append(outcome) } })
        struct Broken: Error, CustomStringConvertible { var description: String { "broken" } }
        let running = Task {
            await loop.run {
                let tick = recorder.started.withLock { $0 += 1; return $0 }
                if tick == 2 { throw Broken() }
            }
        }
        defer { running.cancel() }  // a loop that stopped ticking fails at the time limit instead of running on
        while recorder.outcomes.withLock({ $0.count }) < 3 { try Task.checkCancellation(); await Task.yield() }
        running.cancel()
        await running.value
        #expect(recorder.outcomes.withLock { Array($0.prefix(3)) } == [.finished, .failed("broken"), .finished])
    }

    @Test("cancelling the loop while a tick hangs ends the loop")
    func cancelWhileHung() async throws {
        let recorder = Recorder()
        let loop = SingletonLoop(
            name: "stub tick", interval: .seconds(30), tickTimeout: .seconds(120), logger: Logger(label: "test"),
            sleep: { _ in try await Self.hang() },
            observe: { outcome in recorder.outcomes.withLock { $0.append(outcome) } })
        let running = Task {
            await loop.run {
                recorder.started.withLock { $0 += 1 }
                try await Self.hang()
            }
        }
        defer { running.cancel() }  // a loop that stopped ticking fails at the time limit instead of running on
        while recorder.started.withLock({ $0 }) < 1 { try Task.checkCancellation(); await Task.yield() }
        running.cancel()
        await running.value
        #expect(recorder.outcomes.withLock { $0 } == [.failed("cancelled")])
    }
}
