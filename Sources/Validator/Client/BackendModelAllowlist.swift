import ArenaClient
import ArenaModel
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Proxy

/// The validator's copy of its backend's model allowlist (`GET /v1/public/inference/models` →
/// `{"models": [...]}`), which every per-problem proxy of the validator asks on each inference request.
///
/// As the reference proxy learned (oro-validator.md §8): the list is cached and refreshed every
/// `refreshInterval`; one refresh runs at a time however many proxies ask; a failed refresh is retried after
/// `retryInterval`, not on every request, so an outage never turns into a stampede on the backend; and while
/// the backend is unreachable the last list it gave is served (logged as a warning) — until then, `fallback`.
/// With neither, inference fails closed (503) until the backend answers.
public actor BackendModelAllowlist: ModelAllowlistSource {
    /// How often the list is refreshed and how long a fetch may take.
    public struct Settings: Sendable {
        /// Seconds a fetched list is used before it is refreshed (reference: 15 min).
        public var refreshInterval: Double = 900
        /// Seconds after a failed refresh before the next try.
        public var retryInterval: Double = 60
        /// Timeout of one fetch, seconds.
        public var timeout: Double = 5

        /// Settings with the reference's defaults (refresh every 15 min, retry after 60 s, 5 s per fetch).
        public init(refreshInterval: Double = 900, retryInterval: Double = 60, timeout: Double = 5) {
            self.refreshInterval = refreshInterval
            self.retryInterval = retryInterval
            self.timeout = timeout
        }
    }

    /// Where the list in use came from.
    public enum Origin: Sendable, Equatable {
        /// The built-in (or configured) list: the backend has not answered yet.
        case fallback
        /// The backend's answer.
        case backend
    }

    /// The backend replicas asked, in turn, for the list.
    public nonisolated let endpoints: BackendEndpoints
    static let path = "/v1/public/inference/models"
    /// The list's URL on the replica in use.
    public nonisolated var url: String { endpoints.active + Self.path }
    /// Refresh and timeout settings.
    public nonisolated let settings: Settings
    private let http: HTTPClient
    private let logger: Logger
    private var models: [String]?
    private var origin: Origin = .fallback
    private var fetchedAt: ContinuousClock.Instant?
    private var nextRefreshAt: ContinuousClock.Instant
    private var refreshing: Task<Bool, Never>?

    /// The list of a single backend; `fallback` is served until it first answers (nil: fail closed).
    public init(backendURL: String, fallback: [String]?, settings: Settings = Settings(), http: HTTPClient = .shared,
                logger: Logger) {
        self.init(endpoints: BackendEndpoints([backendURL]), fallback: fallback, settings: settings, http: http, logger: logger)
    }

    /// The list from any of several replicas of one arena: each fetch tries them in turn (the one in use first).
    public init(endpoints: BackendEndpoints, fallback: [String]?, settings: Settings = Settings(), http: HTTPClient = .shared,
                logger: Logger) {
        self.endpoints = endpoints
        self.http = http
        self.settings = settings
        self.logger = logger
        models = fallback
        nextRefreshAt = ContinuousClock.now
    }

    /// The list in use; starts a refresh in the background when one is due (and waits for it only when there
    /// is no list at all yet).
    public func allowedModels() async -> [String]? {
        if ContinuousClock.now >= nextRefreshAt {
            let task = startRefresh()
            if models == nil { _ = await task.value }
        }
        return models
    }

    /// The list in use and where it came from.
    public func snapshot() -> (models: [String]?, origin: Origin) { (models, origin) }

    /// Fetches the list now (joining a fetch already under way) and returns whether the backend answered.
    /// On failure the list in use is kept.
    @discardableResult
    public func refresh() async -> Bool {
        await startRefresh().value
    }

    /// The fetch under way, or a new one: one at a time, however many proxies ask.
    private func startRefresh() -> Task<Bool, Never> {
        if let refreshing { return refreshing }
        let task = Task {
            let ok = await self.fetchAndStore()
            self.refreshing = nil
            return ok
        }
        refreshing = task
        return task
    }

    private func fetchAndStore() async -> Bool {
        do {
            let list = try await fetch()
            if list != models || origin != .backend {
                logger.info("model allowlist from the backend: \(list.joined(separator: ", "))")
            }
            models = list
            origin = .backend
            fetchedAt = ContinuousClock.now
            nextRefreshAt = ContinuousClock.now + .milliseconds(Int64(settings.refreshInterval * 1000))
            return true
        } catch {
            nextRefreshAt = ContinuousClock.now + .milliseconds(Int64(settings.retryInterval * 1000))
            let kept: String
            if let fetchedAt, origin == .backend {
                let age = ContinuousClock.now - fetchedAt
                kept = "serving the list fetched \(age.components.seconds) s ago (stale)"
            } else if models != nil {
                kept = "serving the built-in list until it answers"
            } else {
                kept = "no list yet: inference calls get 503 until it answers"
            }
            logger.warning("model allowlist: GET \(url) failed (\(error)); \(kept); next try in \(Int(settings.retryInterval)) s")
            return false
        }
    }

    private func fetch() async throws -> [String] {
        var lastError: (any Error)?
        for (index, base) in endpoints.attemptOrder() {
            do {
                let list = try await fetch(from: base)
                endpoints.answered(index)
                return list
            } catch {
                endpoints.failed(index)
                lastError = error
            }
        }
        throw lastError ?? AllowlistFetchError.status(0)
    }

    /// The list from one replica, through the shared `ArenaClient`.
    private func fetch(from base: String) async throws -> [String] {
        var client = ArenaClient(baseURL: base, http: http)
        client.timeout = .milliseconds(Int64(settings.timeout * 1000))
        client.userAgent = "shoparena-validator"
        let answer: (status: Int, json: JSONValue?)
        do {
            answer = try await client.send(.GET, Self.path, headers: [("Accept", "application/json")], limit: 1 << 20)
        } catch {
            // One catch-all with a switch: Swift 6.3 crashes on partial typed-throws pattern catches here.
            switch error {
            case .http(let status, _, _): throw AllowlistFetchError.status(status)
            case .badResponse: throw AllowlistFetchError.shape
            case .connection: throw error
            }
        }
        guard answer.status == 200 else { throw AllowlistFetchError.status(answer.status) }
        guard let list = answer.json?["models"]?.arrayValue, list.allSatisfy({ $0.stringValue != nil })
        else { throw AllowlistFetchError.shape }
        return list.compactMap(\.stringValue)
    }
}

/// Why the backend's allowlist could not be read.
enum AllowlistFetchError: Error, CustomStringConvertible {
    case status(Int)
    case shape

    var description: String {
        switch self {
        case .status(let code): return "HTTP \(code)"
        case .shape: return #"the answer is not {"models": [string, …]}"#
        }
    }
}
