import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The interpreter the submission analyzer should start: the configured one, or — when that is a script such as a
/// pyenv shim (`#!/usr/bin/env bash` … `exec pyenv exec python3`) — the interpreter the script runs, asked once.
///
/// Every submission starts the analyzer, and a shim is a shell script that runs `pyenv` before Python: on this
/// project's machines `python3` on PATH is such a shim and cost about as much as the analysis itself (0.74 s vs
/// 0.34 s per analysis under load, `shoparena bench faults` setup; `reference/swift-stack.md` measured 138 ms vs
/// 21–28 ms idle). A real interpreter (a binary, or a symlink to one) is kept as configured.
public enum AnalyzerInterpreter {
    /// `configured` resolved as above; `configured` itself whenever the answer is not an executable binary by
    /// absolute path, or the script does not answer within `timeoutSeconds` (it is then killed with its group).
    public static func resolve(_ configured: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                               timeoutSeconds: Double = 10) async -> String {
        guard let file = locate(configured, searchPath: environment["PATH"]), isScript(file),
              let reported = await ask(file, timeoutSeconds: timeoutSeconds),
              reported.hasPrefix("/"), FileManager.default.isExecutableFile(atPath: reported), !isScript(reported)
        else { return configured }
        return reported
    }

    /// The file `name` names: itself when it holds a `/`, else the first executable match on `searchPath`.
    static func locate(_ name: String, searchPath: String?) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for folder in (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether `path` (followed through symlinks) starts with `#!`.
    static func isScript(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 2)) == Data("#!".utf8)
    }

    /// `sys.executable` as printed by `script`, or nil (no answer in time, a failure, or no output).
    private static func ask(_ script: String, timeoutSeconds: Double) async -> String? {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-interpreter-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(output.path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        } catch {
            return nil
        }
        var options = PlatformOptions()
        options.processGroupID = 0
        let group = ProcessGroup()
        let timer = Task {
            try await Task.sleep(for: .milliseconds(Int64(timeoutSeconds * 1000)))
            await group.kill(timedOut: true)
        }
        defer { timer.cancel() }
        let status: TerminationStatus
        do {
            status = try await Subprocess.run(
                .path(FilePath(script)), arguments: ["-I", "-c", "import sys; print(sys.executable)"],
                platformOptions: options, input: .none,
                output: FileDescriptorOutput.fileDescriptor(fd, closeAfterSpawningProcess: true), error: .discarded
            ) { execution in
                await group.record(execution.processIdentifier.value)
            }.terminationStatus
        } catch {
            return nil
        }
        await group.kill(timedOut: false)
        guard case .exited(0) = status, let data = FileManager.default.contents(atPath: output.path) else { return nil }
        let text = String(decoding: data.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
