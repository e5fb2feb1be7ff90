import Backend
import Foundation
import Testing

/// The analyzer's interpreter: a script in front of Python (a pyenv shim) is replaced by the interpreter it runs,
/// asked once; a real interpreter, or a script that does not answer as one, is kept as configured.
@Suite("Analyzer interpreter")
struct AnalyzerInterpreterTests {
    static func script(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shim-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o755]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return path
    }

    @Test func aShimIsReplacedByTheInterpreterItRuns() async throws {
        let real = try #require(["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) })
        let shim = try Self.script("#!/bin/sh\nexec \(real) \"$@\"\n")
        defer { try? FileManager.default.removeItem(atPath: shim) }
        let resolved = await AnalyzerInterpreter.resolve(shim)
        #expect(resolved != shim)
        #expect(resolved.hasPrefix("/") && FileManager.default.isExecutableFile(atPath: resolved))
        // What the shim answered is the binary itself: asked again, it is kept as it is.
        #expect(await AnalyzerInterpreter.resolve(resolved) == resolved)
        // Found by name on PATH, as `python3` is.
        let folder = (shim as NSString).deletingLastPathComponent, name = (shim as NSString).lastPathComponent
        #expect(await AnalyzerInterpreter.resolve(name, environment: ["PATH": folder]) == resolved)
    }

    @Test func whatDoesNotAnswerAsAnInterpreterIsKept() async throws {
        let silent = try Self.script("#!/bin/sh\nexit 3\n")
        defer { try? FileManager.default.removeItem(atPath: silent) }
        #expect(await AnalyzerInterpreter.resolve(silent) == silent)
        let relative = try Self.script("#!/bin/sh\necho python3\n")
        defer { try? FileManager.default.removeItem(atPath: relative) }
        #expect(await AnalyzerInterpreter.resolve(relative) == relative)
        let sleepy = try Self.script("#!/bin/sh\nsleep 600\n")
        defer { try? FileManager.default.removeItem(atPath: sleepy) }
        #expect(await AnalyzerInterpreter.resolve(sleepy, timeoutSeconds: 0.3) == sleepy)
        #expect(await AnalyzerInterpreter.resolve("/nonexistent/python3") == "/nonexistent/python3")
        #expect(await AnalyzerInterpreter.resolve("no-such-python-here", environment: ["PATH": "/nonexistent"]) == "no-such-python-here")
    }
}
