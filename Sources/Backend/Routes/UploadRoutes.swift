import Hummingbird

/// The upload routes (see reference/oro-api.md §2). Being written; registers nothing yet.
public struct UploadRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    public func register(on router: Router<ArenaRequestContext>) {}
}
