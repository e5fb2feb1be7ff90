import ArenaModel
import Foundation
import Subprocess
import SystemPackage

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

/// Runs `python3 -m shoparena_runtime.analyze -` with `PYTHONPATH` = the runtime folder, the file on stdin: the
/// one analyzer runner, used by the backend's submission check and by `shoparena eval`'s agent check.
///
/// The analyzer itself analyses in a grandchild interpreter with a time and memory limit (`analyze_isolated`).
/// Here the child is started with swift-subprocess in its own process group; stdin, stdout and stderr are
/// temporary files rather than pipes, so nothing can block on a full pipe or on a grandchild that keeps an
/// inherited descriptor open. At `timeout` (+ a grace period covering the analyzer's own limit and interpreter
/// start-up) the whole process group is killed: a timeout becomes an ANALYSIS_FAILED file error. At most
/// `maxOutputBytes` of output are read.
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
        let stdoutPath = dir.appendingPathComponent("stdout").path
        let stderrPath = dir.appendingPathComponent("stderr").path

        let (exit, timedOut) = try await run(input: dir.appendingPathComponent("input.py").path,
                                             stdout: stdoutPath, stderr: stderrPath)
        if timedOut {
            return CodeAnalysisReport(
                fileError: .init(code: "ANALYSIS_FAILED", message: "analysis exceeded \(Int(timeoutSeconds)) s", line: nil),
                violations: [])
        }
        let output = Self.readPrefix(stdoutPath, limit: maxOutputBytes)
        if let output, output.count < maxOutputBytes,
           let json = try? JSONParser.parse(utf8: output), let report = CodeAnalysisReport(json: json) {
            return report
        }
        let tail = Self.readPrefix(stderrPath, limit: 1 << 16).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let lastLine = tail.split(whereSeparator: \.isNewline).last.map { String($0.prefix(300)) } ?? ""
        throw .unreadableOutput(exitStatus: exit, stderrTail: lastLine)
    }

    /// Starts the analyzer in its own process group with the three files as stdin / stdout / stderr, kills the
    /// group at the deadline, and returns the exit code (or -signal) and whether the deadline struck.
    private func run(input: String, stdout: String, stderr: String) async throws(AnalyzerError) -> (Int32, Bool) {
        let files = try Self.open(input: input, stdout: stdout, stderr: stderr)
        var environment = ProcessInfo.processInfo.environment
        let existing = environment["PYTHONPATH"].map { ":" + $0 } ?? ""
        environment["PYTHONPATH"] = runtimePath + existing
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment["PYTHONUTF8"] = "1"
        var options = PlatformOptions()
        options.processGroupID = 0
        let started = ProcessGroup()
        let limit = Duration.milliseconds(Int64((timeoutSeconds + graceSeconds) * 1000))
        let timer = Task {
            try await Task.sleep(for: limit)
            await started.kill(timedOut: true)
        }
        defer { timer.cancel() }
        let status: TerminationStatus
        do {
            status = try await Subprocess.run(
                executable.contains("/") ? .path(FilePath(executable)) : .name(executable),
                arguments: ["-m", "shoparena_runtime.analyze", "-"],
                environment: .custom(Dictionary(uniqueKeysWithValues: environment.compactMap { key, value in
                    Environment.Key(rawValue: key).map { ($0, value) } })),
                platformOptions: options,
                input: FileDescriptorInput.fileDescriptor(files.input, closeAfterSpawningProcess: true),
                output: FileDescriptorOutput.fileDescriptor(files.output, closeAfterSpawningProcess: true),
                error: FileDescriptorOutput.fileDescriptor(files.error, closeAfterSpawningProcess: true)
            ) { execution in
                await started.record(execution.processIdentifier.value)
            }.terminationStatus
        } catch {
            throw .launchFailed(executable: executable,
                                errno: (error as? SubprocessError)?.underlyingError.map { $0.rawValue } ?? ENOENT)
        }
        timer.cancel()
        // The analyzer's grandchild is in the same group; make sure nothing outlives the request.
        let deadlineStruck = await started.kill(timedOut: false)
        // The exit status, not the timer, says whether the deadline cut the analysis short: on a machine whose
        // cooperative threads are all busy the timer task and the exit can be resumed in either order, and an
        // analyzer that exited on its own in time must not be reported as timed out.
        switch status {
        case .exited(let code): return (code, false)
        case .signaled(let signal): return (-signal, deadlineStruck && signal == SIGKILL)
        }
    }

    private static func open(input: String, stdout: String, stderr: String) throws(AnalyzerError)
        -> (input: FileDescriptor, output: FileDescriptor, error: FileDescriptor)
    {
        do {
            let inputFD = try FileDescriptor.open(FilePath(input), .readOnly)
            let outputFD = try FileDescriptor.open(FilePath(stdout), .writeOnly, options: [.create, .truncate],
                                                   permissions: [.ownerReadWrite])
            let errorFD = try FileDescriptor.open(FilePath(stderr), .writeOnly, options: [.create, .truncate],
                                                  permissions: [.ownerReadWrite])
            return (inputFD, outputFD, errorFD)
        } catch {
            throw .io("cannot open the analyzer's files: \(error)")
        }
    }

    private static func readPrefix(_ path: String, limit: Int) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit) else { return [] }
        return [UInt8](data)
    }
}
