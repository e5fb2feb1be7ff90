/// Resource limits of one sandboxed problem run. Defaults mirror the reference's `docker run`
/// (`reference/oro-validator.md` §2): 4 GiB memory, 256 processes, 1024 open files, 256 MiB `/tmp`,
/// 300 s wall clock.
public struct SandboxLimits: Sendable, Hashable {
    /// Wall-clock limit in seconds; at the limit the whole process tree is killed and the status is TIMED_OUT.
    public var wallClockSeconds: Double
    /// Seconds between SIGTERM and SIGKILL at the deadline.
    public var killGraceSeconds: Double
    /// Resident memory cap (cgroup v1 `memory.limit_in_bytes`, and `memsw` when present).
    public var memoryBytes: UInt64
    /// `RLIMIT_AS` backstop; generous because threaded Python reserves far more address space than it touches.
    public var addressSpaceBytes: UInt64
    /// Processes and threads of the tree (cgroup `pids.max`; `RLIMIT_NPROC` when no pids cgroup exists).
    public var maxProcesses: Int
    /// `RLIMIT_NOFILE`.
    public var maxOpenFiles: Int
    /// `RLIMIT_FSIZE`: the largest file the agent can write (result, its stdout/stderr log, `/tmp`); the
    /// harness keeps the result under 16 MiB.
    public var maxFileSizeBytes: UInt64
    /// Size of the private tmpfs mounted on `/tmp`.
    public var tmpSizeBytes: UInt64
    /// How much of the end of the agent's stdout/stderr is kept for error messages.
    public var outputTailBytes: Int

    public init(
        wallClockSeconds: Double = 300, killGraceSeconds: Double = 5, memoryBytes: UInt64 = 4 << 30,
        addressSpaceBytes: UInt64 = 8 << 30, maxProcesses: Int = 256, maxOpenFiles: Int = 1024,
        maxFileSizeBytes: UInt64 = 64 << 20, tmpSizeBytes: UInt64 = 256 << 20, outputTailBytes: Int = 8 << 10
    ) {
        self.wallClockSeconds = wallClockSeconds
        self.killGraceSeconds = killGraceSeconds
        self.memoryBytes = memoryBytes
        self.addressSpaceBytes = addressSpaceBytes
        self.maxProcesses = maxProcesses
        self.maxOpenFiles = maxOpenFiles
        self.maxFileSizeBytes = maxFileSizeBytes
        self.tmpSizeBytes = tmpSizeBytes
        self.outputTailBytes = outputTailBytes
    }

    /// The reference's limits.
    public static let standard = SandboxLimits()
}
