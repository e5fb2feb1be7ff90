import ArenaModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one problem of an agent file in a fresh bubblewrap sandbox and turns whatever happens into an
/// ``Envelope`` — it never throws and never loses a problem: a timeout is TIMED_OUT, every other
/// failure (agent exception, crash, OOM kill, setup error, cancellation) is FAILED with a typed reason.
///
/// Isolation (see ``BubblewrapCommand``): new user, pid, network, ipc, uts and cgroup namespaces; only
/// loopback; read-only system; uid/gid 65534; private size-capped `/tmp`; the agent, the problem (its
/// ``Problem/agentView``, never the reward), the runtime and the interpreter read-only; one writable output
/// directory; the proxy's Unix socket. Limits: cgroup v1 memory and pids when available, `RLIMIT_AS`,
/// `RLIMIT_NOFILE`, `RLIMIT_FSIZE`, and a wall clock after which the whole tree is killed (SIGTERM to the
/// agent's processes, grace, then SIGKILL to everything left in the group and cgroups; bwrap's pid
/// namespace takes the rest down with its PID 1).
///
/// A SIGKILLed owner leaves nothing running: the launcher arms the parent-death signal before bubblewrap
/// (``BubblewrapCommand/deathGuard(setpriv:)``). Runs live under this process's owner folder in the work
/// folder (``SandboxOwner``), and creating a runner sweeps what dead owners left there (``LeftoverSweep``).
public struct SandboxRunner: Sendable {
    public let configuration: SandboxConfiguration
    public let capabilities: HostCapabilities
    /// This process's folder in ``SandboxConfiguration/workDirectory``: the parent of its runs' folders.
    public let ownerDirectory: URL
    /// What the sweep at creation removed (dead owners' processes, cgroups and folders).
    public let leftoversSwept: LeftoverSweep.Report

    /// Detects the host's capabilities and refuses to build a runner when isolation is unavailable,
    /// unless the configuration asks for ``SandboxConfiguration/Isolation/insecure``.
    public init(configuration: SandboxConfiguration, capabilities: HostCapabilities? = nil) throws(SandboxError) {
        let caps = capabilities ?? HostCapabilities.detect(bwrapPath: configuration.bwrapPath)
        if configuration.isolation == .bubblewrap, let problem = caps.problem {
            throw .isolationUnavailable(problem)
        }
        guard caps.prlimit != nil else { throw .isolationUnavailable("prlimit (util-linux) is not installed") }
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: configuration.python.path) else {
            throw .missingFile(what: "sandbox python (run scripts/setup-sandbox-venv)", path: configuration.python.path)
        }
        let harness = configuration.runtimeDirectory.appendingPathComponent("run_harness.py").path
        guard fm.fileExists(atPath: harness) else { throw .missingFile(what: "runtime harness", path: harness) }
        do {
            try fm.createDirectory(at: configuration.workDirectory, withIntermediateDirectories: true)
        } catch {
            throw .setupFailed("cannot create \(configuration.workDirectory.path): \(error)")
        }
        leftoversSwept = LeftoverSweep.sweep(workDirectory: configuration.workDirectory, hosts: caps.cgroupHosts)
        ownerDirectory = try SandboxOwner.current.claim(
            in: configuration.workDirectory, keepArtifacts: configuration.keepArtifacts)
        if configuration.precompileRuntime {
            RuntimeBytecode.refresh(runtime: configuration.runtimeDirectory, python: configuration.python)
        }
        self.configuration = configuration
        self.capabilities = caps
    }

    /// Runs `problem` with `agentFile`. `proxySocket` is the host path of this problem's proxy socket
    /// (nil: the agent has no way out at all).
    public func run(
        agentFile: URL, problem: Problem, proxySocket: String? = nil, limits: SandboxLimits = .standard
    ) async -> Envelope {
        if let proxySocket, !FileManager.default.fileExists(atPath: proxySocket) {
            return Envelope(
                problemID: problem.id, status: .failed, executionTime: 0, inferenceFailureCount: 0, inferenceTotal: 0,
                error: EnvelopeError(type: "SandboxError", message: "proxy socket \(proxySocket) does not exist"))
        }
        return await run(
            agentFile: agentFile, problem: problem, proxy: proxySocket.map(ProxyMount.socket), limits: limits,
            whenSpawned: { nil })
    }

    /// The run itself. `whenSpawned` is awaited right after the sandbox process started (so whatever it
    /// waits for, e.g. the proxy starting, overlaps the sandbox's own startup); a message it returns
    /// kills the sandbox at once and fails the problem with error type `ProxyError`.
    func run(
        agentFile: URL, problem: Problem, proxy: ProxyMount?, limits: SandboxLimits,
        whenSpawned: @Sendable () async -> String?
    ) async -> Envelope {
        let started = ContinuousClock.now
        func elapsed() -> Double {
            let d = ContinuousClock.now - started
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        func failed(_ type: String, _ message: String) -> Envelope {
            Envelope(
                problemID: problem.id, status: .failed, executionTime: elapsed(), inferenceFailureCount: 0,
                inferenceTotal: 0, error: EnvelopeError(type: type, message: message))
        }
        guard FileManager.default.isReadableFile(atPath: agentFile.path) else {
            return failed("FileNotFoundError", "agent file not found: \(agentFile.path)")
        }
        let workspace: Workspace
        do {
            workspace = try Workspace.create(in: ownerDirectory, problem: problem)
        } catch {
            return failed("SandboxError", "\(error)")
        }
        defer { if !configuration.keepArtifacts { workspace.remove() } }

        var cgroups = RunCgroups()
        do {
            cgroups = try RunCgroups.create(
                hosts: capabilities.cgroupHosts, name: SandboxOwner.current.name + "-" + workspace.name, limits: limits)
        } catch {
            return failed("SandboxError", "\(error)")
        }
        defer { cgroups.destroy() }

        let argv = launcherArguments(
            agentFile: agentFile, problem: problem, workspace: workspace, proxy: proxy, limits: limits,
            cgroups: cgroups)
        let environment =
            configuration.isolation == .bubblewrap
            ? ["PATH=/usr/bin:/bin"]
            : insecureEnvironment(workspace: workspace).map { "\($0.key)=\($0.value)" }
        var seccomp: (descriptor: Int32, path: String)?
        if let program = seccompProgram {
            do {
                try SeccompFilter.bytes(program).write(to: workspace.seccompFile)
            } catch {
                return failed("SandboxError", "cannot write the seccomp filter: \(error)")
            }
            seccomp = (Self.seccompDescriptor, workspace.seccompFile.path)
        }
        let child: ChildProcess
        // From the launcher thread, which never exits: bubblewrap's --die-with-parent fires when the thread
        // that spawned it ends, and the global executor retires idle threads (see LauncherThread).
        let logPath = workspace.logFile.path
        let spawned = await LauncherThread.shared.run { [seccomp] () -> Result<ChildProcess, SandboxError> in
            Result { () throws(SandboxError) in
                try ChildProcess.spawn(
                    executable: argv[0], arguments: Array(argv.dropFirst()), environment: environment,
                    logPath: logPath, readOnlyFile: seccomp)
            }
        }
        switch spawned {
        case .success(let value): child = value
        case .failure(let error): return failed("SandboxError", "\(error)")
        }

        if let problemWithProxy = await whenSpawned() {
            _ = await terminate(child, cgroups: cgroups, grace: 0)
            return failed("ProxyError", problemWithProxy)
        }
        let deadline = started + .milliseconds(Int64(limits.wallClockSeconds * 1000))
        var exit = await child.wait(until: deadline)
        var timedOut = false
        var cancelled = false
        if exit == nil {
            cancelled = Task.isCancelled
            timedOut = !cancelled
            exit = await terminate(child, cgroups: cgroups, grace: cancelled ? 0 : limits.killGraceSeconds)
        }
        let oomKills = cgroups.oomKills()
        cgroups.destroy()
        let executionTime = elapsed()

        if timedOut {
            return Envelope(
                problemID: problem.id, status: .timedOut, executionTime: executionTime, inferenceFailureCount: 0,
                inferenceTotal: 0,
                error: EnvelopeError(
                    type: "TimeoutError", message: "Execution exceeded timeout of \(limits.wallClockSeconds)s"))
        }
        if cancelled {
            return failed("Cancelled", "the evaluation was cancelled while the agent was running")
        }
        let tail = workspace.logTail(limits.outputTailBytes)
        if oomKills > 0 {
            return failed(
                "MemoryError",
                "memory limit of \(limits.memoryBytes >> 20) MiB exceeded: the agent was killed by the OOM killer"
                    + Self.withOutput(tail))
        }
        switch workspace.readResult() {
        case .missing:
            let reason: String
            if case .code(125)? = exit, !cgroups.procsFiles.isEmpty {
                reason = "the sandbox launcher could not join its cgroups"
            } else if case .code(BubblewrapCommand.limitFailureStatus)? = exit, capabilities.dash != nil {
                reason = "the sandbox launcher could not set its resource limits"
            } else if case .code(BubblewrapCommand.orphanedStatus)? = exit, capabilities.setpriv != nil {
                reason = "the sandbox launcher found its parent gone before it started"
            } else {
                reason = "Process \(exit.map(\.description) ?? "ended") but produced no result"
            }
            return failed("RuntimeError", reason + Self.withOutput(tail))
        case .unreadable(let why):
            return failed("SandboxError", "the harness result could not be read: \(why)" + Self.withOutput(tail))
        case .result(let result):
            return envelope(from: result, problem: problem, executionTime: executionTime)
        }
    }

    /// SIGTERM to the agent's processes (never to bwrap itself, whose death would SIGKILL the tree at
    /// once), `grace` seconds for them to exit, then SIGKILL to the process group and every cgroup member.
    /// The grace is awaited, not slept: a blocking sleep would hold one of the global pool's few threads for
    /// seconds, and with it everything else in the process that is waiting for a thread (other problems'
    /// proxies, heartbeats).
    private func terminate(_ child: ChildProcess, cgroups: RunCgroups, grace: Double) async -> ChildProcess.Exit {
        if grace > 0 {
            let members = cgroups.members()
            if members.isEmpty {
                child.signalGroup(SIGTERM)
            } else {
                for pid in members where Self.command(of: pid) != "bwrap" { kill(pid, SIGTERM) }
            }
            let end = ContinuousClock.now + .milliseconds(Int64(grace * 1000))
            while ContinuousClock.now < end {
                if let exit = child.poll() {
                    cgroups.signalAll(SIGKILL)
                    return exit
                }
                do { try await Task.sleep(for: .milliseconds(20)) } catch { break }  // cancelled: no more grace
            }
        }
        child.signalGroup(SIGKILL)
        cgroups.signalAll(SIGKILL)
        return child.reap()
    }

    /// The launcher's descriptor for the seccomp program (bubblewrap reads and closes it).
    static let seccompDescriptor: Int32 = 3

    /// The seccomp program agents run under; nil in insecure mode or where the host cannot apply it.
    var seccompProgram: [SeccompFilter.Instruction]? {
        guard configuration.isolation == .bubblewrap, capabilities.seccomp else { return nil }
        return SeccompFilter.program()
    }

    static func command(of pid: pid_t) -> String {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func withOutput(_ tail: String) -> String {
        tail.isEmpty ? "" : "\n--- agent output (end) ---\n" + tail
    }

    private func envelope(from result: JSONValue, problem: Problem, executionTime: Double) -> Envelope {
        let status = result["status"]?.stringValue
        var envelope = Envelope(
            problemID: problem.id, status: .failed, executionTime: executionTime, inferenceFailureCount: 0,
            inferenceTotal: 0)
        switch status {
        case "SUCCESS":
            guard let dialogue = result["dialogue"], case .array = dialogue else {
                envelope.error = EnvelopeError(type: "TypeError", message: "the harness reported SUCCESS without a list")
                return envelope
            }
            envelope.status = .success
            envelope.dialogue = dialogue
        case "FAILED":
            let e = result["error"]
            envelope.error = EnvelopeError(
                type: e?["type"]?.stringValue ?? "UnknownError", message: e?["message"]?.stringValue ?? "")
        default:
            envelope.error = EnvelopeError(
                type: "SandboxError", message: "the harness result has an unknown status \(status ?? "null")")
        }
        return envelope
    }

    private func launcherArguments(
        agentFile: URL, problem: Problem, workspace: Workspace, proxy: ProxyMount?, limits: SandboxLimits,
        cgroups: RunCgroups
    ) -> [String] {
        let prlimit = capabilities.prlimit ?? "/usr/bin/prlimit"
        switch configuration.isolation {
        case .bubblewrap:
            return BubblewrapCommand.arguments(
                .init(
                    bwrap: capabilities.bwrap ?? "/usr/bin/bwrap", prlimit: prlimit, setpriv: capabilities.setpriv, dash: capabilities.dash, python: configuration.python,
                    runtimeDirectory: configuration.runtimeDirectory, agentFile: agentFile,
                    problemFile: workspace.problemFile, outputDirectory: workspace.outputDirectory,
                    proxy: proxy, problemID: problem.id, environment: configuration.agentEnvironment,
                    limits: limits, cgroups: cgroups,
                    seccompDescriptor: seccompProgram == nil ? nil : Self.seccompDescriptor))
        case .insecure:
            var argv = BubblewrapCommand.deathGuard(setpriv: capabilities.setpriv)
            argv += BubblewrapCommand.launcher(
                limits: limits, cgroups: cgroups, dash: capabilities.dash, prlimit: prlimit,
                parent: capabilities.setpriv == nil ? nil : getpid())
            argv.append(configuration.python.standardizedFileURL.path)
            argv += BubblewrapCommand.harnessArguments(
                runtime: configuration.runtimeDirectory.standardizedFileURL.path,
                agent: agentFile.standardizedFileURL.path, problem: workspace.problemFile.path,
                output: workspace.outputDirectory.appendingPathComponent("result.json").path, socket: proxy?.hostSocketPath,
                problemID: problem.id)
            return argv
        }
    }

    private func insecureEnvironment(workspace: Workspace) -> [String: String] {
        var env = configuration.agentEnvironment
        env["PATH"] = "/usr/bin:/bin"
        env["HOME"] = workspace.directory.path
        env["LANG"] = env["LANG"] ?? "C.UTF-8"
        return env
    }
}
