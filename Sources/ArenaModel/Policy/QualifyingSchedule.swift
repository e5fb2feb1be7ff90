import Foundation

/// When qualifying closes: every day (weekends included) at a local time in an IANA zone, by default
/// 12:00 America/Los_Angeles — 19:00 UTC in summer (PDT), 20:00 UTC in winter (PST).
///
/// DST-correct: the close follows the zone's wall clock, so the day clocks spring forward the interval
/// between two closes is 23 hours and the day they fall back it is 25. A configured time that does not
/// exist on some day (inside a spring-forward gap, e.g. 02:30) moves forward by the gap; one that happens
/// twice (fall-back overlap) uses the earlier instant.
public struct QualifyingSchedule: Sendable, Hashable {
    public var hour: Int
    public var minute: Int
    public var timeZone: TimeZone

    /// The default schedule: 12:00 America/Los_Angeles.
    public static var `default`: QualifyingSchedule {
        // America/Los_Angeles is in every tzdata; without it the system cannot schedule races at all.
        try! QualifyingSchedule(hour: 12, minute: 0, timeZoneIdentifier: "America/Los_Angeles")
    }

    public init(hour: Int, minute: Int, timeZone: TimeZone) throws(PolicyError) {
        guard (0...23).contains(hour), (0...59).contains(minute) else {
            throw .invalidTimeOfDay(hour: hour, minute: minute)
        }
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
    }

    public init(hour: Int, minute: Int, timeZoneIdentifier: String) throws(PolicyError) {
        try self.init(hour: hour, minute: minute, timeZone: try TimeZone.policyZone(timeZoneIdentifier))
    }

    /// The first close strictly after `now` (a window opened exactly at a close time runs until the next
    /// day's close).
    public func nextClose(after now: Date) -> Date {
        let wall = LocalWallTime(zone: timeZone)
        var day = wall.day(of: now)
        // Start one day back: the local day of `now` may already be past the close in some zones' gaps.
        day = wall.adding(days: -1, to: day)
        for _ in 0..<4 {
            let close = wall.instant(on: day, hour: hour, minute: minute)
            if close > now { return close }
            day = wall.adding(days: 1, to: day)
        }
        preconditionFailure("no close within three days of \(now) in \(timeZone.identifier)")
    }
}
