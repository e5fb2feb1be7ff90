import Foundation

/// What this host offers for isolation, detected once at start-up (``SandboxRunner/init(configuration:)``).
public struct HostCapabilities: Sendable, Hashable {
    /// Absolute path of bubblewrap, when found.
    public var bwrap: String?
    /// Whether `bwrap --unshare-all --uid 65534` actually ran a command here.
    public var userNamespaces: Bool
    /// cgroup v1 memory controller usable (child groups can be created).
    public var memoryCgroup: Bool
    /// cgroup v1 pids controller usable.
    public var pidsCgroup: Bool
    /// `prlimit` from util-linux.
    public var prlimit: String?
    /// Agents run under the ``SeccompFilter`` (x86_64 hosts whose bubblewrap and kernel accept it).
    public var seccomp: Bool
    /// Why bubblewrap isolation is unavailable, when it is.
    public var problem: String?

    var cgroupHosts: CgroupV1Hosts
    /// dash, whose `ulimit` lets one process join the cgroups and set the rlimits (``BubblewrapCommand/launcher(limits:cgroups:dash:prlimit:parent:)``).
    var dash: String?
    /// util-linux `setpriv` when it accepts `--pdeathsig KILL`: the launcher's first link, so every sandbox
    /// dies with the process that started it (``BubblewrapCommand/deathGuard(setpriv:)``).
    var setpriv: String?

    /// Whether sandboxes are SIGKILLed when their validator dies (even by SIGKILL).
    public var dieWithValidator: Bool { setpriv != nil }

    /// Whether agents can run with full isolation.
    public var canIsolate: Bool { problem == nil }

    /// One line for logs and `--version`-style output.
    public var summary: String {
        "bwrap=\(bwrap ?? "missing") userns=\(userNamespaces) cgroup-memory=\(memoryCgroup) "
            + "cgroup-pids=\(pidsCgroup) seccomp=\(seccomp) prlimit=\(prlimit ?? "missing") pdeathsig=\(dieWithValidator)"
    }

    static func find(_ name: String, explicit: String? = nil) -> String? {
        if let explicit { return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil }
        var dirs = ["/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin"]
        if let path = ProcessInfo.processInfo.environment["PATH"] {
            dirs += path.split(separator: ":").map(String.init)
        }
        return dirs.lazy.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Probes the host: finds bwrap and prlimit, runs a trivial command in a fresh bwrap sandbox, and
    /// checks which cgroup v1 controllers accept child groups.
    public static func detect(bwrapPath: String? = nil) -> HostCapabilities {
        let bwrap = find("bwrap", explicit: bwrapPath)
        let prlimit = find("prlimit")
        var userns = false
        var seccomp = false
        var problem: String?
        if let bwrap {
            let probeLog = FileManager.default.temporaryDirectory
                .appendingPathComponent("shoparena-bwrap-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log").path
            defer { try? FileManager.default.removeItem(atPath: probeLog) }
            let args =
                ["--unshare-all", "--die-with-parent", "--new-session", "--uid", "65534", "--gid", "65534"]
                + BubblewrapCommand.systemBinds() + ["--proc", "/proc", "--dev", "/dev"]
            // First with the seccomp filter; if that is what fails, again without it.
            let filterFile = probeLog + ".bpf"
            defer { try? FileManager.default.removeItem(atPath: filterFile) }
            if let program = SeccompFilter.program(),
                (try? SeccompFilter.bytes(program).write(to: URL(fileURLWithPath: filterFile))) != nil,
                let child = try? ChildProcess.spawn(
                    executable: bwrap, arguments: ["--seccomp", "3"] + args + ["/usr/bin/true"],
                    environment: ["PATH=/usr/bin:/bin"], logPath: probeLog, readOnlyFile: (3, filterFile))
            {
                seccomp = child.reap() == .code(0)
                userns = seccomp
            }
            if userns {
                // done
            } else if let child = try? ChildProcess.spawn(
                executable: bwrap, arguments: args + ["/usr/bin/true"], environment: ["PATH=/usr/bin:/bin"],
                logPath: probeLog)
            {
                let exit = child.reap()
                userns = exit == .code(0)
                if !userns {
                    let out = (try? String(contentsOfFile: probeLog, encoding: .utf8)) ?? ""
                    problem = "bubblewrap cannot create namespaces here (\(exit)): "
                        + out.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300)
                }
            } else {
                problem = "bubblewrap at \(bwrap) could not be started"
            }
        } else {
            problem = "bubblewrap (bwrap) is not installed"
        }
        if problem == nil && prlimit == nil { problem = "prlimit (util-linux) is not installed" }
        let hosts = CgroupV1Hosts.detect()
        return HostCapabilities(
            bwrap: bwrap, userNamespaces: userns, memoryCgroup: hosts.memory != nil, pidsCgroup: hosts.pids != nil,
            prlimit: prlimit, seccomp: seccomp, problem: problem, cgroupHosts: hosts, dash: find("dash"),
            setpriv: deathGuardingSetpriv())
    }

    /// `setpriv`, when `setpriv --pdeathsig KILL -- true` runs here (util-linux 2.33 or later).
    static func deathGuardingSetpriv() -> String? {
        guard let setpriv = find("setpriv"), let truePath = find("true") else { return nil }
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("shoparena-setpriv-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        guard let child = try? ChildProcess.spawn(
            executable: setpriv, arguments: BubblewrapCommand.deathGuard(setpriv: setpriv).dropFirst() + [truePath],
            environment: ["PATH=/usr/bin:/bin"], logPath: log)
        else { return nil }
        return child.reap() == .code(0) ? setpriv : nil
    }
}
