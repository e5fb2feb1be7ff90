import Backend
import Foundation
import Testing

/// The submit route's building blocks on their own: the multipart parser, the name rule, and the analyzer
/// runner's timeout and launch failures.
@Suite("Miner submission parts")
struct MinerSubmissionPartsTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func boundaryFromContentType() throws {
        #expect(try MultipartForm.boundary(contentType: "multipart/form-data; boundary=abc123") == "abc123")
        #expect(try MultipartForm.boundary(contentType: "Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\"") == "a b:c")
        #expect(throws: MultipartForm.ParseError.missingBoundary) { try MultipartForm.boundary(contentType: "multipart/form-data") }
        #expect(throws: MultipartForm.ParseError.missingBoundary) {
            try MultipartForm.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 71))
        }
        #expect(throws: MultipartForm.ParseError.notMultipart("application/json")) {
            try MultipartForm.boundary(contentType: "application/json")
        }
        #expect(throws: MultipartForm.ParseError.notMultipart("")) { try MultipartForm.boundary(contentType: nil) }
    }

    @Test func parsesPartsWithPreambleQuotedNamesAndBinaryBodies() throws {
        let body = Self.bytes("preamble\r\n--XY\r\nContent-Disposition: form-data; name=\"agent_name\"\r\n\r\nA\r\n")
            + Self.bytes("--XY\r\ncontent-disposition: form-data; name=file; filename=\"we\\\"ird.py\"\r\nContent-Type: text/x-python\r\n\r\n")
            + [0, 13, 10, 45, 45, 88, 255]  // "\0\r\n--X\xff": a near-boundary inside the data
            + Self.bytes("\r\n--XY--\r\nepilogue")
        let form = try MultipartForm.parse(body, boundary: "XY")
        #expect(form.parts.map(\.name) == ["agent_name", "file"])
        #expect(form.part("agent_name")?.body == Self.bytes("A"))
        #expect(form.part("agent_name")?.filename == nil)
        let file = try #require(form.part("file"))
        #expect(file.filename == "we\"ird.py")
        #expect(file.contentType == "text/x-python")
        #expect(file.body == [0, 13, 10, 45, 45, 88, 255])
        #expect(form.part("missing") == nil)
    }

    /// `name=""` names a part no one asks for (schemathesis sends one): parsed, not refused as malformed.
    @Test func partWithAnEmptyNameIsParsed() throws {
        let body = Self.bytes("--B\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n")
            + Self.bytes("--B\r\nContent-Disposition: form-data; name=\"agent_name\"\r\n\r\nA\r\n--B--")
        let form = try MultipartForm.parse(body, boundary: "B")
        #expect(form.parts.map(\.name) == ["", "agent_name"])
        #expect(form.part("agent_name")?.body == Self.bytes("A"))
    }

    @Test func refusesMalformedBodies() {
        func fails(_ text: String, _ why: String) {
            #expect(throws: MultipartForm.ParseError.malformed(why)) { try MultipartForm.parse(Self.bytes(text), boundary: "B") }
        }
        fails("no boundary here", "the opening boundary was not found")
        fails("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue", "a part is not followed by a boundary")
        fails("--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--", "a part has no Content-Disposition name")
        fails("--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--B--", "Content-Disposition must be form-data")
        fails("--B\r\nbroken header\r\n\r\nv\r\n--B--", "a part header line has no ':'")
        fails("--Bjunk", "no line break after a boundary")
        fails("--B\r\nX-Long: " + String(repeating: "h", count: 9000) + "\r\n\r\nv\r\n--B--",
              "part headers are missing or longer than 8192 bytes")
        let many = (0...MultipartForm.maxParts).map { "--B\r\nContent-Disposition: form-data; name=\"p\($0)\"\r\n\r\nv\r\n" }.joined() + "--B--"
        fails(many, "more than \(MultipartForm.maxParts) parts")
    }

    @Test func agentNameRule() throws {
        #expect(try AgentNameRules.validate(" My agent-2.0_x ").get() == "My agent-2.0_x")
        #expect(try AgentNameRules.validate(String(repeating: "Z", count: 100)).get().count == 100)
        for bad in ["", "  ", "a/b", "tab\there", "naïve", "semi;colon", String(repeating: "a", count: 101)] {
            #expect((try? AgentNameRules.validate(bad).get()) == nil, "\(bad) should be refused")
        }
    }

    /// An "interpreter" that ignores its arguments, starts a grandchild holding stdout open, and sleeps (long
    /// enough that even a time limit fired late on a busy machine still finds it running).
    ///
    /// Written through a close-on-exec descriptor: tests run in parallel, and a child another test spawns while
    /// the file is open for writing would otherwise keep that descriptor and make executing the script fail
    /// with "Text file busy".
    static func sleepyInterpreter() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sleepy-\(UUID().uuidString).sh").path
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        let text = Array("#!/bin/sh\nsleep 600 &\nsleep 600\n".utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == text.count else { throw CocoaError(.fileWriteUnknown) }
        return path
    }

    @Test func analyzerTimeoutKillsTheProcessGroupAndIsAFileError() async throws {
        let script = try Self.sleepyInterpreter()
        defer { try? FileManager.default.removeItem(atPath: script) }
        var analyzer = PythonAnalyzer(executable: script, runtimePath: "/nonexistent", timeoutSeconds: 0.3)
        analyzer.graceSeconds = 0
        let report = try await analyzer.analyze(Self.bytes("def agent_main(p):\n    return []\n"))
        #expect(report.fileError?.code == "ANALYSIS_FAILED")
        #expect(report.fileError?.message == "analysis exceeded 0 s")
        #expect(report.violations.isEmpty)
    }

    @Test func analyzerLaunchFailureAndGarbageOutputAreServerErrors() async throws {
        let missing = PythonAnalyzer(executable: "/nonexistent/python3", runtimePath: "python", timeoutSeconds: 5)
        await #expect(throws: AnalyzerError.self) { try await missing.analyze([]) }
        let echo = PythonAnalyzer(executable: "/bin/echo", runtimePath: "python", timeoutSeconds: 5)
        await #expect(throws: AnalyzerError.unreadableOutput(exitStatus: 0, stderrTail: "")) { try await echo.analyze([]) }
    }

    @Test func analyzerReportsReadTheRealAnalyzer() async throws {
        // The limit is not under test here: room for interpreter start-up on a machine whose cores are all busy.
        let analyzer = PythonAnalyzer(executable: "python3", runtimePath: SharedDataPaths.pythonRuntime, timeoutSeconds: 180)
        let clean = try await analyzer.analyze(Self.bytes("def agent_main(problem):\n    return []\n"))
        #expect(clean == CodeAnalysisReport(fileError: nil, violations: []))
        let mixed = try await analyzer.analyze(Self.bytes("import base64\nimport socket\n\ndef agent_main(p):\n    return []\n"))
        #expect(mixed.violations.map(\.rule) == ["encoding_module", "banned_import"])
        #expect(mixed.hasIntegrityViolation)
    }
}
