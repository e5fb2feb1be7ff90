import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process started with `posix_spawn` as the leader of a new process group, with stdin on
/// `/dev/null`, stdout and stderr appended to one log file, default signal dispositions and an empty
/// signal mask, and no file descriptor of ours beyond 0–2.
struct ChildProcess: Sendable {
    /// How a process ended.
    enum Exit: Sendable, Equatable, CustomStringConvertible {
        case code(Int32)
        case signal(Int32)

        init(waitStatus status: Int32) {
            let sig = status & 0x7f
            if sig == 0 { self = .code((status >> 8) & 0xff) } else { self = .signal(sig) }
        }

        var description: String {
            switch self {
            case .code(let c): return "exited with code \(c)"
            case .signal(let s): return "was killed by signal \(s)\(s == SIGKILL ? " (SIGKILL)" : "")"
            }
        }
    }

    let pid: pid_t

    /// Spawns `executable` (an absolute path) with `arguments` (argv[1...]) and `environment` ("K=V").
    /// `readOnlyFile` opens one more file for the child at a fixed descriptor (e.g. bubblewrap's `--seccomp`).
    static func spawn(
        executable: String, arguments: [String], environment: [String], logPath: String,
        readOnlyFile: (descriptor: Int32, path: String)? = nil
    ) throws(SandboxError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)
        if let readOnlyFile {
            posix_spawn_file_actions_addopen(&actions, readOnlyFile.descriptor, readOnlyFile.path, O_RDONLY, 0)
        }

        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw .setupFailed("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        return ChildProcess(pid: pid)
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// Makes the child close every descriptor above 2: glibc ≥ 2.34's `addclosefrom_np` (looked up at run
    /// time, the Swift Glibc module does not export it), else one `addclose` per descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in fds.compactMap({ Int32($0) }) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    /// Reaps the process if it has ended; nil while it runs.
    func poll() -> Exit? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { return Exit(waitStatus: status) }
        if r < 0 && errno == ECHILD { return .code(-1) }
        return nil
    }

    /// Sends `signal` to the whole process group (the child and anything it did not move elsewhere).
    func signalGroup(_ signal: Int32) {
        _ = kill(-pid, signal)
        _ = kill(pid, signal)
    }

    /// Blocks until the process ends; only after SIGKILL, when that is a matter of milliseconds.
    func reap() -> Exit {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, 0)
            if r == pid { return Exit(waitStatus: status) }
            if r < 0 && errno != EINTR { return .code(-1) }
        }
    }

    /// Polls until the process ends or `deadline` (a `ContinuousClock` instant) passes: every 2, 4, 8,
    /// 16 ms, then every 25 ms, so a quick agent's end is seen within milliseconds.
    func wait(until deadline: ContinuousClock.Instant) async -> Exit? {
        var interval = 2
        while true {
            if let exit = poll() { return exit }
            if ContinuousClock.now >= deadline || Task.isCancelled { return nil }
            try? await Task.sleep(for: .milliseconds(interval))
            interval = min(interval * 2, 25)
        }
    }
}
