import ArenaModel
import Backend
import Catalog
import Corpus
import Foundation
import Scoring

/// Why `shoparena corpus export` cannot start.
public enum CorpusExportRunError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `--catalog` JSONL cannot be read.
    case catalogUnreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .catalogUnreadable(let path, let reason): "--catalog \(path) cannot be read: \(reason)"
        }
    }
}

/// `shoparena corpus export` on an arena store: reads the optional catalog, runs `CorpusExport` with the options, and
/// words the outcome (the split audit, rows per file, what was left out, the rate) as the operator's summary.
public struct CorpusExportRun: Sendable {
    public var options: CorpusExportOptions
    /// A JSONL catalog: rl rows take product documents from it (nil: the objects the tools returned).
    public var catalog: String?
    /// Export only reads: a SQLite data folder without an arena database is refused rather than created empty.
    public static let opening = ArenaStore.Opening.existing

    public init(options: CorpusExportOptions, catalog: String? = nil) {
        self.options = options
        self.catalog = catalog
    }

    /// The options of `shoparena corpus export`, one per flag; `category` is matched lower-cased.
    public init(format: ExportFormat, out: String, split: SplitSelection, splits: CorpusSplits.Configuration, filter: ExportFilter,
                minJudge: Double?, category: String?, gzip: Bool, license: String, source: String, workers: Int, catalog: String?) {
        var options = CorpusExportOptions(format: format, outDirectory: out)
        options.split = split
        options.splits = splits
        options.filter = filter
        options.minJudge = minJudge
        options.category = category?.lowercased()
        options.gzip = gzip
        options.license = license
        options.source = source
        options.workers = workers
        self.init(options: options, catalog: catalog)
    }

    /// The catalog's products, or nil without ``catalog``.
    public func productLookup() throws(CorpusExportRunError) -> (any ProductLookup)? {
        guard let catalog else { return nil }
        do {
            return ProductDictionary(try CatalogReader.readAll(path: catalog).map(\.product))
        } catch {
            throw .catalogUnreadable(path: catalog, reason: "\(error)")
        }
    }

    /// Exports the corpus of `store` with ``options`` through `lookup` (see ``productLookup()``).
    public func run(store: ArenaStore, lookup: (any ProductLookup)?) async throws -> ExportStats {
        try await CorpusExport(database: store.database, blobs: store.blobs, catalog: lookup).run(options)
    }

    /// The summary lines of a finished export, in print order.
    public func summary(_ stats: ExportStats) -> [String] {
        var lines: [String] = []
        if let audit = stats.audit { lines.append(audit.text) }
        for file in CorpusExport.files(options) {
            lines.append("\(file.name): \(stats.rows[file.name] ?? 0) rows")
        }
        let skipped = stats.skipped.keys.sorted().map { "\($0) \(stats.skipped[$0]!)" }.joined(separator: ", ")
        lines.append("trajectories: \(stats.trajectories.values.reduce(0, +)) exported" + (skipped.isEmpty ? "" : "; left out: \(skipped)"))
        if options.format == .rl, stats.missingProducts > 0 { lines.append("rl: \(stats.missingProducts) product ids without a document") }
        lines.append("\(stats.totalRows) rows in \(String(format: "%.2f", stats.seconds)) s (\(Int(stats.rowsPerSecond)) rows/s) → \(options.outDirectory)")
        return lines
    }
}
