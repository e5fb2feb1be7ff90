import Foundation

/// Converts between instants and wall-clock dates/times in one IANA zone, with explicit rules for the
/// two DST edge cases (swift-corelibs and Darwin Foundation disagree on them, so we do not leave them to
/// `Calendar.date(from:)`):
/// - a wall time that does not exist (the spring-forward gap) is read with the offset in force before the
///   gap, i.e. it moves forward by the gap's length (02:30 → 03:30), as Python's `zoneinfo` with fold=0;
/// - a wall time that happens twice (the fall-back overlap) resolves to the earlier instant.
struct LocalWallTime: Sendable {
    let zone: TimeZone
    private let local: Calendar
    private static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(secondsFromGMT: 0)!
        return c
    }()

    init(zone: TimeZone) {
        self.zone = zone
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        self.local = c
    }

    /// A calendar day in the zone.
    struct Day: Sendable, Hashable {
        var year: Int
        var month: Int
        var day: Int
        /// Gregorian weekday: 1 = Sunday … 7 = Saturday.
        var weekday: Int
    }

    /// The local calendar day that contains `instant`.
    func day(of instant: Date) -> Day {
        let c = local.dateComponents([.year, .month, .day, .weekday], from: instant)
        return Day(year: c.year!, month: c.month!, day: c.day!, weekday: c.weekday!)
    }

    /// The calendar day `count` days after `day` (pure date arithmetic, no zone involved).
    func adding(days count: Int, to day: Day) -> Day {
        let naive = Self.utc.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        let moved = Self.utc.date(byAdding: .day, value: count, to: naive)!
        let c = Self.utc.dateComponents([.year, .month, .day, .weekday], from: moved)
        return Day(year: c.year!, month: c.month!, day: c.day!, weekday: c.weekday!)
    }

    /// The instant at which the zone's clocks show `hour:minute` on `day` (see the type's DST rules).
    func instant(on day: Day, hour: Int, minute: Int) -> Date {
        let naive = Self.utc.date(
            from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))!
        let wall = naive.timeIntervalSince1970
        // The offsets in force a day either side cover any single transition near this wall time.
        let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall - 86_400))
        let after = zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall + 86_400))
        let valid = Set([before, after]).map { wall - Double($0) }.filter {
            Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: $0))) == wall - $0
        }
        if let earliest = valid.min() { return Date(timeIntervalSince1970: earliest) }
        return Date(timeIntervalSince1970: wall - Double(before))  // in the gap: move forward by its length
    }
}

extension TimeZone {
    /// The zone for an IANA identifier, or `PolicyError.unknownTimeZone`.
    public static func policyZone(_ identifier: String) throws(PolicyError) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else { throw .unknownTimeZone(identifier) }
        return zone
    }
}
