import ArenaModel
import ArenaRuntime
import Foundation
import Search
import Testing

/// `IndexBuilding.build` cuts the catalog into one run of lines per thread: the file must not depend on how
/// many, and a bad line must be reported with its line number in the whole file.
@Suite("index building on several threads")
struct IndexBuildingTests {
    static let words = ["red", "blue", "cotton", "shirt", "men's", "running", "shoes", "USB-C", "cable", "2m",
                        "the", "of", "stainless", "steel", "bottle", "500ml", "kids", "toy", "car", "wireless"]

    /// A catalog of `count` products with titles drawn from `words`, one JSON line each.
    static func catalogLines(count: Int) -> [String] {
        var state: UInt64 = 77
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        return (0..<count).map { i in
            let title = (0..<(1 + next(9))).map { _ in words[next(words.count)] }.joined(separator: " ")
            let product = Product(productID: "p\(i)", shopID: "s\(next(40))", title: title, price: Double(next(10_000)) / 100)
            return CatalogDocument(product: product).jsonLine
        }
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("index-building-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func everyParallelismWritesTheSameFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = folder.appendingPathComponent("catalog.jsonl").path
        try (Self.catalogLines(count: 3_000).joined(separator: "\n") + "\n").write(toFile: catalog, atomically: true, encoding: .utf8)
        var files: [Data] = []
        for parallelism in [1, 2, 3, 7] {
            let out = folder.appendingPathComponent("p\(parallelism).idx").path
            let summary = try IndexBuilding.build(catalog: catalog, out: out, parallelism: parallelism, progress: nil)
            #expect(summary.documents == 3_000)
            files.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(files.allSatisfy { $0 == files[0] })
        // Nothing but the index files is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["catalog.jsonl", "p1.idx", "p2.idx", "p3.idx", "p7.idx"])
    }

    @Test func aBadLineInALaterRunIsReportedWithItsLineInTheFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = folder.appendingPathComponent("catalog.jsonl").path
        var lines = Self.catalogLines(count: 2_000)
        lines[1_733] = #"{"id": "broken", "product": {"title": "no id or price"}}"#
        try (lines.joined(separator: "\n") + "\n").write(toFile: catalog, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("catalog.idx").path
        for parallelism in [1, 2, 4] {
            do {
                _ = try IndexBuilding.build(catalog: catalog, out: out, parallelism: parallelism, progress: nil)
                Issue.record("a product without product_id must be refused")
            } catch {
                #expect("\(error)".contains("catalog line 1734"), "\(parallelism) threads: \(error)")
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left == ["catalog.jsonl"])
    }

    @Test func aDuplicateIDAcrossRunsIsRefused() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = folder.appendingPathComponent("catalog.jsonl").path
        var lines = Self.catalogLines(count: 1_000)
        lines[900] = lines[10]
        try (lines.joined(separator: "\n")).write(toFile: catalog, atomically: true, encoding: .utf8)
        #expect(throws: IndexError.badCatalog(reason: "duplicate product id 'p10'")) {
            _ = try IndexBuilding.build(catalog: catalog, out: folder.appendingPathComponent("x.idx").path, parallelism: 2, progress: nil)
        }
    }
}
