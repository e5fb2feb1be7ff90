import Hummingbird

/// The miner routes (see reference/oro-api.md §2). Being written; registers nothing yet.
public struct MinerRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    public func register(on group: RouterGroup<ArenaRequestContext>) {}
}
