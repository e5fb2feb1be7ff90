import Foundation

/// Where the sandbox finds its pieces and how strictly it isolates.
public struct SandboxConfiguration: Sendable {
    /// How agents are confined.
    public enum Isolation: Sendable, Hashable {
        /// bubblewrap namespaces, read-only system, cgroups and rlimits (the default; refused when unavailable).
        case bubblewrap
        /// No namespaces: the harness runs directly under `prlimit`, with the host's network and files.
        /// For development on hosts without bubblewrap only.
        case insecure
    }

    /// The sandbox venv's interpreter (`scripts/setup-sandbox-venv`), e.g. `.venv-sandbox/bin/python`.
    public var python: URL
    /// The repository's `python/` folder (holds `run_harness.py` and `shoparena_runtime/`).
    public var runtimeDirectory: URL
    /// Parent of the per-problem working directories.
    public var workDirectory: URL
    public var isolation: Isolation
    /// Environment passed to the agent (e.g. `CHUTES_ACCESS_TOKEN`, `SANDBOX_MODEL`); nothing else of the
    /// host's environment reaches it.
    public var agentEnvironment: [String: String]
    /// Keep each problem's working directory (problem, result, agent log) after the run.
    public var keepArtifacts: Bool
    /// Absolute path of bubblewrap; nil looks in /usr/bin, /bin and `PATH`.
    public var bwrapPath: String?
    /// Refresh the runtime's `__pycache__` when the runner is created (``RuntimeBytecode``): agents then
    /// start without compiling the harness. Writes into ``runtimeDirectory``.
    public var precompileRuntime: Bool

    public init(
        python: URL, runtimeDirectory: URL, workDirectory: URL = FileManager.default.temporaryDirectory
            .appendingPathComponent("shoparena-sandbox"),
        isolation: Isolation = .bubblewrap, agentEnvironment: [String: String] = [:], keepArtifacts: Bool = false,
        bwrapPath: String? = nil, precompileRuntime: Bool = true
    ) {
        self.python = python
        self.runtimeDirectory = runtimeDirectory
        self.workDirectory = workDirectory
        self.isolation = isolation
        self.agentEnvironment = agentEnvironment
        self.keepArtifacts = keepArtifacts
        self.bwrapPath = bwrapPath
        self.precompileRuntime = precompileRuntime
    }
}

/// How a run's proxy reaches the sandbox.
enum ProxyMount: Sendable, Hashable {
    /// An existing socket file, bind-mounted as `/sandbox/proxy.sock`.
    case socket(String)
    /// A host folder, mounted read-only as `/sandbox/proxy`, in which the proxy creates `socketName`
    /// (possibly only after the sandbox started).
    case directory(String, socketName: String)

    /// The socket's path on the host.
    var hostSocketPath: String {
        switch self {
        case .socket(let path): return path
        case .directory(let dir, let name): return "\(dir)/\(name)"
        }
    }
}
