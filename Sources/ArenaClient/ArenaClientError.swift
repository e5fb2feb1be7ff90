/// What a call to the arena's HTTP API can end in, classified the way callers react to it (the validator loop
/// retries transient ones, the CLI prints them).
public enum ArenaClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with a non-2xx status; `code` is the body's `error_code` when present.
    case http(status: Int, code: String?, detail: String)
    /// No answer: connection refused, reset, timed out.
    case connection(String)
    /// A 2xx answer whose body is not what the API documents.
    case badResponse(String)

    public var description: String {
        switch self {
        case .http(let status, let code, let detail): return "HTTP \(status) \(code ?? "-"): \(detail)"
        case .connection(let m): return "backend unreachable: \(m)"
        case .badResponse(let m): return "unexpected backend answer: \(m)"
        }
    }

    /// Worth retrying later: no answer, 5xx, 429.
    public var isTransient: Bool {
        switch self {
        case .connection: return true
        case .http(let status, _, _): return status >= 500 || status == 429
        case .badResponse: return false
        }
    }

    /// The backend says this hotkey is banned (the validator then sleeps 5 minutes).
    public var isBanned: Bool {
        if case .http(403, let code, let detail) = self { return code == "BANNED" || detail.lowercased().contains("banned") }
        return false
    }

    /// The run is no longer ours: lease lapsed, another owner, already complete, or gone.
    public var isLeaseLost: Bool {
        if case .http(let status, let code, _) = self {
            return status == 404 || ["LEASE_EXPIRED", "NOT_RUN_OWNER", "RUN_ALREADY_COMPLETE"].contains(code ?? "")
        }
        return false
    }

    public var isConnectionFailure: Bool { if case .connection = self { return true } else { return false } }
}
