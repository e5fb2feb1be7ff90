import Store
import Synchronization

/// A clock tests set and advance by hand.
public final class ManualClock: ArenaClock {
    private let now: Mutex<Int64>

    public init(millis: Int64 = 1_790_000_000_000) { now = Mutex(millis) }

    public func nowMillis() -> Int64 { now.withLock { $0 } }

    public func advance(seconds: Double) { now.withLock { $0 += Int64((seconds * 1000).rounded()) } }

    public func set(millis: Int64) { now.withLock { $0 = millis } }
}
