import ArenaModel
import Foundation

/// Turns a judge input into the text the judge reads (`reference/oro-validator.md` §4):
///
/// ```
/// QUERY: …
/// CATEGORY: product
///
/// VERIFIED PROXY CALLS (recorded by the proxy, not by the agent)
/// Summary: 2 searches, 1 product view, 3 inference calls (0 failed), 412 completion tokens, 2.4 s total
///   GET /search/find_product {"q":"waist bag"} → 200 (3ms)
///     returned product_ids: 11, 12, 13
///   POST /inference/chat/completions model=m tokens=120 → 200 (812ms)
///   …and 4 more calls
///
/// --- Step 1 ---
/// THINKING: …
/// TOOL: find_product({"q":"waist bag"})
/// RESULT: […]
/// ```
///
/// Calls come from the trusted log only; thinking and tool results come from the agent's dialogue and
/// are truncated as the reference does (thinking 1000 characters, results 300, call parameters 200,
/// 30 call lines, 20 product ids per call).
public struct TrajectoryFormatter: Sendable {
    public var maxThinking = 1000
    public var maxResult = 300
    public var maxParams = 200
    public var maxCallLines = 30
    public var maxProductIDs = 20

    public init() {}

    /// Appended to cut text.
    public static let truncationMark = "...[truncated]"
    /// The warning line for a run without inference calls.
    public static let noInferenceWarning =
        "WARNING: the proxy recorded no inference calls: the agent did not use a language model."

    public func format(_ input: JudgeInput) -> String {
        var lines: [String] = ["QUERY: \(input.query)"]
        if let category = input.category { lines.append("CATEGORY: \(category.rawValue.lowercased())") }
        lines.append("")
        lines += callSection(input.proxyCalls)
        lines.append("")
        let steps = input.envelope.steps ?? []
        if steps.isEmpty { lines.append("(the agent returned no dialogue steps)") }
        for (i, step) in steps.enumerated() {
            lines.append("--- Step \(i + 1) ---")
            if let think = step.think, !think.isEmpty {
                lines.append("THINKING: \(Self.truncate(think, to: maxThinking))")
            }
            for call in step.toolCalls ?? [] {
                let params = call.parameters.map { JSONWriter().string($0) } ?? "{}"
                lines.append("TOOL: \(call.name ?? "?")(\(params))")
                if let result = call.result {
                    let text = result.stringValue ?? JSONWriter().string(result)
                    lines.append("RESULT: \(Self.truncate(text, to: maxResult))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The "VERIFIED PROXY CALLS" section.
    public func callSection(_ calls: [ProxyCallRecord]) -> [String] {
        var lines = ["VERIFIED PROXY CALLS (recorded by the proxy, not by the agent)"]
        guard !calls.isEmpty else {
            lines.append("No proxy call data available.")
            lines.append(Self.noInferenceWarning)
            return lines
        }
        let searches = calls.filter { $0.path.contains("/search/find_product") }.count
        let views = calls.filter { $0.path.contains("/search/view_product") }.count
        let inference = calls.filter { $0.path.contains("/inference/") }
        let failed = calls.filter { $0.status >= 400 }.count
        let tokens = calls.compactMap { $0.usage?.completionTokens }.reduce(0, +)
        let seconds = calls.map(\.durationMs).reduce(0, +) / 1000
        lines.append(
            "Summary: \(calls.count) calls: \(searches) searches, \(views) product views, \(inference.count) inference calls "
                + "(\(failed) calls failed), \(tokens) completion tokens, \(String(format: "%.1f", seconds)) s total")
        for call in calls.prefix(maxCallLines) {
            var line = "  \(call.method) \(call.path)"
            if let params = Self.params(call.query) {
                line += " " + Self.truncate(JSONWriter().string(params), to: maxParams)
            }
            if let model = call.model { line += " model=\(model)" }
            if let t = call.usage?.completionTokens { line += " tokens=\(t)" }
            line += " → \(call.status) (\(Int(call.durationMs.rounded()))ms)"
            lines.append(line)
            if let ids = call.productIDs, !ids.isEmpty {
                var shown = ids.prefix(maxProductIDs).joined(separator: ", ")
                if ids.count > maxProductIDs { shown += " (+\(ids.count - maxProductIDs) more)" }
                lines.append("    returned product_ids: \(shown)")
            }
        }
        if calls.count > maxCallLines { lines.append("  ...and \(calls.count - maxCallLines) more calls") }
        if inference.isEmpty { lines.append(Self.noInferenceWarning) }
        return lines
    }

    /// `text` cut to `limit` characters plus ``truncationMark`` when longer.
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + truncationMark
    }

    /// A query string (`q=waist+bag&page=1`) as a JSON object of decoded parameters; nil when empty.
    static func params(_ query: String?) -> JSONValue? {
        guard let query, !query.isEmpty else { return nil }
        var pairs: [(String, JSONValue)] = []
        for part in query.split(separator: "&") where !part.isEmpty {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            pairs.append((decode(kv[0]), .string(kv.count > 1 ? decode(kv[1]) : "")))
        }
        return .object(pairs)
    }
}
