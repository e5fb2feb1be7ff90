import Foundation
import ArenaModel

/// Counts over a set of trajectory records — what `shoparena corpus stats` prints and
/// `GET /v1/public/corpus/stats` answers. Figures only, never content.
public struct CorpusStats: Sendable, Equatable {
    public var total = 0
    public var accepted = 0
    public var byCategory: [String: Int] = [:]
    public var byVerdict: [String: Int] = [:]
    /// Rejected records by their primary (first) reason.
    public var byRejectReason: [String: Int] = [:]
    public var byAgent: [String: Int] = [:]
    public var byPhase: [String: Int] = [:]
    public var byDialect: [String: Int] = [:]
    /// Mean agentic richness over the records that have one.
    public var meanRichness: Double?
    /// Records of hidden race problems: counted here and nowhere else in a public answer.
    public var withheldHidden = 0

    public init() {}

    /// Stats of records in memory (`eval --corpus`, the bench). Hidden records only raise ``withheldHidden``
    /// when `public` is true.
    public init(records: [TrajectoryRecord], public isPublic: Bool = false) {
        var richnessSum = 0.0
        var richnessCount = 0
        for record in records {
            if isPublic && record.neverExport {
                withheldHidden += 1
                continue
            }
            total += 1
            if record.filter.accepted { accepted += 1 }
            byCategory[record.provenance.category ?? "unknown", default: 0] += 1
            byVerdict[record.agentic.verdict.rawValue, default: 0] += 1
            if let reason = record.filter.primaryReason { byRejectReason[reason.rawValue, default: 0] += 1 }
            byAgent[record.provenance.agentName, default: 0] += 1
            byPhase[record.provenance.phase, default: 0] += 1
            byDialect[record.dialect?.rawValue ?? "none", default: 0] += 1
            if let r = record.agentic.richness {
                richnessSum += r
                richnessCount += 1
            }
        }
        meanRichness = richnessCount == 0 ? nil : richnessSum / Double(richnessCount)
    }

    public var json: JSONValue {
        func counts(_ d: [String: Int]) -> JSONValue {
            .object(d.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })
        }
        return .object([
            ("total", .int(Int64(total))), ("accepted", .int(Int64(accepted))), ("rejected", .int(Int64(total - accepted))),
            ("by_category", counts(byCategory)), ("by_verdict", counts(byVerdict)),
            ("by_reject_reason", counts(byRejectReason)), ("by_agent", counts(byAgent)), ("by_phase", counts(byPhase)),
            ("by_dialect", counts(byDialect)),
            ("mean_agentic_richness", meanRichness.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null),
            ("withheld_hidden", .int(Int64(withheldHidden))),
            ("agentic_threshold", .double(AgenticRichness.threshold)),
            ("token_budget", .int(Int64(TokenCount.defaultBudget))),
        ])
    }

    /// A plain-text table for the terminal.
    public var text: String {
        var lines = ["trajectories: \(total) (accepted \(accepted), rejected \(total - accepted))"]
        if let meanRichness { lines.append("mean agentic richness: \(String(format: "%.3f", meanRichness))") }
        if withheldHidden > 0 { lines.append("hidden race trajectories withheld: \(withheldHidden)") }
        for (title, d) in [("category", byCategory), ("verdict", byVerdict), ("reject reason", byRejectReason),
                           ("agent", byAgent), ("phase", byPhase), ("dialect", byDialect)] where !d.isEmpty {
            lines.append("by \(title):")
            for (k, v) in d.sorted(by: { $0.key < $1.key }) { lines.append("  \(k): \(v)") }
        }
        return lines.joined(separator: "\n")
    }
}
