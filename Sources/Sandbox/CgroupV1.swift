import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The cgroup v1 `memory` and `pids` hierarchies this process may create child groups in.
///
/// Groups are nested under the cgroup this process already belongs to (read from `/proc/self/cgroup`),
/// so the host's accounting of this process still covers its sandboxes.
struct CgroupV1Hosts: Sendable, Hashable {
    /// Parent directory for memory groups, e.g. `/sys/fs/cgroup/memory/<ours>/shoparena`; nil when unusable.
    var memory: String?
    /// Parent directory for pids groups; nil when unusable.
    var pids: String?

    /// Probes `/proc/self/cgroup` and `/sys/fs/cgroup/{memory,pids}`; a controller counts only when a
    /// child group can actually be created there.
    static func detect(root: String = "/sys/fs/cgroup") -> CgroupV1Hosts {
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        var paths: [String: String] = [:]
        for line in own.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for controller in parts[1].split(separator: ",") { paths[String(controller)] = String(parts[2]) }
        }
        func usable(_ controller: String, file: String) -> String? {
            let mount = "\(root)/\(controller)"
            guard FileManager.default.fileExists(atPath: "\(mount)/cgroup.procs") else { return nil }
            let base = mount + (paths[controller].map { $0 == "/" ? "" : $0 } ?? "") + "/shoparena"
            _ = mkdir(base, 0o755)
            let probe = "\(base)/probe-\(getpid())"
            guard mkdir(probe, 0o755) == 0 || errno == EEXIST else { return nil }
            defer { rmdir(probe) }
            return FileManager.default.fileExists(atPath: "\(probe)/\(file)") ? base : nil
        }
        return CgroupV1Hosts(memory: usable("memory", file: "memory.limit_in_bytes"), pids: usable("pids", file: "pids.max"))
    }
}

/// The cgroups of one sandboxed run: created with their limits before the launch, joined by the
/// launcher shell (`echo $$ > cgroup.procs`), emptied and removed afterwards.
///
/// Cost note: creating the groups takes ~0.2 ms, but the launcher's first join waits for an RCU grace
/// period unless another join happened just before (~11 ms p50 measured on the 2-core dev VM): the
/// largest single item of a sandbox's start. Joining the starting tree from the runner while bubblewrap
/// and Python set up (harness waiting at a gate) was tried and reverted (commit f6a9f82, reverted in the
/// next one): walking the tree through procfs `children` is not race-free, and one limit test saw a
/// process escape. A safe version needs a full `/proc` scan as the final check, or the host's cgroup
/// `favordynmods` mount option, which makes joins cheap for every process.
struct RunCgroups: Sendable {
    var memory: String?
    var pids: String?

    /// The `cgroup.procs` files the launcher must join.
    var procsFiles: [String] { [memory, pids].compactMap { $0.map { "\($0)/cgroup.procs" } } }

    static func create(hosts: CgroupV1Hosts, name: String, limits: SandboxLimits) throws(SandboxError) -> RunCgroups {
        var groups = RunCgroups()
        do {
            if let base = hosts.memory {
                let dir = "\(base)/\(name)"
                try makeGroup(dir)
                groups.memory = dir
                try write("\(limits.memoryBytes)", to: "\(dir)/memory.limit_in_bytes")
                if FileManager.default.fileExists(atPath: "\(dir)/memory.memsw.limit_in_bytes") {
                    try write("\(limits.memoryBytes)", to: "\(dir)/memory.memsw.limit_in_bytes")
                }
            }
            if let base = hosts.pids {
                let dir = "\(base)/\(name)"
                try makeGroup(dir)
                groups.pids = dir
                try write("\(limits.maxProcesses)", to: "\(dir)/pids.max")
            }
        } catch {
            groups.destroy()
            throw error
        }
        return groups
    }

    /// Pids still in the run's groups (host pid namespace).
    func members() -> [pid_t] {
        var out = Set<pid_t>()
        for file in procsFiles {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") { if let p = pid_t(line) { out.insert(p) } }
        }
        return out.sorted()
    }

    /// Sends `signal` to every member.
    func signalAll(_ signal: Int32) {
        for pid in members() { kill(pid, signal) }
    }

    /// How many times the memory cgroup's OOM killer fired (0 without a memory group).
    func oomKills() -> Int {
        guard let memory else { return 0 }
        let text = (try? String(contentsOfFile: "\(memory)/memory.oom_control", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst("oom_kill ".count)) ?? 0
        }
        return 0
    }

    /// SIGKILLs any remaining member and removes the groups (retrying briefly while the kernel
    /// finishes tearing the processes down).
    func destroy() {
        for _ in 0..<100 {
            let left = members()
            if left.isEmpty { break }
            left.forEach { kill($0, SIGKILL) }
            usleep(10_000)
        }
        for dir in [memory, pids].compactMap({ $0 }) {
            for _ in 0..<50 {
                if rmdir(dir) == 0 || errno == ENOENT { break }
                usleep(10_000)
            }
        }
    }

    private static func makeGroup(_ dir: String) throws(SandboxError) {
        guard mkdir(dir, 0o755) == 0 else {
            throw .setupFailed("cannot create cgroup \(dir): \(String(cString: strerror(errno)))")
        }
    }

    private static func write(_ value: String, to file: String) throws(SandboxError) {
        let fd = open(file, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .setupFailed("cannot open \(file): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let ok = value.withCString { ptr in Glibc.write(fd, ptr, strlen(ptr)) >= 0 }
        guard ok else { throw .setupFailed("cannot write \(value) to \(file): \(String(cString: strerror(errno)))") }
    }
}
