import ArenaClient
import Synchronization

/// The backend replicas one validator may talk to, in the operator's order, and the one in use.
///
/// Every call goes to the replica in use; when it gets no answer (connection refused, reset, timed out) or a
/// 5xx, the call is retried on the next replica, and that replica becomes the one in use — sticky while it
/// works, so a validator does not flap between replicas (nor go back to a recovered one unprompted). Replicas
/// share one database, so a run claimed through one is heartbeaten, uploaded and completed through any other.
public final class BackendEndpoints: Sendable {
    /// Base URLs without a trailing slash, in preference order (never empty).
    public let urls: [String]
    private let current = Mutex<Int>(0)

    /// `urls` in preference order; a trailing slash is dropped and repeats are ignored.
    public init(_ urls: [String]) {
        var seen: Set<String> = []
        let normalised = urls.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }.filter { seen.insert($0).inserted }
        precondition(!normalised.isEmpty, "BackendEndpoints needs at least one backend URL")
        self.urls = normalised
    }

    /// The replica in use.
    public var active: String { urls[current.withLock { $0 }] }

    /// Every replica once, starting with the one in use: the order one call tries them in.
    func attemptOrder() -> [(index: Int, url: String)] {
        let start = current.withLock { $0 }
        return (0..<urls.count).map { step in
            let index = (start + step) % urls.count
            return (index, urls[index])
        }
    }

    /// `index` failed: the next replica becomes the one in use, unless a concurrent call already moved on.
    func failed(_ index: Int) {
        current.withLock { if $0 == index { $0 = (index + 1) % urls.count } }
    }

    /// `index` answered: it is the one in use from now on.
    func answered(_ index: Int) {
        current.withLock { $0 = index }
    }

    /// For an absolute URL the backend handed out (code download, presigned upload): the path after the
    /// replica's base when it points at one of `urls`, so the call can fail over too; nil for any other URL
    /// (e.g. a load balancer's address), which is then called as given.
    func path(of url: String) -> String? {
        for base in urls where url.hasPrefix(base + "/") { return String(url.dropFirst(base.count)) }
        return nil
    }
}

extension BackendClientError {
    /// Worth trying on another replica: no answer, or a server-side failure (5xx).
    var warrantsFailover: Bool {
        switch self {
        case .connection: return true
        case .http(let status, _, _): return status >= 500
        case .badResponse: return false
        }
    }
}
