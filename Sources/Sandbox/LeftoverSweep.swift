import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Removes what dead owners left in a work folder: a validator SIGKILLed mid-problem cannot destroy its run
/// cgroups or folders, and a sandbox it started in the instant before the parent-death signal was armed may
/// still run. Run by every ``SandboxRunner`` when it is created (so at validator start).
///
/// Only owners recognised by their folder (``SandboxOwner``: `owner-<pid>-<start>/owner.pid`) whose process is
/// gone are touched — never a live process's runs, never cgroups without an owner's prefix (other tools' or
/// older versions' groups). For each: every process whose command line names the owner folder is SIGKILLed
/// (the launchers and bubblewrap; the sandboxed tree dies with bubblewrap's pid namespace), every member of
/// its run cgroups is SIGKILLed and the groups are removed, then the folder is removed (renamed
/// `kept-<owner>` when its runs kept their artifacts). Proxy folders `p<pid>-…` of pids that no longer run are
/// removed too.
public struct LeftoverSweep: Sendable {
    /// What one sweep removed.
    public struct Report: Sendable, Equatable {
        /// Dead owners whose leftovers were swept.
        public var owners = 0
        /// Processes SIGKILLed (launchers, bubblewrap and cgroup members).
        public var processes = 0
        /// Run cgroups removed (a run's memory and pids groups count as two).
        public var cgroups = 0

        public init() {}

        public var isEmpty: Bool { owners == 0 && processes == 0 && cgroups == 0 }
    }

    /// Sweeps the dead owners in `workDirectory`; `current` is never swept.
    static func sweep(workDirectory: URL, hosts: CgroupV1Hosts, current: SandboxOwner = .current) -> Report {
        var report = Report()
        let fm = FileManager.default
        let entries = (try? fm.contentsOfDirectory(atPath: workDirectory.path)) ?? []
        for entry in entries where entry.hasPrefix(SandboxOwner.prefix) {
            let folder = workDirectory.appendingPathComponent(entry)
            // The pid file is the owner's word; the folder name (same content) covers a pid file not yet written.
            guard
                let owner = SandboxOwner(pidFile: folder.appendingPathComponent(SandboxOwner.pidFileName).path)
                    ?? SandboxOwner(name: entry),
                owner != current, !owner.isAlive
            else { continue }
            report.owners += 1
            report.processes += killProcesses(mentioning: folder.path + "/")
            let cgroups = ownedCgroups(prefix: entry + "-", hosts: hosts)
            for group in cgroups {
                report.processes += group.members().count
                group.destroy()
            }
            report.cgroups += cgroups.reduce(0) { $0 + ($1.memory == nil ? 0 : 1) + ($1.pids == nil ? 0 : 1) }
            if fm.fileExists(atPath: folder.appendingPathComponent(SandboxOwner.keepFileName).path) {
                try? fm.removeItem(at: folder.appendingPathComponent(SandboxOwner.pidFileName))
                try? fm.moveItem(at: folder, to: workDirectory.appendingPathComponent("kept-" + entry))
            } else {
                try? fm.removeItem(at: folder)
            }
        }
        // Proxy folders (empty but for a stale socket) of processes that are gone; their pid alone names them.
        for entry in entries {
            guard let pid = SandboxOwner.proxyFolderPid(entry), pid != current.pid, SandboxOwner.startTicks(of: pid) == nil
            else { continue }
            try? fm.removeItem(at: workDirectory.appendingPathComponent(entry))
        }
        return report
    }

    /// The run cgroups named `<prefix>…` under the memory and pids parents, one ``RunCgroups`` per run name.
    static func ownedCgroups(prefix: String, hosts: CgroupV1Hosts) -> [RunCgroups] {
        var byName: [String: RunCgroups] = [:]
        func scan(_ base: String?, _ assign: (inout RunCgroups, String) -> Void) {
            guard let base else { return }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix(prefix) {
                assign(&byName[name, default: RunCgroups()], "\(base)/\(name)")
            }
        }
        scan(hosts.memory) { $0.memory = $1 }
        scan(hosts.pids) { $0.pids = $1 }
        return byName.keys.sorted().compactMap { byName[$0] }
    }

    /// SIGKILLs every live process (not this one) whose command line contains `text`; returns how many.
    static func killProcesses(mentioning text: String) -> Int {
        let me = getpid()
        var killed = 0
        for pid in ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap({ pid_t($0) })
        where pid != me {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { continue }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            if line.contains(text), kill(pid, SIGKILL) == 0 { killed += 1 }
        }
        return killed
    }
}
