import Foundation
import Testing

@testable import ArenaModel

@Suite("Qualifying close: a local time in an IANA zone, DST-correct")
struct QualifyingScheduleTests {
    let la = QualifyingSchedule.default  // 12:00 America/Los_Angeles

    @Test(arguments: [
        // Summer (PDT, UTC−7): noon is 19:00Z.
        ("2026-07-01T18:00:00Z", "2026-07-01T19:00:00Z"),
        ("2026-07-01T18:59:59Z", "2026-07-01T19:00:00Z"),
        ("2026-07-01T19:00:00Z", "2026-07-02T19:00:00Z"),  // exactly at close: the next day's
        ("2026-07-02T06:30:00Z", "2026-07-02T19:00:00Z"),  // 23:30 PDT on the 1st
        // Winter (PST, UTC−8): noon is 20:00Z.
        ("2026-01-15T10:00:00Z", "2026-01-15T20:00:00Z"),
        ("2026-01-15T19:30:00Z", "2026-01-15T20:00:00Z"),
        ("2026-12-31T21:00:00Z", "2027-01-01T20:00:00Z"),  // across the year
        // Spring forward on Sunday 2026-03-08: Saturday's close is PST, Sunday's PDT (23 h apart).
        ("2026-03-07T20:00:00Z", "2026-03-08T19:00:00Z"),
        ("2026-03-08T10:00:00Z", "2026-03-08T19:00:00Z"),  // the transition instant itself
        // Fall back on Sunday 2026-11-01: Saturday's close is PDT, Sunday's PST (25 h apart).
        ("2026-10-31T19:00:00Z", "2026-11-01T20:00:00Z"),
        ("2026-11-01T19:30:00Z", "2026-11-01T20:00:00Z"),
    ])
    func losAngelesNoon(now: String, expected: String) {
        #expect(la.nextClose(after: instant(now)) == instant(expected))
    }

    @Test func closesEveryDayIncludingWeekends() {
        var now = instant("2026-11-02T00:00:00Z")
        var closes: [Date] = []
        for _ in 0..<9 {
            now = la.nextClose(after: now)
            closes.append(now)
        }
        #expect(closes.first == instant("2026-11-02T20:00:00Z"))
        #expect(closes.last == instant("2026-11-10T20:00:00Z"))
        #expect(zip(closes, closes.dropFirst()).allSatisfy { $1.timeIntervalSince($0) == day })
    }

    @Test func aTimeInsideTheSpringGapMovesForward() throws {
        let s = try QualifyingSchedule(hour: 2, minute: 30, timeZoneIdentifier: "America/Los_Angeles")
        // 02:30 does not exist on 2026-03-08: it reads as 03:30 PDT = 10:30Z.
        #expect(s.nextClose(after: instant("2026-03-08T08:00:00Z")) == instant("2026-03-08T10:30:00Z"))
        #expect(s.nextClose(after: instant("2026-03-08T10:30:00Z")) == instant("2026-03-09T09:30:00Z"))
    }

    @Test func aTimeInsideTheFallOverlapTakesTheFirst() throws {
        let s = try QualifyingSchedule(hour: 1, minute: 30, timeZoneIdentifier: "America/Los_Angeles")
        // 01:30 happens twice on 2026-11-01: 08:30Z (PDT) and 09:30Z (PST); the first counts.
        #expect(s.nextClose(after: instant("2026-11-01T07:00:00Z")) == instant("2026-11-01T08:30:00Z"))
        #expect(s.nextClose(after: instant("2026-11-01T08:30:00Z")) == instant("2026-11-02T09:30:00Z"))
    }

    @Test func otherZones() throws {
        let utc = try QualifyingSchedule(hour: 19, minute: 0, timeZoneIdentifier: "UTC")
        #expect(utc.nextClose(after: instant("2026-03-08T18:00:00Z")) == instant("2026-03-08T19:00:00Z"))
        let berlin = try QualifyingSchedule(hour: 9, minute: 15, timeZoneIdentifier: "Europe/Berlin")
        // EU summer time ends 2026-10-25: 09:15 CEST = 07:15Z on the 24th, 09:15 CET = 08:15Z on the 25th.
        #expect(berlin.nextClose(after: instant("2026-10-24T07:15:00Z")) == instant("2026-10-25T08:15:00Z"))
    }

    @Test func rejectsBadConfiguration() {
        #expect(throws: PolicyError.unknownTimeZone("Mars/Olympus_Mons")) {
            try QualifyingSchedule(hour: 12, minute: 0, timeZoneIdentifier: "Mars/Olympus_Mons")
        }
        #expect(throws: PolicyError.invalidTimeOfDay(hour: 24, minute: 0)) {
            try QualifyingSchedule(hour: 24, minute: 0, timeZoneIdentifier: "UTC")
        }
    }
}
