import Foundation

/// Where a fault benchmark works and which binary it starts: shared by `bench faults` (validator crashes and backend
/// kills).
public enum BenchWorkingFolder {
    /// `dir` resolved against `cwd`, else a temporary folder named after `name` and this process.
    public static func resolve(_ dir: String?, cwd: URL, name: String) -> URL {
        dir.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-\(name)-\(getpid())")
    }

    /// This executable (what `/proc/self/exe` points at, else `argv[0]`), started again as `serve` and `validator`.
    public static var currentBinary: URL {
        URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
    }
}
