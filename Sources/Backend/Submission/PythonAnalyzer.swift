import ArenaModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Something that judges a submitted file. The backend uses `PythonAnalyzer`; tests may substitute one.
public protocol SubmissionAnalyzer: Sendable {
    func analyze(_ code: [UInt8]) async throws(AnalyzerError) -> CodeAnalysisReport
}

/// Why the analyzer could not give a verdict (a server-side problem, not the miner's file).
public enum AnalyzerError: Error, Equatable, Sendable, CustomStringConvertible {
    case launchFailed(executable: String, errno: Int32)
    case io(String)
    case unreadableOutput(exitStatus: Int32, stderrTail: String)

    public var description: String {
        switch self {
        case .launchFailed(let executable, let code):
            "cannot start the code analyzer '\(executable)': \(String(cString: strerror(code))) "
                + "(set pythonExecutable / pythonRuntimePath)"
        case .io(let what): "code analyzer I/O failed: \(what)"
        case .unreadableOutput(let status, let tail):
            "the code analyzer exited with status \(status) without a result: \(tail)"
        }
    }
}

/// Runs `python3 -m shoparena_runtime.analyze -` with `PYTHONPATH` = the runtime folder, the file on stdin.
///
/// The analyzer itself analyses in a grandchild interpreter with a time and memory limit (`analyze_isolated`).
/// Here the child is spawned with `posix_spawn` in its own process group; stdin, stdout and stderr are
/// temporary files rather than pipes, so nothing can block on a full pipe or on a grandchild that keeps an
/// inherited descriptor open. We poll `waitpid` until `timeout` (+ a grace period covering the analyzer's own
/// limit and interpreter start-up), then kill the whole process group: a timeout becomes an ANALYSIS_FAILED
/// file error. At most `maxOutputBytes` of output are read.
public struct PythonAnalyzer: SubmissionAnalyzer {
    public var executable: String
    public var runtimePath: String
    public var timeoutSeconds: Double
    public var graceSeconds: Double = 5
    public var maxOutputBytes = 8 << 20

    public init(executable: String, runtimePath: String, timeoutSeconds: Double) {
        self.executable = executable
        self.runtimePath = runtimePath
        self.timeoutSeconds = timeoutSeconds
    }

    public init(settings: BackendSettings) {
        self.init(executable: settings.pythonExecutable, runtimePath: settings.pythonRuntimePath,
                  timeoutSeconds: settings.analyzerTimeoutSeconds)
    }

    public func analyze(_ code: [UInt8]) async throws(AnalyzerError) -> CodeAnalysisReport {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-analyze-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
            try Data(code).write(to: dir.appendingPathComponent("input.py"))
        } catch {
            throw .io("cannot write the temporary input: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputPath = dir.appendingPathComponent("input.py").path
        let stdoutPath = dir.appendingPathComponent("stdout").path
        let stderrPath = dir.appendingPathComponent("stderr").path

        let pid = try spawn(stdin: inputPath, stdout: stdoutPath, stderr: stderrPath)
        let deadline = ContinuousClock.now + .milliseconds(Int64((timeoutSeconds + graceSeconds) * 1000))
        var status: Int32 = 0
        var timedOut = false
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done == -1, errno != EINTR { throw .io("waitpid failed: \(String(cString: strerror(errno)))") }
            if ContinuousClock.now >= deadline {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) == -1, errno == EINTR {}
                timedOut = true
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        // The analyzer's grandchild is in the same group; make sure nothing outlives the request.
        kill(-pid, SIGKILL)
        if timedOut {
            return CodeAnalysisReport(
                fileError: .init(code: "ANALYSIS_FAILED", message: "analysis exceeded \(Int(timeoutSeconds)) s", line: nil),
                violations: [])
        }
        let output = Self.readPrefix(stdoutPath, limit: maxOutputBytes)
        let exit = Self.exitCode(status)
        if let output, output.count < maxOutputBytes,
           let json = try? JSONParser.parse(utf8: output), let report = CodeAnalysisReport(json: json) {
            return report
        }
        let tail = Self.readPrefix(stderrPath, limit: 1 << 16).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let lastLine = tail.split(whereSeparator: \.isNewline).last.map { String($0.prefix(300)) } ?? ""
        throw .unreadableOutput(exitStatus: exit, stderrTail: lastLine)
    }

    private func spawn(stdin: String, stdout: String, stderr: String) throws(AnalyzerError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = ProcessInfo.processInfo.environment
        let existing = environment["PYTHONPATH"].map { ":" + $0 } ?? ""
        environment["PYTHONPATH"] = runtimePath + existing
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment["PYTHONUTF8"] = "1"
        let arguments = [executable, "-m", "shoparena_runtime.analyze", "-"]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw .launchFailed(executable: executable, errno: result) }
        return pid
    }

    private static func readPrefix(_ path: String, limit: Int) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit) else { return [] }
        return [UInt8](data)
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        // WIFEXITED / WEXITSTATUS are macros Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : -signal
    }
}
