import Foundation

/// A `shoparena` child process of a fault bench (`serve` or `validator`): started with its arguments and extra
/// environment, its output appended to a shared log, stopped with a signal by pid — SIGKILL is the point.
final class BenchChild: @unchecked Sendable {
    private let process = Process()

    /// How a child ended.
    enum Exit: Equatable {
        case code(Int32)
        case signal(Int32)
    }

    init(binary: URL, arguments: [String], environment: [String: String], log: URL) throws {
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }  // the child holds its own copy
        try handle.seekToEnd()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func signal(_ signal: Int32) { if process.isRunning { kill(process.processIdentifier, signal) } }

    /// Waits up to `seconds` for the child to end; nil when it is still running.
    func wait(seconds: Double) async -> Exit? {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while process.isRunning {
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationReason == .uncaughtSignal ? .signal(process.terminationStatus) : .code(process.terminationStatus)
    }

    /// SIGTERM, then SIGKILL if it has not ended after `grace` seconds.
    func stop(grace: Double = 10) async {
        signal(SIGTERM)
        if await wait(seconds: grace) == nil {
            signal(SIGKILL)
            _ = await wait(seconds: 10)
        }
    }
}

/// What a bench leaves behind on the host: processes whose command line names the bench's folder, and cgroups
/// created under the sandbox's `shoparena` parents since a snapshot.
struct HostLeftovers {
    /// Live processes (other than this one and its ancestors, e.g. a `time` wrapper given `--dir`) whose command
    /// line mentions `folder`.
    static func processes(mentioning folder: String) -> [Int32] {
        var mine: Set<Int32> = [getpid()]
        var parent = getppid()
        while parent > 1, mine.insert(parent).inserted {
            let stat = (try? String(contentsOfFile: "/proc/\(parent)/stat", encoding: .utf8)) ?? ""
            parent = stat.split(separator: ")").last?.split(separator: " ").dropFirst().first.flatMap { Int32($0) } ?? 1
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard !mine.contains(pid), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let text = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return text.contains(folder)
        }
    }

    /// `(state, parent pid) command line` of a process, for the bench's log of what was left running.
    static func describe(_ pid: Int32) -> String {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            .map { String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self) } ?? ""
        return "(\(fields.first ?? "?"), ppid \(fields.dropFirst().first ?? "?")) " + command.prefix(300)
    }

    /// The pid of the process whose sandbox made run cgroup `path` (`…/owner-<pid>-<start>-run-…`); nil for a group
    /// not named after its owner.
    static func owner(of path: String) -> Int32? {
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        guard name.hasPrefix("owner-") else { return nil }
        return name.dropFirst("owner-".count).split(separator: "-").first.flatMap { Int32($0) }
    }

    /// The run cgroups now present under the sandbox's memory and pids parents (`…/shoparena/<run>`).
    static func cgroups() -> Set<String> {
        let lines = ((try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? "").split(separator: "\n")
        var found = Set<String>()
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for controller in parts[1].split(separator: ",") where controller == "memory" || controller == "pids" {
                let base = "/sys/fs/cgroup/\(controller)" + (parts[2] == "/" ? "" : String(parts[2])) + "/shoparena"
                for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
                where !name.hasPrefix("probe") {
                    var isDirectory: ObjCBool = false
                    if FileManager.default.fileExists(atPath: base + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue {
                        found.insert(base + "/" + name)
                    }
                }
            }
        }
        return found
    }
}
