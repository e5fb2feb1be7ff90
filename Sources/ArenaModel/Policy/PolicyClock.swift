import Foundation

/// Time arithmetic shared by the policies. Every policy takes "now" as an argument; none reads the clock.
public enum PolicyClock {
    /// Seconds in one policy day. Policy days are fixed 24-hour spans, not calendar days, so a DST change
    /// does not stretch or shrink a decay.
    public static let secondsPerDay: Double = 86_400

    /// Fractional days from `start` to `end`, never negative (a `start` in the future counts as 0 days).
    public static func days(from start: Date, to end: Date) -> Double {
        max(0, end.timeIntervalSince(start) / secondsPerDay)
    }
}

/// Byte-wise (Unicode code point) ordering of ids, as Python compares `str`: used for every
/// "agent_version_id ascending" tie-break so all nodes agree regardless of locale.
@inline(__always)
func idPrecedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
