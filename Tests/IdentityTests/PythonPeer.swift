import Foundation
import Testing

/// Runs `sr25519_peer.py` (next to this file) once per batch: JSON requests in, JSON answers out.
/// Any failure to run it is a test failure that says how to install the package — never a skip.
struct PythonPeer {
    static let installHint = "install the reference implementation with `pip install py-sr25519-bindings`"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("sr25519_peer.py").path
    }

    /// Sends all `requests` to one python3 process and returns one answer per request.
    static func run(_ requests: [[String: Any]]) throws -> [[String: Any]] {
        let input = try requests.map { req -> String in
            String(decoding: try JSONSerialization.data(withJSONObject: req), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
        // Requests go through a file, so neither pipe can fill up while the other is being written.
        let inputURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("sr25519-peer-\(UUID().uuidString).jsonl")
        try input.write(to: inputURL, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: inputURL) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath]
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw Failure(description: "cannot start python3 (\(error)); install Python 3 and " + installHint)
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: outData, as: UTF8.self).split(separator: "\n")
        let answers = try lines.map { line -> [String: Any] in
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw Failure(description: "peer printed a non-object line: \(line)")
            }
            return obj
        }
        if let fatal = answers.first?["fatal"] as? String {
            throw Failure(description: fatal + " — " + installHint)
        }
        guard process.terminationStatus == 0 else {
            let stderr = String(decoding: errData, as: UTF8.self)
            throw Failure(description: "python3 exited with \(process.terminationStatus): \(stderr.suffix(500)) — "
                          + "needs python3 and py-sr25519-bindings: " + installHint)
        }
        guard answers.count == requests.count else {
            throw Failure(description: "peer answered \(answers.count) of \(requests.count) requests")
        }
        for (i, a) in answers.enumerated() {
            if let e = a["error"] as? String { throw Failure(description: "peer failed request \(i): \(e)") }
        }
        return answers
    }
}
