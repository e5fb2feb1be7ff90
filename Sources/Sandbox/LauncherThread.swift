import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one thread sandboxes are started from.
///
/// bubblewrap runs with `--die-with-parent`, i.e. `PR_SET_PDEATHSIG`, and the kernel sends that signal when the
/// *thread* that started the process exits, not when the process does. Swift's global executor retires worker
/// threads that stay idle a few seconds (libdispatch), so a sandbox spawned from one was SIGKILLed mid-run
/// whenever its thread was retired — at random, more often on a loaded machine whose load comes in bursts
/// ("Process was killed by signal 9 (SIGKILL) but produced no result"; reproduced by spawning
/// `bwrap --die-with-parent … sleep 15` from a task and idling 20 s: killed by signal 9). This thread never
/// exits, so the signal comes only when the process itself dies, which is what `--die-with-parent` is for.
///
/// Spawning takes milliseconds; calls are served in order.
final class LauncherThread: @unchecked Sendable {
    // `pending` and `thread` are guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [@Sendable () -> Void] = []
    private var thread: pthread_t?

    /// The process's launcher thread (started on first use, never stopped).
    static let shared = LauncherThread()

    /// The thread's name (15 bytes at most: the kernel's limit).
    static let threadName = "sandbox-launch"

    private init() {
        Thread { [self] in
            // Named from inside (best effort, for ps -L and debuggers): a new thread otherwise carries its
            // creator's name, a pool thread's.
            Thread.current.name = Self.threadName
            condition.lock()
            thread = pthread_self()
            condition.unlock()
            serve()
        }.start()
    }

    /// Whether the caller runs on the launcher thread.
    var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    /// Runs `body` on the launcher thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            condition.lock()
            pending.append { continuation.resume(returning: body()) }
            condition.signal()
            condition.unlock()
        }
    }

    private func serve() -> Never {
        while true {
            condition.lock()
            while pending.isEmpty { condition.wait() }
            let work = pending
            pending.removeAll(keepingCapacity: true)
            condition.unlock()
            for item in work { item() }
        }
    }
}
