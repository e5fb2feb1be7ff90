import ArenaModel
import AsyncHTTPClient
import Catalog
import Foundation
import Search

/// A problem in setting up `shoparena eval` (as opposed to a problem of the suite failing): the command
/// exits non-zero with this one sentence.
struct EvalSetupError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The checks and inputs `eval` needs before any sandbox starts.
enum EvalSetup {
    /// The agent file exists and the submission-time analyzer accepts its syntax and finds `agent_main`;
    /// analyzer rule violations come back as warnings (a local run still goes ahead).
    static func checkAgent(path: String, python: String, runtime: URL) throws -> [String] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw EvalSetupError("The agent file \(path) does not exist or cannot be read.")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-B", "-m", "shoparena_runtime.analyze", path]
        process.environment = ["PYTHONPATH": runtime.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw EvalSetupError("Cannot run the agent analyzer with \(python): \(error.localizedDescription).")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let report = try? JSONParser.parse(utf8: data) else {
            throw EvalSetupError("The agent analyzer (\(python) -m shoparena_runtime.analyze) gave no report; check --python and --runtime.")
        }
        if let fileError = report["file_error"], !fileError.isNull {
            let line = fileError["line"]?.intValue.map { " (line \($0))" } ?? ""
            throw EvalSetupError("The agent file \(path) cannot be used: \(fileError["message"]?.stringValue ?? "invalid file")\(line).")
        }
        if report["has_agent_main"] != .bool(true) {
            throw EvalSetupError("The agent file \(path) does not define agent_main(problem_data).")
        }
        return (report["violations"]?.arrayValue ?? []).map { v in
            "\(v["rule"]?.stringValue ?? "rule") (line \(v["line"]?.intValue ?? 0)): \(v["message"]?.stringValue ?? "")"
        }
    }

    /// Whether the upstream answers at all (any HTTP status counts; only a failed connection does not).
    static func checkUpstream(_ base: String) async throws {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: trimmed + "/models"), timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw EvalSetupError("The LLM upstream \(base) cannot be reached (\(error)); start it or fix --upstream.")
        }
    }

    static func openIndex(_ path: String) throws -> SearchIndex {
        do {
            return try SearchIndex.open(path: path)
        } catch {
            throw EvalSetupError("The search index \(path) cannot be opened: \(error).")
        }
    }

    static func loadSuite(_ path: String) throws -> [Problem] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EvalSetupError("The suite \(path) cannot be read: \(error.localizedDescription).")
        }
        do {
            return try ProblemSuite(text: text, fileName: path).problems
        } catch {
            throw EvalSetupError("The suite \(path) is not a valid problem suite: \(error).")
        }
    }

    /// Indexes `catalog` into `directory` (for `--catalog` without `--index`).
    static func indexCatalog(_ catalog: String, directory: URL) throws -> String {
        let path = directory.appendingPathComponent("catalog.idx").path
        do {
            _ = try buildIndex(catalog: catalog, out: path, quiet: true)
        } catch {
            throw EvalSetupError("The catalog \(catalog) cannot be indexed: \(error).")
        }
        return path
    }

    /// `count` problems generated from the catalog file with SuiteGenerator, written to `directory/suite.json`.
    static func generateSuite(count: Int, seed: UInt64, catalog: String, directory: URL) throws -> (problems: [Problem], path: String) {
        do {
            let generated = try SuiteGenerator(configuration: SuiteGeneratorConfiguration(count: count, seed: seed))
                .generate(catalogPath: catalog)
            let path = directory.appendingPathComponent("suite.json").path
            try generated.jsonText.write(toFile: path, atomically: true, encoding: .utf8)
            return (try ProblemSuite(text: generated.jsonText, fileName: path).problems, path)
        } catch {
            throw EvalSetupError("Cannot generate \(count) problems from \(catalog): \(error).")
        }
    }
}
