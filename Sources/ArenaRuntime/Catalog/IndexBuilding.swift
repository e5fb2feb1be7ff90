import Catalog
import Foundation
import Search

/// Streams a JSONL catalog into an index file: `shoparena index build`, `eval --catalog`, `validator --catalog` and the
/// search benchmark all index this way.
public enum IndexBuilding {
    /// Builds `out` from `catalog`; `progress` (when given) gets one line per phase step, e.g.
    /// `index postings: 100000 documents, 52000 terms, 3.1 s`.
    public static func build(catalog: String, out: String, order: IndexDocumentOrder = .shortestFirst,
                             progress: (@Sendable (String) -> Void)?) throws -> IndexBuildSummary {
        let start = Date()
        var reader = try CatalogReader(path: catalog)
        var builder = try IndexBuilder(path: out, order: order, progressEvery: 100_000) { p in
            guard let progress else { return }
            let seconds = Date().timeIntervalSince(start)
            progress(String(format: "index %@: %d documents, %d terms, %.1f s", p.phase.rawValue, p.documents, p.terms, seconds))
        }
        while let doc = try reader.next() { try builder.add(doc) }
        return try builder.finish()
    }
}

extension IndexBuilding {
    /// `shoparena index info`: opens (and checks) the index file at `path` and returns its statistics as one JSON line.
    public static func info(path: String) throws -> String {
        let idx = try SearchIndex.open(path: path)
        return """
            {"path": "\(path)", "documents": \(idx.documentCount), "documents_with_terms": \(idx.fieldDocumentCount), \
            "terms": \(idx.termCount), "total_term_frequency": \(idx.sumTotalTermFreq), "bytes": \(idx.fileSize)}
            """
    }
}
