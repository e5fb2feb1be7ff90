import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Builds the launcher command line of one run:
///
/// ```
/// setpriv --pdeathsig KILL -- \
/// dash -c '[ "$PPID" = <validator pid> ] || exit 126; <join cgroups>; ulimit -v … && ulimit -n … && ulimit -f … && ulimit -c 0 [&& ulimit -p …]; exec "$@"' \
///      shoparena-launch <cgroup.procs…> -- \
///   (or, without dash: /bin/sh -c '<join cgroups>; exec "$@"' sh <cgroup.procs…> -- prlimit --as=… … --) \
///   bwrap --unshare-all --die-with-parent --new-session --uid 65534 --gid 65534 --hostname sandbox [--seccomp 3] \
///         --ro-bind /usr /usr (+ /lib, /lib64, /bin as binds or symlinks) --ro-bind <python prefix> … \
///         --ro-bind <venv> … --ro-bind <runtime> /sandbox/runtime --ro-bind <agent> /sandbox/agent.py \
///         --ro-bind <problem.json> /sandbox/problem.json --bind <out> /sandbox/out \
///         [--bind <proxy.sock> /sandbox/proxy.sock | --ro-bind <proxy dir> /sandbox/proxy] \
///         --proc /proc --dev /dev --remount-ro /dev --size N --tmpfs /tmp \
///         --remount-ro / --chdir /tmp --clearenv --setenv … \
///   <venv python> -I -B /sandbox/runtime/run_harness.py --agent … --problem … --output … [--proxy-socket …] --problem-id …
/// ```
///
/// Startup cost matters (every problem pays it before `agent_main`): python reads the runtime's
/// precompiled bytecode (``RuntimeBytecode``), the harness avoids heavy imports, and the per-problem proxy
/// is started concurrently with all of this (its folder is mounted, the socket appears when it is ready).
///
/// Nothing else of the host is visible: no /etc, /home, /root (except the interpreter's own prefix
/// when it lives there), /work, /sys, catalog, index, rewards or logs.
struct BubblewrapCommand: Sendable {
    static let sandboxRoot = "/sandbox"
    static let agentPath = "/sandbox/agent.py"
    static let problemPath = "/sandbox/problem.json"
    static let outputDirectory = "/sandbox/out"
    static let socketPath = "/sandbox/proxy.sock"
    static let proxyDirectoryPath = "/sandbox/proxy"
    static let runtimePath = "/sandbox/runtime"

    /// `sh -c` script: write its own pid into each `cgroup.procs` given before `--`, then exec the rest
    /// (so the whole tree starts inside the cgroups; exit 125 when a join fails).
    static let joinScript =
        #"for f in "$@"; do shift; [ "$f" = -- ] && break; echo $$ > "$f" || exit 125; done; exec "$@""#

    /// ro-binds of the system directories; a top-level symlink (merged /usr: `/bin -> usr/bin`) is
    /// recreated as a symlink, a missing one is skipped.
    static func systemBinds() -> [String] {
        var args = ["--ro-bind", "/usr", "/usr"]
        for dir in ["/lib", "/lib64", "/lib32", "/bin", "/sbin"] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: dir) {
                args += ["--symlink", target, dir]
            } else {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue {
                    args += ["--ro-bind", dir, dir]
                }
            }
        }
        return args
    }

    /// The real installation prefix behind a venv interpreter (`…/versions/3.11.7` for a pyenv python):
    /// the venv's `bin/python` is a symlink chain into it.
    static func pythonPrefix(of python: URL) -> String {
        let real = python.resolvingSymlinksInPath().path
        return URL(fileURLWithPath: real).deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The venv root (parent of `bin/`) as given, not resolved.
    static func venvRoot(of python: URL) -> String {
        python.deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL.path
    }

    struct Inputs {
        var bwrap: String
        var prlimit: String
        /// `setpriv` for the ``deathGuard(setpriv:)``; nil: none.
        var setpriv: String?
        /// dash, for the one-process launcher; nil uses `/bin/sh` + `prlimit`.
        var dash: String?
        var python: URL
        var runtimeDirectory: URL
        var agentFile: URL
        var problemFile: URL
        var outputDirectory: URL
        var proxy: ProxyMount?
        var problemID: String
        var environment: [String: String]
        var limits: SandboxLimits
        var cgroups: RunCgroups
        /// Descriptor (open in the launcher) from which bubblewrap reads the seccomp program.
        var seccompDescriptor: Int32?
    }

    /// Exit status of the dash launcher when a `ulimit` fails.
    static let limitFailureStatus: Int32 = 124

    /// Exit status of the launcher when the process that started it was already gone (see ``deathGuard(setpriv:)``).
    static let orphanedStatus: Int32 = 126

    /// The launcher's first link: `setpriv --pdeathsig KILL --` arms `PR_SET_PDEATHSIG` and execs the rest, and the
    /// signal survives the execs of dash and bubblewrap (neither is set-uid), so bubblewrap itself — whose own
    /// `--die-with-parent` only covers the sandboxed child — is SIGKILLed when the validator dies, even by SIGKILL,
    /// and takes its pid namespace down with it. Spawned from ``LauncherThread`` (the signal follows the spawning
    /// thread). The instant between the spawn and `prctl` is closed by the launcher's `$PPID` check (exit
    /// ``orphanedStatus``: the parent died before the signal was armed); what still escapes is swept at the next
    /// start (``LeftoverSweep``). Empty without `setpriv`.
    static func deathGuard(setpriv: String?) -> [String] {
        guard let setpriv else { return [] }
        return [setpriv, "--pdeathsig", "KILL", "--"]
    }

    /// `sh` test that the launcher's parent is still `parent` (nil: no test).
    static func parentCheck(_ parent: Int32?) -> String {
        parent.map { #"[ "$PPID" = \#($0) ] || exit \#(orphanedStatus); "# } ?? ""
    }

    /// The processes before bubblewrap (or, insecure, python): join the run's cgroups and set the
    /// rlimits (address space, open files, file size, no core dumps, and processes when there is no pids
    /// cgroup) in place, so everything after starts inside them.
    ///
    /// With `dash` this is one process (`dash -c '<join>; ulimit …; exec "$@"'`: dash's `ulimit` sets
    /// soft and hard limits, with `-v` in KiB, `-f` in 512-byte blocks, `-p` for processes); otherwise
    /// `/bin/sh` joins the cgroups (only when there are any) and execs `prlimit`, one exec more per problem.
    /// `parent` (the validator's pid, when a ``deathGuard(setpriv:)`` precedes the launcher) makes the shell exit
    /// ``orphanedStatus`` instead of starting anything when its parent is not that process any more.
    static func launcher(
        limits: SandboxLimits, cgroups: RunCgroups, dash: String?, prlimit: String, parent: Int32? = nil
    ) -> [String] {
        let procs = cgroups.procsFiles
        if let dash {
            var ulimits = [
                "ulimit -v \(limits.addressSpaceBytes / 1024)", "ulimit -n \(limits.maxOpenFiles)",
                "ulimit -f \(limits.maxFileSizeBytes / 512)", "ulimit -c 0",
            ]
            if cgroups.pids == nil { ulimits.append("ulimit -p \(limits.maxProcesses)") }
            let script =
                parentCheck(parent) + #"for f in "$@"; do shift; [ "$f" = -- ] && break; echo $$ > "$f" || exit 125; done; "#
                + ulimits.joined(separator: " && ") + " || exit \(limitFailureStatus); " + #"exec "$@""#
            return [dash, "-c", script, "shoparena-launch"] + procs + ["--"]
        }
        var argv: [String] = []
        if !procs.isEmpty || parent != nil {
            argv += ["/bin/sh", "-c", parentCheck(parent) + joinScript, "shoparena-launch"] + procs + ["--"]
        }
        argv += [
            prlimit, "--as=\(limits.addressSpaceBytes)", "--nofile=\(limits.maxOpenFiles)",
            "--fsize=\(limits.maxFileSizeBytes)", "--core=0",
        ]
        if cgroups.pids == nil { argv.append("--nproc=\(limits.maxProcesses)") }
        return argv + ["--"]
    }

    /// argv (executable first) of the whole launcher.
    static func arguments(_ i: Inputs) -> [String] {
        var argv = deathGuard(setpriv: i.setpriv)
        argv += launcher(
            limits: i.limits, cgroups: i.cgroups, dash: i.dash, prlimit: i.prlimit,
            parent: i.setpriv == nil ? nil : getpid())

        argv += [
            i.bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--uid", "65534", "--gid", "65534",
            "--hostname", "sandbox",
        ]
        if let fd = i.seccompDescriptor { argv += ["--seccomp", "\(fd)"] }
        argv += systemBinds()
        // The private /tmp first: binds below are mounted over it, so an interpreter or venv that
        // lives under the host's /tmp (a checkout in /tmp, say) stays visible inside.
        argv += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev", "--size", "\(i.limits.tmpSizeBytes)", "--tmpfs", "/tmp"]
        let prefix = pythonPrefix(of: i.python)
        let venv = venvRoot(of: i.python)
        argv += ["--ro-bind", prefix, prefix]
        if venv != prefix && !venv.hasPrefix(prefix + "/") { argv += ["--ro-bind", venv, venv] }
        argv += ["--ro-bind", i.runtimeDirectory.standardizedFileURL.path, runtimePath]
        argv += ["--ro-bind", i.agentFile.standardizedFileURL.path, agentPath]
        argv += ["--ro-bind", i.problemFile.path, problemPath]
        argv += ["--bind", i.outputDirectory.path, outputDirectory]
        var sandboxSocket: String?
        switch i.proxy {
        case .socket(let socket)?:
            argv += ["--bind", socket, socketPath]
            sandboxSocket = socketPath
        case .directory(let directory, let socketName)?:
            // Read-only: connecting to a socket needs no write access to the mount, and the agent cannot
            // leave anything in the host's folder. The socket may appear after the sandbox started.
            argv += ["--ro-bind", directory, proxyDirectoryPath]
            sandboxSocket = "\(proxyDirectoryPath)/\(socketName)"
        case nil:
            break
        }
        argv += ["--remount-ro", "/", "--chdir", "/tmp", "--clearenv"]
        var env = i.environment
        env["PATH"] = "/usr/bin:/bin"
        env["HOME"] = "/tmp"
        env["LANG"] = env["LANG"] ?? "C.UTF-8"
        env["TMPDIR"] = "/tmp"
        for key in env.keys.sorted() { argv += ["--setenv", key, env[key]!] }
        argv += ["--", i.python.standardizedFileURL.path]
        argv += harnessArguments(
            runtime: runtimePath, agent: agentPath, problem: problemPath, output: "\(outputDirectory)/result.json",
            socket: sandboxSocket, problemID: i.problemID)
        return argv
    }

    /// The harness invocation (`python/README.md`).
    static func harnessArguments(
        runtime: String, agent: String, problem: String, output: String, socket: String?, problemID: String
    ) -> [String] {
        var args = ["-I", "-B", "\(runtime)/run_harness.py", "--agent", agent, "--problem", problem, "--output", output]
        if let socket { args += ["--proxy-socket", socket] }
        args += ["--problem-id", problemID]
        return args
    }
}
