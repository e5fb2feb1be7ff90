import Foundation
import TestSupport

/// Runs the built `shoparena` executable as a subprocess (an executable target cannot be imported).
enum CLIProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repository = SharedData.repositoryRoot()

    /// `shoparena` next to the test bundle (same build folder), else `.build/debug/shoparena`.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = URL(fileURLWithPath: me).deletingLastPathComponent()
            // The test runner may live inside `ShopArenaPackageTests.xctest/...`.
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("shoparena"))
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(repository.appendingPathComponent(".build/debug/shoparena"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw Failure(
                description: "the shoparena executable was not found (looked at \(candidates.map(\.path))); "
                    + "build it with `swift build --build-tests`")
        }
        return found
    }

    /// The sandbox venv's interpreter, made by `scripts/setup-sandbox-venv .build/sandbox-venv` once per
    /// test process (or `$SHOPARENA_SANDBOX_PYTHON`).
    static let python: Result<URL, Failure> = {
        if let env = ProcessInfo.processInfo.environment["SHOPARENA_SANDBOX_PYTHON"] {
            return .success(URL(fileURLWithPath: env))
        }
        let venv = repository.appendingPathComponent(".build/sandbox-venv")
        do {
            let outcome = try run(
                URL(fileURLWithPath: "/bin/bash"),
                [repository.appendingPathComponent("scripts/setup-sandbox-venv").path, venv.path], in: repository)
            guard outcome.status == 0 else {
                return .failure(Failure(description: "scripts/setup-sandbox-venv failed: \(outcome.stderr)"))
            }
        } catch {
            return .failure(Failure(description: "cannot run scripts/setup-sandbox-venv: \(error)"))
        }
        return .success(venv.appendingPathComponent("bin/python"))
    }()

    /// Runs `shoparena arguments…` in `directory` and collects its exit status and output.
    static func shoparena(_ arguments: [String], in directory: URL) throws -> Outcome {
        try run(try executable(), arguments, in: directory)
    }

    static func run(_ executable: URL, _ arguments: [String], in directory: URL) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "dumb"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so neither fills up and blocks the child.
        let errData = ErrorCollector(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: errData.wait(), as: UTF8.self))
    }

    /// A `shoparena` subprocess left running (e.g. `llm stub`): `firstLine` is the first line it printed on stdout
    /// (the rest is drained and dropped, stderr is discarded). `stop()` terminates it and waits for it.
    final class Background: @unchecked Sendable {
        let process: Process
        let firstLine: String

        init(_ arguments: [String], in directory: URL) throws {
            process = Process()
            process.executableURL = try CLIProcess.executable()
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.standardInput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            var line = Data()
            let reader = out.fileHandleForReading
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
                if chunk.contains(UInt8(ascii: "\n")) { break }
            }
            firstLine = String(decoding: line.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
            // Keep reading so a chatty child never blocks on a full pipe.
            Thread.detachNewThread { _ = reader.readDataToEndOfFile() }
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    /// A fresh scratch directory.
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cli-test-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `shoparena catalog generate` into `scratch/catalog.jsonl` and returns its path.
    static func generateCatalog(products: Int, seed: Int, in scratch: URL) throws -> String {
        let catalog = scratch.appendingPathComponent("catalog.jsonl").path
        let generated = try shoparena(
            ["catalog", "generate", "--products", "\(products)", "--seed", "\(seed)", "--out", catalog], in: scratch)
        guard generated.status == 0 else { throw Failure(description: "catalog generate failed: \(generated.stderr)") }
        return catalog
    }
}

/// Reads one pipe to its end on a background thread.
private final class ErrorCollector: @unchecked Sendable {
    // `data` is written by the reading thread before `done` is signalled and read only after it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
