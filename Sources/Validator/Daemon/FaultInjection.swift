import Foundation

/// A point of the validator's work where the fault bench (`shoparena bench faults`) makes it crash.
public enum FaultPoint: String, CaseIterable, Sendable {
    /// Right after a claim was accepted, before any heartbeat or sandbox.
    case afterClaim = "after_claim"
    /// While a heartbeat request is in flight.
    case midHeartbeat = "mid_heartbeat"
    /// While the sandboxes run the run's problems.
    case midProblem = "mid_problem"
    /// Between a log upload's presign and its PUT.
    case midUpload = "mid_upload"
    /// After every problem was uploaded and reported, before `complete` is sent.
    case betweenUploadAndComplete = "between_upload_and_complete"
    /// While the `complete` request is in flight (it may or may not have been committed).
    case duringComplete = "during_complete"
}

/// Deterministic crash injection for the fault bench: with `SHOPARENA_FAULT_POINT=<point>` the validator process
/// SIGKILLs itself when it reaches that point — nothing is flushed, nothing is handed back, exactly as if the host
/// died there. `SHOPARENA_FAULT_DELAY_MS` delays the kill after the point is reached (on a separate thread, so the
/// work goes on meanwhile: a request in flight, a sandbox running). Unset, every hook is a no-op.
public struct FaultInjection: Sendable {
    /// The point where the process kills itself (nil: never).
    public let point: FaultPoint?
    /// Milliseconds between reaching the point and the kill.
    public let delayMillis: Int

    /// An injection at `point` (tests build their own; the process uses `current`).
    public init(point: FaultPoint?, delayMillis: Int = 0) {
        self.point = point
        self.delayMillis = delayMillis
    }

    /// Read once from the process environment.
    public static let current = FaultInjection(
        point: ProcessInfo.processInfo.environment["SHOPARENA_FAULT_POINT"].flatMap(FaultPoint.init(rawValue:)),
        delayMillis: ProcessInfo.processInfo.environment["SHOPARENA_FAULT_DELAY_MS"].flatMap(Int.init) ?? 0)

    /// Kills the process (after the configured delay) when `reached` is the configured point.
    public func reached(_ reached: FaultPoint) {
        guard reached == point else { return }
        let delay = delayMillis
        if delay <= 0 { kill(getpid(), SIGKILL) }
        Thread.detachNewThread {
            usleep(useconds_t(delay) * 1000)
            kill(getpid(), SIGKILL)
        }
    }
}
