import ArenaModel
import Foundation

/// An order-insensitive canonical text of a problem's reward specification: per item its titles (NFKC, lower
/// case, white space collapsed), price constraints, services and required (key, value) pairs, each sorted,
/// the items sorted, plus the category and the voucher. Product ids are left out, so the same problem with its
/// product re-listed under a new id has the same key.
public enum RewardKey {
    /// The key, or nil when the specification says too little to identify a problem (no title anywhere).
    public static func of(_ problem: Problem) -> String? {
        guard problem.rewards.contains(where: { !$0.titles.isEmpty }) else { return nil }
        let items = problem.rewards.map(item).sorted()
        var parts = [problem.category.rawValue, items.joined(separator: " | ")]
        if let v = problem.voucher { parts.append(voucher(v)) }
        return parts.joined(separator: " # ")
    }

    static func item(_ r: RewardItem) -> String {
        let titles = r.titles.map(normalized).sorted().joined(separator: ";")
        let prices = r.price.map { "\($0.mode.rawValue)[\(number($0.lower)),\(number($0.upper))]" }.sorted()
        let services = r.service.sorted()
        let pairs = r.requiredPairs.map { "\(normalized($0.key))=\(normalized($0.value))" }.sorted()
        return [titles, prices.joined(separator: ","), services.joined(separator: ","), pairs.joined(separator: ",")]
            .joined(separator: " / ")
    }

    static func voucher(_ v: Voucher) -> String {
        let discount: String
        switch v.discount {
        case .fixed(let face): discount = "fixed \(number(face))"
        case .percentage(let rate, let cap): discount = "pct \(number(rate)) cap \(number(cap))"
        }
        return "\(v.scope.rawValue) \(number(v.threshold)) \(discount) budget \(number(v.budget))"
    }

    static func normalized(_ s: String) -> String {
        s.precomposedStringWithCompatibilityMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func number(_ x: Double?) -> String {
        guard let x else { return "-" }
        return QueryFingerprint.canonicalNumber(String(x))
    }
}
