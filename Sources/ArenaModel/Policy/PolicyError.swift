/// Why a race, emission or weight policy could not be applied. Each message says what to change.
public enum PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The IANA time-zone identifier is unknown to this system's time-zone database.
    case unknownTimeZone(String)
    /// A local time of day outside 00:00–23:59.
    case invalidTimeOfDay(hour: Int, minute: Int)
    /// A hidden-problem draw asked for more (or fewer than one) problems than the bank holds.
    case drawCountOutOfRange(requested: Int, available: Int)
    /// The race-top-half shares must both be positive and add up to 1.
    case invalidShares(top: Double, burn: Double)
    /// With a top share larger than the burn share, the tail left no room for the burn slot.
    case negativeBurn(burn: Int, tail: Int)
    /// A hotkey→uid map holds a uid outside 0...65535.
    case invalidUID(hotkey: String, uid: Int)
    /// A backend response did not have the shape of the oro-sdk model it should be.
    case malformedResponse(String)
    /// A configured policy parameter is out of its range (the message names it and the range).
    case invalidParameter(String)

    public var description: String {
        switch self {
        case .unknownTimeZone(let id):
            return "unknown time zone '\(id)': use an IANA identifier such as America/Los_Angeles or UTC"
        case .invalidTimeOfDay(let h, let m):
            return "invalid time of day \(h):\(m): hour must be 0–23 and minute 0–59"
        case .drawCountOutOfRange(let requested, let available):
            return "cannot draw \(requested) hidden problems from a bank of \(available) distinct ids: "
                + "load more problems into the hidden bank or lower the race problem count (at least 1)"
        case .invalidShares(let top, let burn):
            return "race-top-half shares t_top=\(top) and t_burn=\(burn) must both be > 0 and sum to 1"
        case .negativeBurn(let burn, let tail):
            return "race-top-half burn would be \(burn) (tail \(tail)): raise t_burn or lower t_top"
        case .invalidUID(let hotkey, let uid):
            return "uid \(uid) for hotkey \(hotkey) is outside 0...65535"
        case .malformedResponse(let what):
            return "unexpected backend response: \(what)"
        case .invalidParameter(let what):
            return "invalid policy parameter: \(what)"
        }
    }
}
