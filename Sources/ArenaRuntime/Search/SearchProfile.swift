import ArenaModel
import Foundation
import Search

/// `shoparena search query --profile`: one query's anatomy and timings, as JSON.
public enum SearchProfile {
    /// How `request` was answered: its terms, what the pruned scan visited and skipped, and the best of 5 timings of
    /// pruned and exhaustive ranking and of the whole find_product page.
    public static func profile(_ idx: SearchIndex, _ request: FindProductRequest, candidateCap: Int) -> JSONValue {
        let profile = idx.profile(request, candidateCap: candidateCap)
        let clock = ContinuousClock()
        func best(_ body: () -> Void) -> Double {
            (0..<5).map { _ in BenchSearch.ms(clock.measure(body)) }.min()!
        }
        let query = FindProductQuery(request)
        let pruned = best { _ = query.map { idx.keptDocuments($0, candidateCap: candidateCap) } }
        let exhaustive = best { _ = query.map { idx.keptDocuments($0, candidateCap: candidateCap, pruning: false) } }
        let page = best { _ = idx.findProduct(request, candidateCap: candidateCap) }
        let terms: [JSONValue] = profile.terms.map { t in
            .object([("term", .string(t.text)), ("document_frequency", .int(Int64(t.documentFrequency))),
                     ("weight", .double(Double(t.weight))), ("max_score", .double(Double(t.maxScore)))])
        }
        var fields: [(String, JSONValue)] = [("terms", .array(terms)), ("kept", .int(Int64(profile.kept))),
                                              ("fell_back_to_exhaustive", .bool(profile.fellBackToExhaustive))]
        if let s = profile.statistics {
            fields.append(("scan", .object([
                ("documents_visited", .int(Int64(s.documentsVisited))), ("documents_scored", .int(Int64(s.documentsScored))),
                ("windows_skipped", .int(Int64(s.windowsSkipped))), ("threshold_raises", .int(Int64(s.thresholdRaises))),
                ("essential_terms_at_end", .int(Int64(s.essentialTermsAtEnd))), ("scans", .int(Int64(s.scans))),
            ])))
        }
        fields.append(("pruned_ms", .double(pruned)))
        fields.append(("exhaustive_ms", .double(exhaustive)))
        fields.append(("find_product_ms", .double(page)))
        return .object(fields)
    }
}
