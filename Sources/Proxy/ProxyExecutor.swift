import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The threads the per-problem proxies of this process run their work on: starting, and handling requests.
///
/// Why not Swift's global concurrent executor: that pool has one thread per core and is shared with everything
/// else in the process. Work that holds a pool thread for long — synchronous CPU work between two `await`s
/// (scoring, judging, index builds; in `swift test`, every other suite running in parallel) or a blocking call —
/// leaves the proxy's jobs waiting in the pool's queue while the agent's read timeout runs. Measured on 2 cores
/// with two tasks computing 1.5 s between awaits: a proxied `find_product` went from ~2 ms to 1.2–2.4 s, and
/// longer synchronous stretches pass the 5 s read timeout of `requests.get(…, timeout=5)`. On its own threads
/// the proxy is scheduled by the kernel beside the pool's threads instead of behind their work.
///
/// A plain `TaskExecutor`: a FIFO of jobs served by `threads` threads (not serial, like the global executor).
/// Network I/O stays on NIO's event loops; handlers (the search itself, the inference forwarding) run here.
/// One instance per process, ``shared``, whose threads live as long as the process, like NIO's singleton
/// event-loop group or `HTTPClient.shared`.
@available(macOS 15.0, *)
public final class ProxyExecutor: TaskExecutor, @unchecked Sendable {
    // All mutable state (the two queue halves, the thread list) is guarded by `condition`.
    private let condition = NSCondition()
    private var incoming: [UnownedJob] = []
    private var outgoing: [UnownedJob] = []  // reversed: the next job is the last element
    private var serving: [pthread_t] = []

    /// The name of the executor's threads (as `ps -L`, `top -H` and debuggers show them).
    public static let threadName = "shoparena-proxy"

    /// The process's proxy executor: one thread per core, at least two (created on first use).
    public static let shared = ProxyExecutor(threads: max(2, ProcessInfo.processInfo.activeProcessorCount))

    private init(threads: Int) {
        for _ in 0..<max(1, threads) {
            Thread { [self] in
                // Named from inside (best effort, for ps -L and debuggers; at most 15 bytes): a new thread
                // otherwise carries its creator's name, a pool thread's.
                Thread.current.name = Self.threadName
                condition.lock()
                serving.append(pthread_self())
                condition.unlock()
                serve()
            }.start()
        }
    }

    /// Whether the caller runs on one of the executor's threads.
    public var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        let me = pthread_self()
        return serving.contains { pthread_equal($0, me) != 0 }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        incoming.append(job)
        condition.signal()
        condition.unlock()
    }

    private func next() -> UnownedJob {
        condition.lock()
        defer { condition.unlock() }
        while outgoing.isEmpty {
            if incoming.isEmpty {
                condition.wait()
            } else {
                outgoing = incoming.reversed()
                incoming.removeAll(keepingCapacity: true)
            }
        }
        return outgoing.removeLast()
    }

    private func serve() -> Never {
        let executor = asUnownedTaskExecutor()
        while true {
            next().runSynchronously(on: executor)
        }
    }
}
