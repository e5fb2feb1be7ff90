import Foundation

/// When an eligible agent's code (its AGENT_CODE artifact) becomes downloadable: at the start (00:00) of
/// the next weekday after the day it became eligible, in a configured zone (UTC by default).
///
/// Monday–Thursday → the next day; Friday, Saturday and Sunday → Monday. Holidays are not considered.
/// Note: oro-sdk 1.0.45's docstring says `code_available_at` is `eligible_at + 24 h`; the platform docs say
/// "the next weekday", which is what this implements (never earlier than the next calendar day).
public struct CodeEmbargo: Sendable, Hashable {
    public var timeZone: TimeZone

    public static let `default` = CodeEmbargo(timeZone: TimeZone(secondsFromGMT: 0)!)

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    public init(timeZoneIdentifier: String) throws(PolicyError) {
        self.init(timeZone: try TimeZone.policyZone(timeZoneIdentifier))
    }

    /// `code_available_at` for an agent that became eligible at `eligibleAt`.
    public func codeAvailableAt(eligibleAt: Date) -> Date {
        let wall = LocalWallTime(zone: timeZone)
        var day = wall.adding(days: 1, to: wall.day(of: eligibleAt))
        while day.weekday == 1 || day.weekday == 7 {  // Sunday, Saturday
            day = wall.adding(days: 1, to: day)
        }
        return wall.instant(on: day, hour: 0, minute: 0)
    }

    /// Whether the code may be served at `now` (`release_state` RELEASED rather than HIDDEN).
    public func isReleased(eligibleAt: Date, now: Date) -> Bool {
        now >= codeAvailableAt(eligibleAt: eligibleAt)
    }
}
