import ArenaModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The host-side directory of one run: `problem.json` (the agent's view of the problem), `out/`
/// (bound writable into the sandbox; the harness writes `out/result.json`) and `agent.log` (the
/// agent's stdout and stderr).
struct Workspace: Sendable {
    /// The largest result file read back (the harness bounds the dialogue to 16 MiB).
    static let maxResultBytes = 64 << 20

    enum ResultFile {
        case missing
        case unreadable(String)
        case result(JSONValue)
    }

    let directory: URL
    var name: String { directory.lastPathComponent }
    var problemFile: URL { directory.appendingPathComponent("problem.json") }
    var outputDirectory: URL { directory.appendingPathComponent("out") }
    var resultFile: URL { outputDirectory.appendingPathComponent("result.json") }
    var logFile: URL { directory.appendingPathComponent("agent.log") }
    /// The seccomp program handed to bubblewrap (never mounted into the sandbox).
    var seccompFile: URL { directory.appendingPathComponent("seccomp.bpf") }

    static func create(in parent: URL, problem: Problem) throws -> Workspace {
        let safe = String(problem.id.unicodeScalars.prefix(40).map { s -> Character in
            s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" ? Character(s) : "_"
        })
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let dir = parent.appendingPathComponent("run-\(safe)-\(suffix)")
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let ws = Workspace(directory: dir)
        try fm.createDirectory(at: ws.outputDirectory, withIntermediateDirectories: false, attributes: nil)
        _ = chmod(ws.outputDirectory.path, 0o777)
        try Data(JSONWriter().string(problem.agentView).utf8).write(to: ws.problemFile)
        return ws
    }

    func readResult() -> ResultFile {
        let path = resultFile.path
        guard let handle = FileHandle(forReadingAtPath: path) else { return .missing }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: Self.maxResultBytes + 1) ?? Data()
        } catch {
            return .unreadable("\(error)")
        }
        if data.count > Self.maxResultBytes { return .unreadable("larger than \(Self.maxResultBytes >> 20) MiB") }
        do {
            let value = try JSONParser.parse(utf8: data)
            guard case .object = value else { return .unreadable("not a JSON object") }
            return .result(value)
        } catch {
            return .unreadable(error.description)
        }
    }

    /// The last `bytes` of the agent's output, decoded leniently.
    func logTail(_ bytes: Int) -> String {
        guard bytes > 0, let handle = FileHandle(forReadingAtPath: logFile.path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(bytes) ? size - UInt64(bytes) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
