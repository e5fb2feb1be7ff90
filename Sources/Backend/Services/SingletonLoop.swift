import Logging
import ServiceLifecycle
import Synchronization

/// The loop of a singleton service (lease reaper, race scheduler, corpus sweep): one tick, a pause of `interval`,
/// again, until cancelled or gracefully shut down. Each tick is bounded by `tickTimeout`: a tick that has not
/// finished by then (a replica whose PostgreSQL connection was killed mid-tick can wait on its commit forever) is
/// cancelled, logged and left behind, and the loop goes on to the next tick. A tick that fails is logged too.
///
/// Time passes through `sleep`, injected so tests can drive the pauses and the tick deadline by hand.
public struct SingletonLoop: Sendable {
    /// How one tick ended.
    public enum TickOutcome: Sendable, Equatable {
        case finished
        case failed(String)
        /// The tick did not finish within ``tickTimeout``; it was cancelled and not waited for.
        case timedOut
    }

    /// The job's name in log lines ("lease reaper pass").
    public var name: String
    /// The pause between the end of one tick and the start of the next.
    public var interval: Duration
    /// The longest a tick may run before the loop gives up on it.
    public var tickTimeout: Duration
    public var logger: Logger
    /// Suspends for a duration (the pause, and the deadline of a tick); throws when cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Told how each tick ended, after it is logged (tests).
    public var observe: @Sendable (TickOutcome) -> Void

    public init(name: String, interval: Duration, tickTimeout: Duration, logger: Logger,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                observe: @escaping @Sendable (TickOutcome) -> Void = { _ in }) {
        self.name = name
        self.interval = interval
        self.tickTimeout = tickTimeout
        self.logger = logger
        self.sleep = sleep
        self.observe = observe
    }

    /// Runs `tick` every ``interval`` until cancelled or gracefully shut down.
    public func run(_ tick: @escaping @Sendable () async throws -> Void) async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let outcome = await bounded(tick)
            switch outcome {
            case .finished: break
            case .failed(let reason): logger.error("\(name) failed: \(reason)")
            case .timedOut:
                logger.error("\(name) did not finish within \(tickTimeout); left behind, going on to the next tick")
            }
            observe(outcome)
            do {
                let sleep = self.sleep, interval = self.interval
                try await cancelWhenGracefulShutdown { try await sleep(interval) }
            } catch {
                return
            }
        }
    }

    /// Runs one tick in a task of its own and returns when it ends or when ``tickTimeout`` has passed, whichever
    /// comes first; on the deadline the tick is cancelled but not awaited (a hung commit may ignore cancellation).
    public func bounded(_ tick: @escaping @Sendable () async throws -> Void) async -> TickOutcome {
        let once = Once()
        let sleep = self.sleep, timeout = self.tickTimeout
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TickOutcome, Never>) in
                once.arm(continuation)
                let work = Task {
                    do {
                        try await tick()
                        once.resume(.finished)
                    } catch {
                        once.resume(.failed("\(error)"))
                    }
                    once.cancelTasks()  // the deadline's timer is not needed any more
                }
                let timer = Task {
                    do { try await sleep(timeout) } catch { return }
                    if once.resume(.timedOut) { once.cancelTasks() }
                }
                once.track(work, timer)
            }
        } onCancel: {
            once.resume(.failed("cancelled"))
            once.cancelTasks()
        }
    }
}

/// Resumes a continuation exactly once, whichever of the tick, the deadline or cancellation comes first, and
/// cancels the tick's and the deadline's tasks once it is resolved.
private final class Once: Sendable {
    private struct State {
        var continuation: CheckedContinuation<SingletonLoop.TickOutcome, Never>?
        var pending: SingletonLoop.TickOutcome?
        var resolved = false
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Takes the continuation, resuming it at once when the outcome is already known.
    func arm(_ continuation: CheckedContinuation<SingletonLoop.TickOutcome, Never>) {
        let pending: SingletonLoop.TickOutcome? = state.withLock {
            if let pending = $0.pending { $0.pending = nil; return pending }
            $0.continuation = continuation
            return nil
        }
        if let pending { continuation.resume(returning: pending) }
    }

    /// Keeps the tasks to cancel; cancels them at once when the outcome is already known.
    func track(_ tasks: Task<Void, Never>...) {
        let resolved = state.withLock {
            $0.tasks = tasks
            return $0.resolved
        }
        if resolved { cancelTasks() }
    }

    func cancelTasks() {
        for task in state.withLock({ $0.tasks }) { task.cancel() }
    }

    /// Resolves with `outcome` unless already resolved; true when this call resolved it.
    @discardableResult
    func resume(_ outcome: SingletonLoop.TickOutcome) -> Bool {
        let (won, continuation): (Bool, CheckedContinuation<SingletonLoop.TickOutcome, Never>?) = state.withLock {
            guard !$0.resolved else { return (false, nil) }
            $0.resolved = true
            if let continuation = $0.continuation { $0.continuation = nil; return (true, continuation) }
            $0.pending = outcome
            return (true, nil)
        }
        continuation?.resume(returning: outcome)
        return won
    }
}
