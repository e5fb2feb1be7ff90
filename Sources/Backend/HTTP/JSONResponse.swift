import ArenaModel
import Foundation
import Hummingbird

/// A JSON answer written with the arena's own writer (key order kept, Python-compatible floats).
public struct JSONResponse: ResponseGenerator, Sendable {
    public var value: JSONValue
    public var status: HTTPResponse.Status

    public init(_ value: JSONValue, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: JSONWriter().string(value))))
    }
}

/// Wire helpers shared by the routes: timestamps as ISO-8601 UTC with milliseconds and a `Z`, which the
/// oro-sdk parses with `isoparse`. Calendar conversions go through Foundation (a format style and a Gregorian
/// UTC calendar, each made once); only the millisecond digits and the lexical scan are written here.
public enum Wire {
    /// Whole-second ISO-8601 in UTC, `2026-11-22T07:24:11Z`.
    private static let secondsStyle = Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!)
    /// The proleptic Gregorian calendar in UTC, for turning parsed fields into an instant.
    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    /// `2026-11-22T07:24:11.123Z` for epoch milliseconds.
    ///
    /// Foundation formats the whole second (an exact `Date`) and the milliseconds are appended as digits, so no
    /// binary fraction can round `.123` to `.122`.
    public static func timestamp(_ millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000)
        let ms = Int(millis - seconds * 1000)
        let whole = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(secondsStyle)
        let digits = String(ms)
        return String(whole.dropLast()) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// `.string(timestamp)` or `.null`.
    public static func timestamp(_ millis: Int64?) -> JSONValue {
        millis.map { .string(timestamp($0)) } ?? .null
    }

    /// Parses an ISO-8601 timestamp (`Z` or `±hh:mm`, optional fraction) or an epoch-seconds number.
    public static func parseTimestamp(_ text: String) -> Int64? {
        // `Int64(exactly:)`: a huge, infinite or NaN number is no timestamp (converting it would trap: a fuzzer
        // crashed the server with `since=1e300`).
        if let seconds = Double(text) { return Int64(exactly: (seconds * 1000).rounded()) }
        let chars = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= chars.count else { return nil }
            var v: Int64 = 0
            for c in chars[from..<(from + count)] {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2) else { return nil }
        var h: Int64 = 0, mi: Int64 = 0, s: Int64 = 0, frac: Int64 = 0, offset: Int64 = 0
        var i = 10
        if i < chars.count, chars[i] == UInt8(ascii: "T") || chars[i] == UInt8(ascii: " ") {
            guard let hh = num(11, 2), let mm = num(14, 2) else { return nil }
            h = hh; mi = mm; i = 16
            if i < chars.count, chars[i] == UInt8(ascii: ":"), let ss = num(17, 2) { s = ss; i = 19 }
            if i < chars.count, chars[i] == UInt8(ascii: ".") {
                i += 1
                var digits = 0
                while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                    if digits < 3 { frac = frac * 10 + Int64(chars[i] - 48) }
                    digits += 1; i += 1
                }
                while digits < 3 { frac *= 10; digits += 1 }
            }
            if i < chars.count {
                if chars[i] == UInt8(ascii: "Z") || chars[i] == UInt8(ascii: "z") {
                    i += 1
                } else if chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-") {
                    let sign: Int64 = chars[i] == UInt8(ascii: "+") ? 1 : -1
                    guard let oh = num(i + 1, 2) else { return nil }
                    let omStart = (i + 3 < chars.count && chars[i + 3] == UInt8(ascii: ":")) ? i + 4 : i + 3
                    let om = num(omStart, 2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                    i = min(chars.count, omStart + 2)
                }
            }
        }
        guard i == chars.count, (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        let fields = DateComponents(year: Int(y), month: Int(mo), day: Int(d), hour: Int(h), minute: Int(mi), second: Int(s))
        guard let instant = utcCalendar.date(from: fields) else { return nil }
        let seconds = Int64(instant.timeIntervalSince1970.rounded())
        return (seconds - offset) * 1000 + frac
    }
}
