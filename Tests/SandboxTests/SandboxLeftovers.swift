import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a finished run may have left behind on the host: processes whose command line carries the run's
/// marker (the problem id is on the harness's command line; agents put it on their children's) and
/// cgroups named after the problem (`owner-<pid>-<start>-run-<problem id>-…` under `…/shoparena/`).
enum SandboxLeftovers {
    static func processes(marker: String) -> [pid_t] {
        SandboxFixture.processes(containing: marker)
    }

    /// Run cgroups of `problemID` still present in the memory and pids hierarchies.
    static func cgroups(problemID: String) -> [String] {
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        var found: [String] = []
        for line in own.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for controller in parts[1].split(separator: ",") where controller == "memory" || controller == "pids" {
                let path = parts[2] == "/" ? "" : String(parts[2])
                let base = "/sys/fs/cgroup/\(controller)\(path)/shoparena"
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
                found += entries.filter { $0.hasPrefix("owner-") && $0.contains("-run-\(problemID)-") }.map { "\(base)/\($0)" }
            }
        }
        return found
    }

    /// A unique problem id for one test (also the process marker).
    static func uniqueID(_ name: String) -> String {
        "\(name)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

    /// Nothing of the run is left: no process with the marker, no cgroup of the problem. Processes get a
    /// short grace to be reaped by the kernel after the pid namespace died.
    static func nothingLeft(problemID: String, marker: String? = nil) async -> (processes: [pid_t], cgroups: [String]) {
        var pids: [pid_t] = []
        for _ in 0..<20 {
            pids = processes(marker: marker ?? problemID).filter { !isZombie($0) }
            if pids.isEmpty { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return (pids, cgroups(problemID: problemID))
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
