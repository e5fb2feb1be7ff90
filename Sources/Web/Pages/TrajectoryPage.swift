import ArenaModel
import Backend
import Foundation
import Store

/// The model of `/runs/{id}/problems/{problem}`: one problem's trajectory read from the uploaded log, step by
/// step next to the trusted proxy calls, with the outcome components, the judge's verdict and the marks where
/// the dialogue and the proxy log disagree.
struct TrajectoryPage: Sendable {
    struct Component: Sendable { var name: String; var value: String }
    struct FindingView: Sendable { var href: String?; var `where`: String; var message: String }

    var layout: Layout
    var agentName: String
    var agentHref: String
    var versionNumber: Int64
    var runHref: String
    var runShort: String
    var position: Int64
    var category: String
    var query: String
    var status: StatusView
    var outcomeScore: String
    var timeText: String
    var inferenceText: String
    var components: [Component]
    var hasComponents: Bool
    var errorText: String?
    var judgeScore: String
    var judgeModel: String?
    var judgeExplanation: String
    var verdictText: String
    var auditClean: Bool
    var auditSummary: String
    var findings: [FindingView]
    var proxyTotals: String
    var logProblem: String?
    var hasLog: Bool
    var steps: [StepView]
    var hasSteps: Bool
    var looseCalls: [ProxyCallView]
    var hasLooseCalls: Bool
    var rawLogHref: String?

    static func load(_ site: SiteContext, runID rawRun: String, problemID: String) async throws -> TrajectoryPage {
        let run = try await RunPage.requireRun(site, rawRun)
        guard let detail = try await site.queries.runProblem(evalRunID: run.evalRunID, problemID: problemID) else {
            throw PageNotFound(title: "No such problem in this run",
                               message: "Run \(run.evalRunID) has no public result for problem “\(problemID)”. The run's page "
                                   + "lists the problems it has reported (race problems are hidden and never shown).")
        }
        let progress = detail.progress
        let facts = ProblemFacts(metadata: detail.problemMetadata, category: progress.category)
        let summary = progress.scoreComponentsSummary.flatMap { try? JSONParser.parse($0) }
        let verdict = try await site.corpus.verdicts(for: [TrajectoryKey(evalRunID: run.evalRunID, problemID: problemID)])
            .values.first

        var model = TrajectoryPage(
            layout: Layout(title: "Trajectory: problem \(progress.position + 1) of run \(run.evalRunID.prefix(8))", section: .board),
            agentName: run.agentName, agentHref: Links.agent(run.agentVersionID), versionNumber: run.versionNumber,
            runHref: Links.run(run.evalRunID), runShort: String(run.evalRunID.prefix(8)), position: progress.position + 1,
            category: facts.category, query: facts.query, status: StatusView.word(progress.status),
            outcomeScore: Format.score(progress.score), timeText: Format.seconds(progress.executionTime),
            inferenceText: progress.inferenceTotal.map { "\($0) model call\($0 == 1 ? "" : "s")" } ?? "no model calls reported",
            components: Self.outcomeComponents(summary?["outcome"]), hasComponents: false,
            errorText: summary?["error"].map { "\($0["type"]?.stringValue ?? "Error"): \($0["message"]?.stringValue ?? "")" },
            judgeScore: Format.score(progress.reasoningScore), judgeModel: summary?["reasoning_model"]?.stringValue,
            judgeExplanation: summary?["reasoning_explanation"]?.stringValue
                ?? (progress.reasoningScore == nil ? "Not judged: only successful problems are judged." : "No explanation recorded."),
            verdictText: verdict.map { $0.label + ($0.reason.map { " (\($0))" } ?? "") }
                ?? "not in the corpus yet",
            auditClean: true, auditSummary: "", findings: [], proxyTotals: "", logProblem: nil, hasLog: false,
            steps: [], hasSteps: false, looseCalls: [], hasLooseCalls: false, rawLogHref: nil)
        model.hasComponents = !model.components.isEmpty

        guard let key = detail.logsKey, let sha = try await site.publicQueries.objectSHA256(key: key) else {
            model.logProblem = "No log has been uploaded for this problem yet, so its dialogue cannot be shown."
            model.auditSummary = "Nothing to compare without a log."
            return model
        }
        model.rawLogHref = "/v1/public/blobs/" + sha
        guard let bytes = try await site.services.blobs.get(sha) else {
            model.logProblem = "The log of this problem is recorded but its bytes are missing from the blob store."
            model.auditSummary = "Nothing to compare without a log."
            return model
        }
        let envelope: Envelope
        do {
            envelope = try ProblemLog.envelope(from: bytes, problemID: problemID)
        } catch {
            model.logProblem = "The log of this problem cannot be shown: \(error.description)."
            model.auditSummary = "Nothing to compare without a readable log."
            return model
        }
        model.hasLog = true
        model.fill(from: envelope)
        return model
    }

    /// The outcome components of the problem (`score_components_summary.outcome`), numbers with four decimals.
    static func outcomeComponents(_ outcome: JSONValue?) -> [Component] {
        guard case .object(let pairs)? = outcome else { return [] }
        return pairs.compactMap { name, value in
            switch value {
            case .double(let d): return Component(name: name, value: Format.score(d))
            case .int(let i): return Component(name: name, value: String(i))
            case .bool(let b): return Component(name: name, value: b ? "yes" : "no")
            case .string(let s): return Component(name: name, value: s)
            default: return nil  // per-slot details stay in the raw log
            }
        }
    }

    /// Steps, proxy calls and the audit from the problem's envelope.
    mutating func fill(from envelope: Envelope) {
        let steps = envelope.steps ?? []
        let calls = ProblemLog.proxyCalls(of: envelope)
        let audit = ProxyAudit.audit(steps: steps, calls: calls)

        // Which calls each step's bucket holds, as indices into the full log (each call used once).
        var taken = [Bool](repeating: false, count: calls.count)
        var bucketIndices: [[Int]] = []
        for step in steps {
            var indices: [Int] = []
            for record in (step.proxyCalls ?? []).compactMap(ProxyCallRecord.init(json:)) {
                if let i = calls.indices.first(where: { !taken[$0] && calls[$0] == record }) {
                    taken[i] = true
                    indices.append(i)
                }
            }
            bucketIndices.append(indices)
        }
        func callView(_ i: Int) -> ProxyCallView { ProxyCallView(calls[i], flags: audit.findings.filter { $0.callIndex == i }) }

        self.steps = steps.enumerated().map { offset, step in
            StepView(step, number: offset + 1, marks: audit.findings(step: offset + 1).map(\.message),
                     proxyCalls: bucketIndices[offset].map(callView))
        }
        hasSteps = !self.steps.isEmpty
        looseCalls = calls.indices.filter { !taken[$0] }.map(callView)
        hasLooseCalls = !looseCalls.isEmpty

        auditClean = audit.isClean
        if audit.isClean {
            auditSummary = calls.isEmpty && steps.isEmpty
                ? "Nothing to compare: no dialogue and no proxy calls."
                : "Every search the dialogue shows was served by the proxy with the same results, and every step has a model call behind it."
        } else {
            let count = audit.findings.count
            auditSummary = "\(count) disagreement\(count == 1 ? "" : "s") between the agent's dialogue and the trusted proxy log."
        }
        findings = audit.findings.map { finding in
            if let step = finding.step { return FindingView(href: "#step-\(step)", where: "Step \(step)", message: finding.message) }
            if let index = finding.callIndex {
                let owner = bucketIndices.firstIndex { $0.contains(index) }
                return FindingView(href: owner.map { "#step-\($0 + 1)" } ?? "#loose-h",
                                   where: owner.map { "Step \($0 + 1)" } ?? "Outside the dialogue", message: finding.message)
            }
            return FindingView(href: nil, where: "", message: finding.message)
        }
        let inference = calls.filter(\.isInference)
        let tokens = inference.compactMap { $0.usage?.totalTokens }.reduce(0, +)
        let searches = calls.filter { $0.path.hasPrefix("/search/") }.count
        proxyTotals = "Proxy log: \(calls.count) call\(calls.count == 1 ? "" : "s") — \(inference.count) to the model "
            + "(\(Format.count(Int64(tokens))) tokens, \(inference.filter { !$0.succeeded }.count) failed), \(searches) search\(searches == 1 ? "" : "es")."
    }
}

/// One dialogue step as the viewer shows it.
struct StepView: Sendable {
    struct Argument: Sendable { var name: String; var value: String }
    /// A product as a small card: a search hit (title, price, shop, sales, services) or a product's details
    /// (short description, attributes, SKU options).
    struct ProductCard: Sendable {
        var id: String
        var title: String
        var hasMeta: Bool
        var price: String?
        var shop: String?
        var sold: String?
        var details: String?
        var services: String?
    }
    struct CallView: Sendable {
        var name: String
        var callID: String?
        var arguments: [Argument]
        var hasArguments: Bool
        var products: [ProductCard]
        var hasProducts: Bool
        var productsText: String
        var resultText: String?
    }

    var number: Int
    var anchor: String
    var time: TimeView?
    var think: String?
    var thinkClipped: Bool
    var thinkLimit: Int
    var calls: [CallView]
    var response: String?
    var marks: [String]
    var hasMarks: Bool
    var proxyCalls: [ProxyCallView]
    var hasProxyCalls: Bool
    var proxyCount: Int

    /// Long texts are shortened so a page stays small; the raw log keeps everything.
    static let thinkLimit = 6000
    static let resultLimit = 3000
    static let productLimit = 10

    init(_ step: DialogueStep, number: Int, marks: [String], proxyCalls: [ProxyCallView]) {
        self.number = number
        anchor = "step-\(number)"
        time = step.timestamp.flatMap { TimeView(Int64($0), now: Int64($0)) }
        let think = Format.clip(step.think ?? "", limit: Self.thinkLimit)
        self.think = think.text.isEmpty ? nil : think.text
        thinkClipped = think.clipped
        thinkLimit = Self.thinkLimit
        var calls = (step.toolCalls ?? []).map(Self.call)
        if calls.isEmpty, let raw = step.rawToolCall, !raw.isNull, raw.arrayValue == nil {
            // A malformed tool_call (not a list): shown as written.
            calls = [CallView(name: "(malformed tool_call)", callID: nil, arguments: [], hasArguments: false, products: [],
                              hasProducts: false, productsText: "", resultText: Format.clip(JSONWriter().string(raw), limit: Self.resultLimit).text)]
        }
        self.calls = calls
        let response = step.response ?? ""
        self.response = response.isEmpty ? nil : Format.clip(response, limit: Self.thinkLimit).text
        self.marks = marks
        hasMarks = !marks.isEmpty
        self.proxyCalls = proxyCalls
        hasProxyCalls = !proxyCalls.isEmpty
        proxyCount = proxyCalls.count
    }

    static func call(_ call: ToolCall) -> CallView {
        let arguments: [Argument]
        if case .object(let pairs)? = call.parameters {
            arguments = pairs.map { name, value in
                Argument(name: name, value: Format.clip(value.stringValue ?? JSONWriter().string(value), limit: 500).text)
            }
        } else if let raw = call.raw["parameters"], !raw.isNull {
            arguments = [Argument(name: "(parameters)", value: Format.clip(JSONWriter().string(raw), limit: 500).text)]
        } else {
            arguments = []
        }
        var products: [ProductCard] = []
        var productsText = ""
        var resultText: String?
        if let items = call.result?.arrayValue, !items.isEmpty, items.allSatisfy({ $0["product_id"] != nil }) {
            products = items.prefix(productLimit).map(Self.card)
            productsText = items.count > productLimit
                ? "\(items.count) products returned; the first \(productLimit) are shown."
                : "\(items.count) product\(items.count == 1 ? "" : "s") returned."
        } else if let result = call.result, !result.isNull {
            let text = result.stringValue ?? JSONWriter().string(result)
            let clipped = Format.clip(text, limit: resultLimit)
            resultText = clipped.text + (clipped.clipped ? "\n… (shortened; the raw log has all of it)" : "")
        }
        return CallView(name: call.name ?? "(unnamed)", callID: call.toolCallID, arguments: arguments,
                        hasArguments: !arguments.isEmpty, products: products, hasProducts: !products.isEmpty,
                        productsText: productsText, resultText: resultText)
    }

    static func card(_ item: JSONValue) -> ProductCard {
        func text(_ key: String) -> String? {
            guard let value = item[key], !value.isNull else { return nil }
            return value.stringValue ?? ProxyAudit.text(value)
        }
        let price = item["price"]?.numberValue.map { String(format: "%.2f", $0) } ?? text("price")
        let services = item["service"]?.arrayValue?.compactMap(\.stringValue).joined(separator: " · ")
        let title = text("title") ?? text("short_description") ?? text("description") ?? "(no title)"
        var details: [String] = []
        if case .object(let attributes)? = item["attributes"] {
            details += attributes.prefix(4).map { key, value in
                "\(key): " + (value.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? ProxyAudit.text(value))
            }
        }
        if case .object(let options)? = item["sku_options"], !options.isEmpty {
            details.append("\(options.count) SKU option\(options.count == 1 ? "" : "s")")
        }
        let sold = item["sold_count"].flatMap { $0.intValue }.map { Format.count($0) }
        let shop = text("shop_id")
        return ProductCard(id: ProxyAudit.text(item["product_id"] ?? .null), title: Format.clip(title, limit: 200).text,
                           hasMeta: price != nil || shop != nil || sold != nil, price: price, shop: shop, sold: sold,
                           details: details.isEmpty ? nil : Format.clip(details.joined(separator: " · "), limit: 240).text,
                           services: (services ?? "").isEmpty ? nil : services)
    }
}

/// One trusted proxy call as a table row.
struct ProxyCallView: Sendable {
    var iso: String
    var clock: String
    var method: String
    var path: String
    var argument: String?
    var model: String?
    var status: String
    var statusCss: String
    var duration: String
    var detail: String
    var flagged: Bool
    var flagText: String

    init(_ call: ProxyCallRecord, flags: [ProxyAudit.Finding]) {
        iso = Format.iso(call.timestamp)
        let stamp = Format.iso(call.timestamp)
        clock = String(stamp.dropFirst(11).prefix(12))
        method = call.method
        path = call.path
        let query = QueryString.parse(call.query ?? "")
        if call.path.hasSuffix("find_product") {
            let extras = query.filter { $0.key != "q" }.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            let q = query["q"].map { ["q: " + Format.clip($0, limit: 160).text] } ?? []
            argument = (q + extras).isEmpty ? nil : (q + extras).joined(separator: " · ")
        } else if call.path.hasSuffix("view_product_information") {
            argument = query["product_ids"].map { "product_ids: \(Format.clip($0, limit: 160).text)" }
        } else {
            argument = call.query.map { Format.clip($0, limit: 160).text }
        }
        model = call.model
        status = String(call.status)
        statusCss = call.succeeded ? "success" : "failed"
        duration = Format.millis(call.durationMs)
        if let usage = call.usage {
            var parts: [String] = []
            if let p = usage.promptTokens { parts.append("\(Format.count(Int64(p))) in") }
            if let c = usage.completionTokens { parts.append("\(Format.count(Int64(c))) out") }
            if let t = usage.totalTokens { parts.append("\(Format.count(Int64(t))) total") }
            detail = parts.isEmpty ? Format.none : parts.joined(separator: " · ") + " tokens"
        } else if let ids = call.productIDs {
            detail = "\(ids.count) product\(ids.count == 1 ? "" : "s")"
                + (ids.isEmpty ? "" : ": " + ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", …" : ""))
        } else {
            detail = Format.none
        }
        flagged = !flags.isEmpty
        flagText = flags.map(\.message).joined(separator: " ")
    }
}
