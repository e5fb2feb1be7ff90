/// Why an operator action on the arena database was refused; each message says what to do instead.
public enum LocalAdminError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The problem file cannot be read or parsed (the loader's own message).
    case problemFile(reason: String)
    /// `ban` / `unban` of a hotkey that was never registered.
    case notRegistered(hotkey: String)
    /// `set-role` of a hotkey that was never registered: register it with that role instead.
    case notRegisteredForRole(hotkey: String, role: String)
    /// `suite-activate` of a suite id that does not exist.
    case suiteMissing(suiteID: Int64)
    /// `hidden-bank-add` to a suite id that does not exist.
    case noSuite(suiteID: Int64)

    public var description: String {
        switch self {
        case .problemFile(let reason): reason
        case .notRegistered(let hotkey): "hotkey \(hotkey) is not registered"
        case .notRegisteredForRole(let hotkey, let role):
            "hotkey \(hotkey) is not registered; use `shoparena admin register \(hotkey) --role \(role)`"
        case .suiteMissing(let suiteID): "suite \(suiteID) does not exist (see `shoparena admin list --suites`)"
        case .noSuite(let suiteID): "there is no suite \(suiteID); list them with `shoparena admin list --suites`"
        }
    }
}
