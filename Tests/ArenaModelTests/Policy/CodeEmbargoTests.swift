import Foundation
import Testing

@testable import ArenaModel

@Suite("Code embargo: released at the start of the next weekday")
struct CodeEmbargoTests {
    @Test(arguments: [
        ("2026-11-20T15:00:00Z", "2026-11-23T00:00:00Z"),  // Friday → Monday
        ("2026-11-20T23:59:59Z", "2026-11-23T00:00:00Z"),  // Friday, last second
        ("2026-11-21T00:00:00Z", "2026-11-23T00:00:00Z"),  // Saturday → Monday
        ("2026-11-22T12:00:00Z", "2026-11-23T00:00:00Z"),  // Sunday → Monday
        ("2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z"),  // Monday, first second → Tuesday
        ("2026-11-26T18:00:00Z", "2026-11-27T00:00:00Z"),  // Thursday → Friday
        ("2026-12-31T12:00:00Z", "2027-01-01T00:00:00Z"),  // Thursday → Friday, across the year
    ])
    func utc(eligible: String, expected: String) {
        #expect(CodeEmbargo.default.codeAvailableAt(eligibleAt: instant(eligible)) == instant(expected))
    }

    @Test func inAConfiguredZone() throws {
        let embargo = try CodeEmbargo(timeZoneIdentifier: "America/Los_Angeles")
        // 2026-11-21T03:00Z is Friday 19:00 PST → Monday 00:00 PST = 08:00Z.
        #expect(embargo.codeAvailableAt(eligibleAt: instant("2026-11-21T03:00:00Z")) == instant("2026-11-23T08:00:00Z"))
        // Friday 2026-03-06 PST → Monday 2026-03-09 00:00 PDT = 07:00Z (DST began on the Sunday).
        #expect(embargo.codeAvailableAt(eligibleAt: instant("2026-03-06T20:00:00Z")) == instant("2026-03-09T07:00:00Z"))
    }

    @Test func hiddenUntilReleaseNeverEarlier() {
        let eligible = instant("2026-11-20T15:00:00Z")
        let embargo = CodeEmbargo.default
        #expect(!embargo.isReleased(eligibleAt: eligible, now: eligible))
        #expect(!embargo.isReleased(eligibleAt: eligible, now: instant("2026-11-22T23:59:59Z")))
        #expect(embargo.isReleased(eligibleAt: eligible, now: instant("2026-11-23T00:00:00Z")))
        // Over a sweep of eligibility instants the release is always on a weekday, 1–3 days later.
        var t = instant("2026-11-01T00:00:00Z")
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(secondsFromGMT: 0)!
        for _ in 0..<200 {
            let release = embargo.codeAvailableAt(eligibleAt: t)
            let wait = release.timeIntervalSince(t)
            #expect(wait > 0 && wait <= 3 * day)
            #expect(![1, 7].contains(utc.component(.weekday, from: release)))
            #expect(utc.dateComponents([.hour, .minute, .second], from: release) == DateComponents(hour: 0, minute: 0, second: 0))
            t = t.addingTimeInterval(3.7 * 3600)
        }
    }
}
