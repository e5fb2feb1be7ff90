import Foundation
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `shoparena` child process of a fault bench (`serve` or `validator`): started with swift-subprocess (as every
/// child outside the sandbox is) with its arguments and extra environment, its stdout and stderr appended to a shared
/// log, stopped with a signal by pid — SIGKILL is the point.
///
/// `Subprocess.run` is awaited by a task of its own for the child's whole life: the body hands the pid over and
/// returns, the run then waits for the exit (reaping the child), and the task records it for ``wait(seconds:)``.
final class BenchChild: Sendable {
    /// How a child ended.
    enum Exit: Equatable, Sendable {
        case code(Int32)
        case signal(Int32)
    }

    /// What the runner task learnt: how the child ended, or why it could not start.
    private final class Outcome: Sendable {
        let exit = Mutex<Exit?>(nil)
        let launchError = Mutex<(any Error)?>(nil)
    }

    /// The child's pid (valid until it has been waited for).
    let pid: Int32
    private let outcome: Outcome

    /// Starts `binary arguments…` with this process's environment plus `environment`; stdin is /dev/null. Throws when
    /// the log cannot be opened or the child cannot be started.
    init(binary: URL, arguments: [String], environment: [String: String], log: URL) async throws {
        let path = FilePath(log.path)
        // Two descriptors in append mode: each is closed once spawned (the child holds its own copies).
        let outFD = try FileDescriptor.open(path, .writeOnly, options: [.create, .append], permissions: [.ownerReadWrite])
        let errFD: FileDescriptor
        do {
            errFD = try FileDescriptor.open(path, .writeOnly, options: [.create, .append], permissions: [.ownerReadWrite])
        } catch {
            try? outFD.close()
            throw error
        }
        let outcome = Outcome()
        let (started, pidSink) = AsyncStream.makeStream(of: Int32.self)
        let updates = Dictionary(uniqueKeysWithValues: environment.compactMap { key, value in
            Environment.Key(rawValue: key).map { ($0, Optional(value)) } })
        let runner = Task {
            do {
                let status = try await Subprocess.run(
                    .path(FilePath(binary.path)), arguments: Arguments(arguments), environment: .inherit.updating(updates),
                    input: .none,
                    output: FileDescriptorOutput.fileDescriptor(outFD, closeAfterSpawningProcess: true),
                    error: FileDescriptorOutput.fileDescriptor(errFD, closeAfterSpawningProcess: true)
                ) { execution in
                    pidSink.yield(execution.processIdentifier.value)
                    pidSink.finish()
                }.terminationStatus
                outcome.exit.withLock {
                    switch status {
                    case .exited(let code): $0 = .code(code)
                    case .signaled(let signal): $0 = .signal(signal)
                    }
                }
            } catch {
                outcome.launchError.withLock { $0 = error }
                pidSink.finish()
            }
        }
        var pid: Int32?
        for await value in started { pid = value }
        guard let pid else {
            await runner.value
            throw outcome.launchError.withLock { $0 } ?? CancellationError()
        }
        self.pid = pid
        self.outcome = outcome
    }

    /// Sends `signal` to the child unless it has already been reaped.
    func signal(_ signal: Int32) { if outcome.exit.withLock({ $0 }) == nil { kill(pid, signal) } }

    /// Waits up to `seconds` for the child to end; nil when it is still running.
    func wait(seconds: Double) async -> Exit? {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while true {
            if let ended = outcome.exit.withLock({ $0 }) { return ended }
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
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
            // The folder as a path (an argument or a prefix of one), not any text that starts like it: a process
            // writing `/tmp/run.log` does not mention the folder `/tmp/run`.
            return text.contains(folder + "/") || text.contains(folder + " ")
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
