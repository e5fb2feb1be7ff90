import Foundation

/// Small inline SVG charts drawn from numbers, styled by the site's CSS (`.chart …` classes, `currentColor`),
/// so they follow the light and dark themes and need no script. Every label is escaped; the result is a
/// `SafeHTML` fragment with a `<title>` and an accessible description of the data.
enum SVGChart {
    /// One point of a line chart: `x` label (e.g. "v3"), value in [0, 1] or nil for a gap (not scored).
    struct Point: Sendable, Hashable {
        var label: String
        var value: Double?
        /// Where the point links to (e.g. the version's page), or nil.
        var href: String?
    }

    /// A line chart of scores in [0, 1] with one dot per point, a 0/0.5/1 grid and x labels.
    static func scores(_ points: [Point], title: String, id: String, width: Int = 640, height: Int = 220) -> SafeHTML {
        let left = 40.0, right = 16.0, top = 14.0, bottom = 36.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let step = points.count > 1 ? plotWidth / Double(points.count - 1) : 0
        func x(_ i: Int) -> Double { points.count > 1 ? left + Double(i) * step : left + plotWidth / 2 }
        func y(_ v: Double) -> Double { top + (1 - min(1, max(0, v))) * plotHeight }
        let description = points.map { "\($0.label): \(Format.score($0.value))" }.joined(separator: ", ")
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\">"
        svg += "<title id=\"\(id)-t\">\(SafeHTML.escape(title))</title><desc id=\"\(id)-d\">\(SafeHTML.escape(description))</desc>"
        for tick in [0.0, 0.5, 1.0] {
            svg += "<line class=\"grid\" x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\"/>"
            svg += "<text class=\"axis\" x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(tick == 0.5 ? "0.5" : String(Int(tick)))</text>"
        }
        // The line joins consecutive scored points; a gap (nil) breaks it.
        var segments: [[(Double, Double)]] = [[]]
        for (i, point) in points.enumerated() {
            if let value = point.value { segments[segments.count - 1].append((x(i), y(value))) } else { segments.append([]) }
        }
        for segment in segments where segment.count > 1 {
            svg += "<polyline class=\"line\" points=\"" + segment.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>"
        }
        let labelEvery = max(1, points.count / 12)
        for (i, point) in points.enumerated() {
            if let value = point.value {
                let dot = "<circle class=\"dot\" cx=\"\(f(x(i)))\" cy=\"\(f(y(value)))\" r=\"4\"><title>\(SafeHTML.escape(point.label)): \(Format.score(value))</title></circle>"
                if let href = point.href {
                    svg += "<a href=\"\(SafeHTML.escape(href))\">\(dot)</a>"
                } else {
                    svg += dot
                }
                if points.count <= 12 {
                    svg += "<text class=\"value\" x=\"\(f(x(i)))\" y=\"\(f(y(value) - 10))\" text-anchor=\"middle\">\(String(format: "%.3f", value))</text>"
                }
            }
            if i % labelEvery == 0 || i == points.count - 1 {
                svg += "<text class=\"axis\" x=\"\(f(x(i)))\" y=\"\(f(Double(height) - 12))\" text-anchor=\"middle\">\(SafeHTML.escape(point.label))</text>"
            }
        }
        svg += "</svg>"
        return SafeHTML(trusted: svg)
    }

    /// A horizontal bar chart of labelled counts (largest first as given), each bar with its count.
    static func bars(_ items: [(label: String, count: Int64)], title: String, width: Int = 640) -> SafeHTML {
        let rowHeight = 26.0, labelWidth = 200.0, right = 60.0
        let height = Int(Double(max(1, items.count)) * rowHeight + 8)
        let maximum = Double(max(1, items.map(\.count).max() ?? 1))
        let barSpace = Double(width) - labelWidth - right
        let description = items.map { "\($0.label): \($0.count)" }.joined(separator: ", ")
        var svg = "<svg class=\"chart bars\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(SafeHTML.escape(title)): \(SafeHTML.escape(description))\">"
        for (i, item) in items.enumerated() {
            let yTop = 4 + Double(i) * rowHeight
            let length = max(1, Double(item.count) / maximum * barSpace)
            svg += "<text class=\"axis\" x=\"\(f(labelWidth - 8))\" y=\"\(f(yTop + 17))\" text-anchor=\"end\">\(SafeHTML.escape(Format.clip(item.label, limit: 28).text))</text>"
            svg += "<rect class=\"bar\" x=\"\(f(labelWidth))\" y=\"\(f(yTop + 4))\" width=\"\(f(length))\" height=\"\(f(rowHeight - 8))\" rx=\"3\"/>"
            svg += "<text class=\"axis\" x=\"\(f(labelWidth + length + 6))\" y=\"\(f(yTop + 17))\">\(item.count)</text>"
        }
        svg += "</svg>"
        return SafeHTML(trusted: svg)
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
