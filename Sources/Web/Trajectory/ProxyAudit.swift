import ArenaModel
import Foundation

/// Where an agent's own account of a problem (its dialogue) and the trusted proxy log disagree.
///
/// The dialogue is what the agent chose to write; the proxy log is what actually crossed the sandbox's only
/// door. The audit pairs every search tool call the dialogue shows with a proxy search of the same kind and
/// arguments (in order, each proxy call used once), and reports:
/// - a call the dialogue shows that the proxy never served (a made-up observation);
/// - a call whose results, as the dialogue shows them, are not the products the proxy returned;
/// - a proxy search the dialogue does not show (hidden exploration — legitimate for some agents, still worth
///   seeing next to the judge's verdict);
/// - more model-driven steps (with thinking or tool calls) than successful inference calls: reasoning no model
///   call produced.
struct ProxyAudit: Sendable, Equatable {
    /// One disagreement, attached to a step (1-based position in the dialogue) or to a proxy call.
    struct Finding: Sendable, Equatable {
        enum Kind: String, Sendable { case notServed = "not-served", differentResults = "different-results",
                                           notShown = "not-shown", unbackedSteps = "unbacked-steps" }
        var kind: Kind
        /// 1-based step the finding belongs to (nil: the whole trajectory or a proxy call only).
        var step: Int?
        /// Index of the proxy call in the full log (nil when it is about the dialogue only).
        var callIndex: Int?
        var message: String
    }

    var findings: [Finding]

    var isClean: Bool { findings.isEmpty }

    func findings(step: Int) -> [Finding] { findings.filter { $0.step == step } }
    func findings(callIndex: Int) -> [Finding] { findings.filter { $0.callIndex == callIndex && $0.step == nil } }

    /// The search tools whose calls go through the proxy, by dialogue tool name → proxy path and key argument.
    static let searchTools: [String: (path: String, key: String)] = [
        "find_product": ("/search/find_product", "q"),
        "view_product_information": ("/search/view_product_information", "product_ids"),
    ]

    /// Audits `steps` against the proxy's `calls` (the whole log of the problem, in time order).
    static func audit(steps: [DialogueStep], calls: [ProxyCallRecord]) -> ProxyAudit {
        var findings: [Finding] = []
        let parsed = calls.map { QueryString.parse($0.query ?? "") }
        var used = [Bool](repeating: false, count: calls.count)
        for (stepIndex, step) in steps.enumerated() {
            for call in step.toolCalls ?? [] {
                guard let name = call.name, let tool = searchTools[name] else { continue }
                let arguments = call.parameters
                let key = normalized(argument: arguments?[tool.key], key: tool.key)
                let page = arguments?["page"].map { text($0) } ?? "1"
                let match = calls.indices.first { i in
                    !used[i] && calls[i].path == tool.path
                        && normalized(text: parsed[i][tool.key] ?? "", key: tool.key) == key
                        && (tool.key != "q" || (parsed[i]["page"] ?? "1") == page)
                }
                let shownArgument = "\(name)(\(tool.key): \"\(Format.clip(key, limit: 80).text)\")"
                guard let match else {
                    findings.append(Finding(kind: .notServed, step: stepIndex + 1, callIndex: nil,
                                            message: "The dialogue shows \(shownArgument), but the proxy served no such call."))
                    continue
                }
                used[match] = true
                guard let shown = productIDs(in: call.result) else { continue }
                let served = calls[match].succeeded ? (calls[match].productIDs ?? []) : []
                if shown != served {
                    let invented = Set(shown).subtracting(served).count
                    let detail = invented > 0
                        ? "\(invented) of the \(shown.count) products shown were not in the proxy's answer"
                        : "the proxy returned \(served.count) products, the dialogue shows \(shown.count)"
                            + (Set(shown) == Set(served) ? " in another order" : "")
                    findings.append(Finding(kind: .differentResults, step: stepIndex + 1, callIndex: match,
                                            message: "The results of \(shownArgument) differ from the proxy's: \(detail)."))
                }
            }
        }
        for (i, call) in calls.enumerated() where !used[i] && call.path.hasPrefix("/search/") {
            let key = call.path.hasSuffix("find_product") ? "q" : "product_ids"
            let argument = Format.clip(parsed[i][key] ?? "", limit: 80).text
            let name = call.path.split(separator: "/").last.map(String.init) ?? call.path
            findings.append(Finding(kind: .notShown, step: nil, callIndex: i,
                                    message: "The proxy served \(name)(\(key): \"\(argument)\") that the dialogue does not show."))
        }
        let modelSteps = steps.filter { !($0.think ?? "").isEmpty || !($0.toolCalls ?? []).isEmpty }.count
        let modelCalls = calls.filter { $0.isInference && $0.succeeded }.count
        if modelSteps > modelCalls {
            findings.append(Finding(
                kind: .unbackedSteps, step: nil, callIndex: nil,
                message: "\(modelSteps) steps carry thinking or tool calls, but the proxy served only \(modelCalls) successful model "
                    + "call\(modelCalls == 1 ? "" : "s"): \(modelSteps - modelCalls) step\(modelSteps - modelCalls == 1 ? "" : "s") "
                    + "had no model behind \(modelSteps - modelCalls == 1 ? "it" : "them")."))
        }
        return ProxyAudit(findings: findings)
    }

    /// Product ids of a tool result that is a list of products (nil for any other shape: errors, text).
    static func productIDs(in result: JSONValue?) -> [String]? {
        guard let items = result?.arrayValue else { return nil }
        var ids: [String] = []
        for item in items {
            guard let id = item["product_id"] else { return nil }
            ids.append(text(id))
        }
        return ids
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: return JSONWriter().string(value)
        }
    }

    static func normalized(argument: JSONValue?, key: String) -> String {
        guard let argument else { return "" }
        if key == "product_ids", let list = argument.arrayValue { return list.map(text).joined(separator: ",") }
        return normalized(text: text(argument), key: key)
    }

    /// Trims; for product id lists also the spaces around commas.
    static func normalized(text: String, key: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard key == "product_ids" else { return trimmed }
        return trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ",")
    }
}

/// `a=1&b=x%20y` → ["a": "1", "b": "x y"] (`+` is a space; the first of repeated keys wins).
enum QueryString {
    static func parse(_ query: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(String(parts[0]))
            if out[name] == nil { out[name] = parts.count > 1 ? decode(String(parts[1])) : "" }
        }
        return out
    }

    static func decode(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
