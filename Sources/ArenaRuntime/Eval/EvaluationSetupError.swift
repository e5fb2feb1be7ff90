import Foundation

/// Why an evaluation cannot start (as opposed to a problem of the suite failing): `eval`, `validator` and the local
/// arena exit with this one sentence, which names the file, folder or URL and what to do about it.
public enum EvaluationSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The sandbox interpreter is not an executable file.
    case pythonMissing(path: String)
    /// The runtime folder (`--runtime`, resolved against `cwd`) has no `run_harness.py`.
    case runtimeMissing(folder: String, given: String, cwd: String)
    /// The agent file does not exist or cannot be read.
    case agentUnreadable(path: String)
    /// The submission analyzer could not give a verdict (cannot start, no report).
    case analyzerFailed(python: String, reason: String)
    /// The analyzer refused the file itself (syntax, encoding, size, no `agent_main`).
    case agentUnusable(path: String, message: String, line: Int64?)
    /// The search index file cannot be opened.
    case indexUnopenable(path: String, reason: String)
    /// The catalog given instead of an index cannot be indexed.
    case catalogUnindexable(path: String, reason: String)
    /// The scratch folder of the evaluation cannot be made.
    case scratchUnavailable(path: String, reason: String)
    /// The sandbox cannot start on this host (bubblewrap, cgroups, the interpreter).
    case sandboxUnavailable(reason: String)
    /// The LLM upstream does not answer at all.
    case upstreamUnreachable(url: String, reason: String)
    /// The problem suite file cannot be read.
    case suiteUnreadable(path: String, reason: String)
    /// The problem suite file is neither ORO suite JSON nor ShoppingBench JSONL.
    case suiteInvalid(path: String, reason: String)
    /// `--generate N` could not make problems from the catalog.
    case suiteNotGenerated(count: Int, catalog: String, reason: String)

    public var description: String {
        switch self {
        case .pythonMissing(let path):
            "The sandbox python \(path) does not exist; run scripts/setup-sandbox-venv or pass --python."
        case .runtimeMissing(let folder, let given, let cwd):
            "The agent runtime was looked for in \(folder) (--runtime \(given), relative to \(cwd)) and that folder has no "
                + "run_harness.py. Run shoparena from the repository root, or pass --runtime /path/to/shoparena/python."
        case .agentUnreadable(let path): "The agent file \(path) does not exist or cannot be read."
        case .analyzerFailed(let python, let reason):
            "The agent analyzer (\(python) -m shoparena_runtime.analyze) gave no report (\(reason)); check --python and --runtime."
        case .agentUnusable(let path, let message, let line):
            "The agent file \(path) cannot be used: \(message)\(line.map { " (line \($0))" } ?? "")."
        case .indexUnopenable(let path, let reason): "The search index \(path) cannot be opened: \(reason)."
        case .catalogUnindexable(let path, let reason): "The catalog \(path) cannot be indexed: \(reason)."
        case .scratchUnavailable(let path, let reason): "The scratch folder \(path) cannot be created: \(reason)."
        case .sandboxUnavailable(let reason): "The sandbox cannot start: \(reason)."
        case .upstreamUnreachable(let url, let reason):
            "The LLM upstream \(url) cannot be reached (\(reason)); start it or fix --upstream."
        case .suiteUnreadable(let path, let reason): "The suite \(path) cannot be read: \(reason)."
        case .suiteInvalid(let path, let reason): "The suite \(path) is not a valid problem suite: \(reason)."
        case .suiteNotGenerated(let count, let catalog, let reason):
            "Cannot generate \(count) problems from \(catalog): \(reason)."
        }
    }
}

/// A problem in running an evaluation locally outside the environment itself (output files, the pass@k report, a
/// key): the command exits non-zero with this one sentence.
public struct EvalSetupError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
