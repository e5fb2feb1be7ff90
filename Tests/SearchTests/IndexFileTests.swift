import Foundation
import Testing
import ArenaModel
import Catalog
@testable import Search

@Suite("Index file round trip and corruption")
struct IndexFileTests {
    static let products: [Product] = (0..<40).map { i in
        Product(productID: "\(7000 + i * 13)", shopID: "shop\(i % 3)", brand: "b", title: "Item \(i) Widget’s case \(i % 5) café",
                price: Double(i) * 1.25, soldCount: i * 3, skuOptions: [[.init("color_family", i % 2 == 0 ? "red" : "blue")]],
                attributes: [.init("material", ["steel"])], service: i % 2 == 0 ? ["COD"] : [])
    }

    func buildFile() throws -> (String, [UInt8]) {
        let path = Fixtures.temporaryPath("rt.idx")
        _ = try IndexBuilder.build(documents: Self.products.map(CatalogDocument.init(product:)), into: path)
        return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func roundTripKeepsProductsAndStats() throws {
        let (path, _) = try buildFile()
        defer { unlink(path) }
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        let index = try SearchIndex.open(path: path)
        #expect(index.documentCount == Self.products.count)
        for p in Self.products { #expect(index.product(id: p.productID) == p) }
        #expect(index.rank(query: "widget", limit: 100).count == 40)
        #expect(index.rank(query: "red", limit: 100).count == 20)
    }

    @Test func duplicateIDsAreRefused() {
        let p = Product(productID: "1", shopID: "s", title: "x", price: 1)
        #expect(throws: IndexError.self) {
            _ = try IndexBuilder.build(documents: [CatalogDocument(product: p), CatalogDocument(product: p)],
                                       into: Fixtures.temporaryPath("dup.idx"))
        }
    }

    func openError(_ bytes: [UInt8]) -> IndexError? {
        let path = Fixtures.temporaryPath("bad.idx")
        defer { unlink(path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            _ = try SearchIndex.open(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func truncationAtManyOffsetsIsReported() throws {
        let (path, bytes) = try buildFile()
        unlink(path)
        var offsets = [0, 1, 7, 8, 11, 12, 100, 511, 512, 513, bytes.count - 1]
        offsets += stride(from: 600, to: bytes.count, by: max(1, bytes.count / 40))
        for cut in offsets {
            let error = openError(Array(bytes[0..<cut]))
            switch error {
            case .truncated?, .badMagic?: break
            default: Issue.record("cut at \(cut): \(String(describing: error))")
            }
        }
    }

    @Test func flippedBytesAreDetected() throws {
        let (path, bytes) = try buildFile()
        unlink(path)
        for position in stride(from: 0, to: bytes.count, by: 11) {
            var damaged = bytes
            damaged[position] ^= 0x5A
            let error = openError(damaged)
            #expect(error != nil, "flip at \(position) went unnoticed")
        }
    }

    @Test func versionMismatchAndBadMagicAndMissingFile() throws {
        let (path, bytes) = try buildFile()
        unlink(path)
        var v = bytes
        v[8] = 99
        #expect(openError(v) == .versionMismatch(found: 99, expected: IndexFormat.version))
        #expect(IndexFormat.version == 2)
        let notAnIndex = openError(Array("{\"id\": \"1\", \"contents\": \"x\"}\n".utf8))
        if case .badMagic? = notAnIndex {} else { Issue.record("expected badMagic, got \(String(describing: notAnIndex))") }
        #expect(throws: IndexError.notFound(path: "/nonexistent/x.idx")) { try SearchIndex.open(path: "/nonexistent/x.idx") }
        let message = IndexError.versionMismatch(found: 2, expected: 1).description
        #expect(message.contains("rebuild"))
    }

    @Test("damaged postings or skip blocks (unverified file) end a term's postings, never trap the pruned scan")
    func damagedPostingsAndBlocksNeverTrapThePrunedScan() throws {
        let (path, bytes) = try buildFile()
        defer { unlink(path) }
        let header = try IndexHeader.decode(Array(bytes.prefix(IndexFormat.headerSize)), path: path, actualFileSize: bytes.count)
        let targets = [IndexFormat.Section.postings, .termBlocks].map { header.sections[$0.rawValue] }
        var x: UInt64 = 99
        var opened = 0
        for trial in 0..<60 {
            var damaged = bytes
            let section = targets[trial % 2]
            for _ in 0..<(1 + trial % 7) {
                x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                damaged[section.offset + Int((x >> 33) % UInt64(section.length))] = UInt8(truncatingIfNeeded: x >> 17)
            }
            _ = FileManager.default.createFile(atPath: path, contents: Data(damaged))
            let index = try SearchIndex.open(path: path, verify: false)
            opened += 1
            for q in ["widget", "item case", "red blue steel café", "case widget item 3"] {
                _ = index.findProduct(.init(q: q))
                _ = index.findProduct(.init(q: q, price: "1-30", sort: "pricedesc", service: "COD"))
                _ = index.findProduct(.init(q: q, shopID: "shop1"))
                _ = index.rank(query: q, limit: 100)
            }
        }
        #expect(opened == 60)
    }

    @Test func unverifiedDamagedFilesNeverCrashQueries() throws {
        let (path, bytes) = try buildFile()
        defer { unlink(path) }
        // Scribble over everything after the header (postings, columns, stored JSON) and query anyway.
        var damaged = bytes
        var x: UInt32 = 12345
        for i in stride(from: 512, to: damaged.count, by: 3) {
            x = x &* 1_103_515_245 &+ 12345
            damaged[i] = UInt8(truncatingIfNeeded: x >> 16)
        }
        _ = FileManager.default.createFile(atPath: path, contents: Data(damaged))
        guard let index = try? SearchIndex.open(path: path, verify: false) else { return }
        for q in ["widget", "item case", "red blue steel café", "1 2 3 4"] {
            _ = index.rank(query: q, limit: 100)
            _ = index.findProduct(.init(q: q, sort: "priceasc"))
        }
        _ = index.viewProductInformation(productIDs: "7000,7013")
    }
}
