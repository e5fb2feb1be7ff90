import Backend
import Foundation

/// How the pages spell numbers, times and hotkeys. Pure functions of their inputs (the caller passes `now`),
/// so pages render the same for the same data.
enum Format {
    /// The placeholder for a value that does not exist (yet).
    static let none = "—"

    /// A score in [0, 1] with four decimals, or "—".
    static func score(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        return String(format: "%.4f", value)
    }

    /// A fraction as a percentage with one decimal ("91.3 %"), or "—".
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        return String(format: "%.1f %%", value * 100)
    }

    /// `5GrwvaEF…utQY`: enough of an SS58 address to recognise it; short strings unchanged.
    static func shortHotkey(_ hotkey: String) -> String {
        guard hotkey.count > 14 else { return hotkey }
        return hotkey.prefix(8) + "…" + hotkey.suffix(4)
    }

    /// `2026-11-22T07:24:11.123Z` (for `<time datetime>`).
    static func iso(_ millis: Int64) -> String { Wire.timestamp(millis) }

    /// `2026-11-22 07:24 UTC`.
    static func dateTime(_ millis: Int64?) -> String {
        guard let millis else { return none }
        let iso = Wire.timestamp(millis)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }

    /// "3 min ago", "in 2 h 5 min", "just now".
    static func relative(_ millis: Int64?, now: Int64) -> String {
        guard let millis else { return none }
        let delta = millis - now
        if abs(delta) < 5_000 { return "just now" }
        let text = span(seconds: Double(abs(delta)) / 1000, coarse: true)
        return delta < 0 ? "\(text) ago" : "in \(text)"
    }

    /// A length of time: "42 s", "12 min 5 s", "3 h 12 min", "2 d 4 h"; `coarse` drops seconds past an hour.
    static func span(seconds: Double, coarse: Bool = false) -> String {
        let total = Int(seconds.rounded(.down))
        let days = total / 86_400, hours = total % 86_400 / 3600, minutes = total % 3600 / 60, secs = total % 60
        if days > 0 { return hours > 0 ? "\(days) d \(hours) h" : "\(days) d" }
        if hours > 0 { return minutes > 0 || !coarse ? "\(hours) h \(minutes) min" : "\(hours) h" }
        if minutes > 0 { return coarse || secs == 0 ? "\(minutes) min" : "\(minutes) min \(secs) s" }
        return "\(secs) s"
    }

    /// Seconds an agent took on a problem: "12.3 s", or "—".
    static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        return value < 100 ? String(format: "%.1f s", value) : span(seconds: value)
    }

    /// Milliseconds of one proxy call: "3.2 ms", "1.25 s".
    static func millis(_ value: Double) -> String {
        value < 1000 ? String(format: "%.1f ms", value) : String(format: "%.2f s", value / 1000)
    }

    /// An integer with thin-space thousands ("12 345").
    static func count(_ value: Int64) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append("\u{202F}") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// The first `limit` characters of `text` (on a character boundary) and whether it was cut.
    static func clip(_ text: String, limit: Int) -> (text: String, clipped: Bool) {
        guard text.count > limit else { return (text, false) }
        return (String(text.prefix(limit)), true)
    }

    /// Lower-case words of a status for CSS classes: "TIMED_OUT" → "timed-out".
    static func cssToken(_ status: String) -> String {
        String(status.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    /// "TIMED_OUT" → "Timed out".
    static func label(_ status: String) -> String {
        let words = status.lowercased().replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
