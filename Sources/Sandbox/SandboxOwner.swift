import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process that owns sandbox runs on this host, named by its pid and its start time (clock ticks since
/// boot, field 22 of `/proc/<pid>/stat`), so a reused pid never passes for the owner.
///
/// Every runner puts its runs under `<work folder>/owner-<pid>-<start>/` (holding the pid file `owner.pid`), names
/// their cgroups `owner-<pid>-<start>-run-…` and their proxy folders `<work folder>/p<pid>-<random>` (short: the
/// proxy's socket path must fit a Unix socket address): whatever a SIGKILLed process leaves behind — run folders,
/// proxy folders, cgroups, a sandbox that escaped the parent-death signal — is found by these names and swept by
/// the next runner on the same work folder (``LeftoverSweep``).
struct SandboxOwner: Sendable, Hashable {
    /// Prefix of owner folders and of the cgroups of their runs.
    static let prefix = "owner-"
    /// The pid file inside an owner folder: `<pid> <start ticks>`.
    static let pidFileName = "owner.pid"
    /// Present in an owner folder whose runs keep their artifacts: the sweep then keeps the folder.
    static let keepFileName = "keep-artifacts"

    let pid: pid_t
    let startTicks: UInt64

    /// This process.
    static let current = SandboxOwner(pid: getpid(), startTicks: startTicks(of: getpid()) ?? 0)

    /// `owner-<pid>-<start ticks>`: the owner folder's name and the prefix of its runs' cgroups.
    var name: String { "\(Self.prefix)\(pid)-\(startTicks)" }

    init(pid: pid_t, startTicks: UInt64) {
        self.pid = pid
        self.startTicks = startTicks
    }

    /// Parses a folder name made by ``name``; nil for anything else.
    init?(name: String) {
        guard name.hasPrefix(Self.prefix) else { return nil }
        let parts = name.dropFirst(Self.prefix.count).split(separator: "-")
        guard parts.count == 2, let pid = pid_t(parts[0]), let ticks = UInt64(parts[1]) else { return nil }
        self.init(pid: pid, startTicks: ticks)
    }

    /// Parses a pid file written by ``claim(in:keepArtifacts:)``.
    init?(pidFile: String) {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, let pid = pid_t(parts[0]), let ticks = UInt64(parts[1]) else { return nil }
        self.init(pid: pid, startTicks: ticks)
    }

    /// Prefix of this owner's proxy folders in the work folder: `p<pid>-`.
    var proxyFolderPrefix: String { "p\(pid)-" }

    /// A fresh proxy folder name, `p<pid>-<random>`: at most 17 bytes, no longer than the `proxy-<random>` it replaces.
    func proxyFolderName() -> String {
        proxyFolderPrefix + String(UInt64.random(in: 0..<(1 << 40)), radix: 36)
    }

    /// The pid of a proxy folder name made by ``proxyFolderName()``; nil for anything else.
    static func proxyFolderPid(_ name: String) -> pid_t? {
        guard name.hasPrefix("p"), let dash = name.firstIndex(of: "-") else { return nil }
        return pid_t(name[name.index(after: name.startIndex)..<dash])
    }

    /// Whether the process still runs: its pid exists, is not a zombie, and started when the owner did.
    var isAlive: Bool { Self.startTicks(of: pid) == startTicks }

    /// Start time of a live process in clock ticks since boot; nil when it does not exist or is a zombie.
    static func startTicks(of pid: pid_t) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": state is field 3, start time field 22, i.e. the 20th after the comm.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }

    /// Creates (or reuses) this owner's folder in `work` with its pid file, and returns it.
    func claim(in work: URL, keepArtifacts: Bool) throws(SandboxError) -> URL {
        let directory = work.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data("\(pid) \(startTicks)\n".utf8).write(to: directory.appendingPathComponent(Self.pidFileName))
            if keepArtifacts {
                try Data().write(to: directory.appendingPathComponent(Self.keepFileName))
            }
        } catch {
            throw .setupFailed("cannot create the sandbox owner folder \(directory.path): \(error)")
        }
        return directory
    }
}
