import ArenaModel
import Catalog
import Foundation
import Search

/// Streams a JSONL catalog into an index file: `shoparena index build`, `eval --catalog`, `validator --catalog` and the
/// search benchmark all index this way.
public enum IndexBuilding {
    /// Builds `out` from `catalog` on `parallelism` threads (default: every core): the file is cut into that many
    /// runs of whole lines, each analysed into its own ``IndexSegment``, and the merge renumbers the postings on
    /// every core too. The index is the same whatever the parallelism. `progress` (when given) gets one line per
    /// phase step, e.g. `index indexing: 100000 documents, 52000 terms, 3.1 s`.
    public static func build(catalog: String, out: String, order: IndexDocumentOrder = .shortestFirst,
                             parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                             progress: (@Sendable (String) -> Void)?) throws -> IndexBuildSummary {
        let start = Date()
        let report = ProgressLine(start: start, sink: progress)
        let ranges = try LineReader.split(path: catalog, parts: max(1, parallelism))
        let segments = try ranges.indices.map { k in
            try IndexSegment(storedPath: IndexBuilder.segmentStoredPath(for: out, segment: k))
        }
        let outcomes = concurrentMap(ranges.count) { k in
            Result { try fill(segments[k], from: catalog, range: ranges[k], report: report) }
        }
        for (k, outcome) in outcomes.enumerated() {
            guard case .failure(let error) = outcome else { continue }
            if let e = error as? CatalogReadError, ranges[k].lowerBound > 0 {
                throw e.shifted(by: try LineReader.lines(path: catalog, before: ranges[k].lowerBound))
            }
            throw error
        }
        return try IndexBuilder.finish(segments: segments, into: out, order: order) { p in
            report.phase(p.phase.rawValue, documents: p.documents, terms: p.terms)
        }
    }

    /// Adds every document of `range` to `segment`, counting them into `report`.
    private static func fill(_ segment: IndexSegment, from catalog: String, range: Range<Int>, report: ProgressLine) throws {
        var reader = try CatalogReader(path: catalog, byteRange: range)
        var pending = 0
        while let doc = try reader.next() {
            try segment.add(doc)
            pending += 1
            if pending == 10_000 {
                report.indexed(pending)
                pending = 0
            }
        }
        report.indexed(pending)
        segment.seal()
    }
}

/// The build's progress lines: documents indexed by all threads together, every 100,000, then each phase.
private final class ProgressLine: @unchecked Sendable {
    private let start: Date
    private let sink: (@Sendable (String) -> Void)?
    private let lock = NSLock()
    private var documents = 0
    private var reported = 0

    init(start: Date, sink: (@Sendable (String) -> Void)?) {
        self.start = start
        self.sink = sink
    }

    func indexed(_ count: Int) {
        guard sink != nil else { return }
        lock.lock()
        documents += count
        let due = documents - reported >= 100_000
        if due { reported = documents - documents % 100_000 }
        let total = documents
        lock.unlock()
        if due { phase("indexing", documents: total, terms: nil) }
    }

    func phase(_ name: String, documents: Int, terms: Int?) {
        guard let sink else { return }
        let seconds = Date().timeIntervalSince(start)
        let termText = terms.map { ", \($0) terms" } ?? ""
        sink(String(format: "index %@: %d documents%@, %.1f s", name, documents, termText, seconds))
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
