import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// The client every problem proxy forwards inference through unless given one: like `HTTPClient.shared` (one per
    /// process, never shut down), but with room for 256 connections to one provider. `HTTPClient.shared` allows 8,
    /// which capped a validator at 8 model calls in flight whatever its `--workers`: `bench e2e` with 1.5 s replies
    /// gave the same 1,800 trajectories an hour at 8, 16 and 32 workers. A validator's concurrency is bounded by its
    /// workers; the provider's own rate limits still apply.
    public static let proxyUpstream = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)))
}
