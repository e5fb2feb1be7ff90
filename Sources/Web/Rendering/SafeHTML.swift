import Mustache

/// A fragment of HTML (or inline SVG) that the Web module built itself, with every piece of outside text
/// escaped on the way in. The only kind of value a template may print unescaped: templates use triple
/// mustaches (`{{{…HTML}}}`) solely for fields of this type, whose names end in `HTML` (a test checks it).
public struct SafeHTML: Sendable, Hashable, MustacheCustomRenderable {
    /// The markup.
    public let html: String

    /// Wraps markup this module generated. Never pass text that came from outside unescaped.
    init(trusted html: String) { self.html = html }

    public static let empty = SafeHTML(trusted: "")

    public var renderText: String { html }
    public var isNull: Bool { html.isEmpty }

    /// `text` with `& < > " '` replaced by entities: safe in element content and in quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
