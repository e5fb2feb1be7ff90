import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Moves a starting sandbox into its cgroups off the critical path, then lets the agent run.
///
/// Joining a cgroup v1 hierarchy (`echo $pid > cgroup.procs`) waits for an RCU grace period when no
/// other join happened just before: about 10 ms per problem, the largest single cost of a sandbox's
/// start when the launcher did it before `exec`ing bubblewrap. Instead the sandbox starts at once and the
/// runner joins its processes while bubblewrap and Python set up; the harness waits on a socket (the
/// gate, descriptor 3) right before it imports the agent, and the runner opens the gate only when every
/// process of the tree is in the cgroups. Nothing the agent starts can escape them: everything before the
/// gate is bubblewrap and the harness, and every later process descends from one that was already moved.
struct CgroupGate: Sendable {
    /// The runner's end of the socket pair.
    let hostEnd: Int32
    /// The sandbox's end, before it is dup'ed to ``descriptor`` in the child.
    let sandboxEnd: Int32

    /// The descriptor the harness reads the go byte from (`--gate-fd`).
    static let descriptor: Int32 = 3

    /// A close-on-exec socket pair, both ends above 9 so they never collide with the child's fixed descriptors.
    static func make() throws(SandboxError) -> CgroupGate {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw .setupFailed("cannot create the sandbox gate: \(String(cString: strerror(errno)))")
        }
        let high = fds.map { fd -> Int32 in
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
            close(fd)
            return moved
        }
        guard high.allSatisfy({ $0 >= 0 }) else {
            high.filter { $0 >= 0 }.forEach { close($0) }
            throw .setupFailed("cannot create the sandbox gate: \(String(cString: strerror(errno)))")
        }
        return CgroupGate(hostEnd: high[0], sandboxEnd: high[1])
    }

    /// After the spawn: the child has its own copy of the sandbox end.
    func closeSandboxEnd() { close(sandboxEnd) }

    /// Lets the harness go on (a closed gate without the byte makes it exit without running the agent).
    func open() {
        var byte: UInt8 = 1
        _ = send(hostEnd, &byte, 1, Int32(MSG_NOSIGNAL))
        close(hostEnd)
    }

    /// Closes the runner's end without letting the agent run.
    func abandon() { close(hostEnd) }

    /// Joins `root` and all its descendants to every group of `cgroups`, repeating until a pass finds no
    /// process it has not moved yet (a process that forked meanwhile is caught by the next pass; later
    /// children inherit the groups). nil on success, else why not.
    static func join(root: pid_t, cgroups: RunCgroups) -> String? {
        var moved = Set<pid_t>()
        for _ in 0..<64 {
            let tree = processTree(root: root)
            let fresh = tree.filter { !moved.contains($0) }
            if fresh.isEmpty { return nil }
            for pid in fresh {
                for file in cgroups.procsFiles {
                    if let problem = write(pid, to: file) { return problem }
                }
                moved.insert(pid)
            }
        }
        return "the sandbox's processes kept changing while they were moved into their cgroups"
    }

    /// `root` and its descendants (host pids), from `/proc/<pid>/task/<tid>/children`.
    static func processTree(root: pid_t) -> [pid_t] {
        var out: [pid_t] = []
        var queue: [pid_t] = [root]
        while let pid = queue.popLast() {
            guard kill(pid, 0) == 0 || errno == EPERM else { continue }
            out.append(pid)
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            for task in tasks {
                let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
                queue += text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
        return out
    }

    /// Whether this kernel lists children in procfs (`CONFIG_PROC_CHILDREN`), which ``processTree(root:)`` needs.
    static var supported: Bool {
        FileManager.default.fileExists(atPath: "/proc/self/task/\(getpid())/children")
    }

    /// One `cgroup.procs` write; a process that already ended is not an error.
    private static func write(_ pid: pid_t, to file: String) -> String? {
        let fd = Glibc.open(file, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return "cannot open \(file): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        let text = "\(pid)"
        let ok = text.withCString { Glibc.write(fd, $0, strlen($0)) >= 0 }
        if ok || errno == ESRCH { return nil }
        return "cannot move process \(pid) into \(file): \(String(cString: strerror(errno)))"
    }
}
