#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child's process group (the child leads it; its own children share it): recorded once the child started,
/// killed at the deadline or when the caller is done. A deadline that strikes before the child is recorded kills
/// it as soon as it is. The submission analyzer and the interpreter probe start their children this way.
actor ProcessGroup {
    private var leader: pid_t?
    private var deadlineStruck = false

    func record(_ pid: pid_t) {
        leader = pid
        if deadlineStruck { Glibc.kill(-pid, SIGKILL) }
    }

    /// Kills the group; `timedOut` marks the deadline. Returns whether the deadline struck.
    @discardableResult
    func kill(timedOut: Bool) -> Bool {
        if timedOut { deadlineStruck = true }
        if let leader { Glibc.kill(-leader, SIGKILL) }
        return deadlineStruck
    }
}
