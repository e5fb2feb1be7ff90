/// Where a proxy reads the models agents may call. Asked on every inference request, so a list refreshed
/// while a run is under way applies at once (a validator fetches it from its backend; see `Validator`).
public protocol ModelAllowlistSource: Sendable {
    /// The models agents may call now, or nil when no list is available (inference then answers 503,
    /// failing closed like the reference).
    func allowedModels() async -> [String]?
}

/// A list that never changes (`--allow-model`, `eval`, tests).
public struct FixedModelAllowlist: ModelAllowlistSource {
    public let models: [String]?

    public init(_ models: [String]?) { self.models = models }

    public func allowedModels() async -> [String]? { models }
}

extension ProxyConfiguration {
    /// The allowlist that applies to the next request: `allowlist`'s current list when one is set, else
    /// `allowedModels`.
    public func currentAllowedModels() async -> [String]? {
        if let allowlist { return await allowlist.allowedModels() }
        return allowedModels
    }
}
