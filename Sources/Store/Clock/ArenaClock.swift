import Foundation
import Synchronization

/// Where the arena reads "now", in epoch milliseconds. Injected everywhere time matters (leases, cooldowns,
/// sessions, races) so tests can move time by hand.
public protocol ArenaClock: Sendable {
    func nowMillis() -> Int64
}

/// The system's wall clock.
public struct SystemClock: ArenaClock {
    /// The wall clock.
    public init() {}
    /// Now, from `Date()`, rounded to the millisecond.
    public func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
