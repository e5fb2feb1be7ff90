/// Why the sandbox cannot be used or a run could not be started.
public enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Isolation is not available on this host (bwrap missing, user namespaces disabled, …) and the
    /// configuration did not opt into insecure mode.
    case isolationUnavailable(String)
    /// A required file (interpreter, runtime, agent) is missing.
    case missingFile(what: String, path: String)
    /// Setting up the per-problem directory, cgroup or process failed.
    case setupFailed(String)

    public var description: String {
        switch self {
        case .isolationUnavailable(let why):
            return "sandbox isolation unavailable: \(why). Install bubblewrap (apt-get install bubblewrap) and allow "
                + "user namespaces, or run with the insecure option (development only: agents then run unconfined)"
        case .missingFile(let what, let path):
            return "\(what) not found at \(path)"
        case .setupFailed(let why):
            return "sandbox setup failed: \(why)"
        }
    }
}
