import Catalog
import Foundation

/// `shoparena catalog generate`: the deterministic synthetic catalog (documents.jsonl form), covering the reward
/// products of the given problem files, with an optional manifest of the non-filler products.
public enum CatalogFiles {
    /// Generates `products` products (more when the cover set needs them) into `out`; `note` gets warnings, progress
    /// of large runs and the closing summary.
    public static func generate(products: Int, seed: UInt64, cover: [String], out: String, manifest: String?, jobs: Int,
                                note: @escaping @Sendable (String) -> Void) async throws {
        let problems = try ScoreIO.problems(cover)
        let started = Date()
        let generator = try CatalogGenerator(
            configuration: CatalogGeneratorConfiguration(productCount: products, seed: seed), cover: problems)
        for w in generator.warnings { note("warning: \(w)") }
        if generator.count > products {
            note("warning: the cover set needs \(generator.coreCount) products; generating \(generator.count)")
        }
        let writer = try CatalogWriter(path: out)
        let manifestWriter = try manifest.map { try CatalogWriter(path: $0) }
        let report = try await generator.generate(into: writer, manifest: manifestWriter, parallelism: max(1, jobs)) { done, total in
            guard total >= 200_000 else { return }
            let rate = Double(done) / max(Date().timeIntervalSince(started), 0.001)
            note("  \(done)/\(total) products (\(Int(rate))/s)")
        }
        let seconds = Date().timeIntervalSince(started)
        note("generated \(out) in \(String(format: "%.1f", seconds)) s from \(problems.count) cover problems\n\(report.summary)")
    }
}
