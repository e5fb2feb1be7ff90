import Foundation
import Testing
import ArenaModel
@testable import Catalog

@Suite("Catalog JSONL files")
struct CatalogFileTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-\(UUID().uuidString)-\(name)").path
    }

    @Test func writesAndReadsBackWithPythonFloatsAndContents() throws {
        let product = Product(
            productID: "4410867766", shopID: "12", title: "Heavy Duty Pushcart Wheel 6/8/10/12 Inches", price: 99.0,
            soldCount: 3, skuOptions: [[.init("size", "12 inch")], [.init("size", "10 inch")]],
            attributes: [.init("brand", ["hosport"]), .init("material", ["rubber", "steel"])], service: ["COD"])
        let path = temporaryPath("catalog.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CatalogWriter(path: path)
        try writer.write(CatalogDocument(product: product))
        try writer.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(#""price":99.0"#))
        #expect(text.contains(#""contents":"Heavy Duty Pushcart Wheel 6/8/10/12 Inches\n12 inch 10 inch\nhosport rubber steel""#))
        #expect(text.contains(#""sku_options":{"1":{"size":"12 inch"},"2":{"size":"10 inch"}}"#))
        let docs = try CatalogReader.readAll(path: path)
        #expect(docs.count == 1)
        #expect(docs[0].product == product)
    }

    @Test func readsShoppingBenchShapedLinesAndReportsBadLines() throws {
        let path = temporaryPath("sb.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let good = #"{"id": "5", "contents": "t\n\n", "product": {"product_id": "5", "shop_id": "7", "title": "t", "price": 12, "sold_count": 0, "sku_options": {}, "attributes": {}, "service": []}}"#
        try (good + "\n\n" + good.replacingOccurrences(of: "\"5\"", with: "\"6\"") + "\r\n{oops}\n").write(toFile: path, atomically: true, encoding: .utf8)
        var reader = try CatalogReader(path: path)
        #expect(try reader.next()?.product.price == 12.0)
        #expect(try reader.next()?.id == "6")
        do {
            _ = try reader.next()
            Issue.record("a malformed line must be an error")
        } catch {
            #expect(error.description.hasPrefix("catalog line 4:"))
        }
    }

    @Test func duplicateIDsAreRefusedWithBothLines() throws {
        let path = temporaryPath("dup.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let line = #"{"product_id":"1","title":"a","price":1.5}"#
        try (line + "\n" + line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CatalogReadError.self) { try CatalogReader.readAll(path: path) }
    }

    @Test func longLinesAcrossBufferBoundaries() throws {
        let path = temporaryPath("long.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = ""
        for i in 0..<50 {
            let title = String(repeating: "word\(i) ", count: 2000)
            text += #"{"product_id":"\#(i)","title":"\#(title)","price":\#(i).25}"# + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var reader = try CatalogReader(path: path)
        var count = 0
        while let doc = try reader.next() {
            #expect(doc.product.price == Double(count) + 0.25)
            count += 1
        }
        #expect(count == 50)
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: CatalogReadError.self) { try CatalogReader(path: "/nonexistent/catalog.jsonl") }
    }
}
