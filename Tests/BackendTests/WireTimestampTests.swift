import Backend
import Testing

/// `Wire.timestamp` / `Wire.parseTimestamp` on Foundation, against expectations computed here by counting days
/// through years and months (no Foundation, no closed-form calendar formula), over many instants.
@Suite("Wire timestamps")
struct WireTimestampTests {
    static func isLeap(_ year: Int64) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }
    static func daysIn(_ year: Int64) -> Int64 { isLeap(year) ? 366 : 365 }
    static func daysIn(_ year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The expected wire text of `millis`, by walking whole years and months from 1970-01-01.
    static func expected(_ millis: Int64) -> String {
        var days = millis / 86_400_000
        var inDay = millis % 86_400_000
        if inDay < 0 { inDay += 86_400_000; days -= 1 }
        var year: Int64 = 1970
        while days < 0 { year -= 1; days += daysIn(year) }
        while days >= daysIn(year) { days -= daysIn(year); year += 1 }
        var month: Int64 = 1
        while days >= daysIn(year, month: month) { days -= daysIn(year, month: month); month += 1 }
        let seconds = inDay / 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(days + 1, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2))"
            + ":\(pad(seconds % 60, 2)).\(pad(inDay % 1000, 3))Z"
    }

    /// Edge instants plus 4,000 spread over 1900–2200 by a fixed linear congruential sequence.
    static let instants: [Int64] = {
        var list: [Int64] = [0, -1, 1, 999, 1000, -1000, -1001, 1_790_003_600_000, 951_868_799_999, 951_868_800_000,
                             4_107_542_399_999, 4_107_542_400_000, -2_208_988_800_000, 946_684_799_999, 946_684_800_000,
                             253_402_300_799_999]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        let low: Int64 = -2_208_988_800_000, span: UInt64 = 9_467_107_200_000  // 1900-01-01 … 2200-01-01
        for _ in 0..<4_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            list.append(low + Int64((state >> 11) % span))
        }
        return list
    }()

    @Test func pinnedFormats() {
        #expect(Wire.timestamp(1_790_003_600_000) == "2026-09-21T15:13:20.000Z")
        #expect(Wire.timestamp(951_868_799_999) == "2000-02-29T23:59:59.999Z")
        #expect(Wire.timestamp(-1) == "1969-12-31T23:59:59.999Z")
        #expect(Wire.timestamp(4_107_542_400_000) == "2100-03-01T00:00:00.000Z")
        #expect(Wire.timestamp(0) == "1970-01-01T00:00:00.000Z")
    }

    @Test func formatsMatchTheDayCountOverManyInstants() {
        var mismatches: [String] = []
        for millis in Self.instants where Wire.timestamp(millis) != Self.expected(millis) {
            mismatches.append("\(millis): \(Wire.timestamp(millis)) ≠ \(Self.expected(millis))")
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func parsingReadsBackEveryFormattedInstant() {
        var mismatches: [Int64] = []
        for millis in Self.instants where Wire.parseTimestamp(Self.expected(millis)) != millis { mismatches.append(millis) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func parsingTakesOffsetsFractionsAndShortForms() {
        let base: Int64 = 1_790_003_600_000  // 2026-09-21T15:13:20Z
        #expect(Wire.parseTimestamp("2026-09-21T08:13:20.5-07:00") == base + 500)
        #expect(Wire.parseTimestamp("2026-09-21T17:13:20+0200") == base)
        #expect(Wire.parseTimestamp("2026-09-21 15:13:20.123456Z") == base + 123)
        #expect(Wire.parseTimestamp("2026-09-21T15:13") == base - 20_000)
        #expect(Wire.parseTimestamp("2026-09-21") == base - (15 * 3600 + 13 * 60 + 20) * 1000)
        #expect(Wire.parseTimestamp("1790003600") == base)
        #expect(Wire.parseTimestamp("2026-13-01T00:00:00Z") == nil)
        #expect(Wire.parseTimestamp("2026-09-21T24:00:00Z") == nil)
        #expect(Wire.parseTimestamp("yesterday") == nil)
    }
}
