import ArenaModel
import Foundation
import Testing
@testable import Catalog

@Suite("ShoppingBench documents.jsonl lines")
struct ShoppingBenchDocumentTests {
    /// One line as upstream's converter writes it: `json.dumps` default separators, `ensure_ascii`
    /// escapes (an en dash, an accented letter and an emoji as a surrogate pair).
    static let line = #"{"id": "4410867766", "contents": "Heavy Duty Pushcart \u2013 Wheel 6/8/10/12 Inches\n12 inch 10 inch\nrubber hosport", "product": {"product_id": "4410867766", "shop_id": "1234567", "brand": "Hosport", "category": "Tools & Home Improvement > Hardware > Wheels", "title": "Heavy Duty Pushcart \u2013 Wheel 6/8/10/12 Inches", "short_description": "Caf\u00e9 grade; solid rubber", "description": "Rolls smoothly \ud83d\ude00", "specification": "material:rubber", "price": 99.0, "sold_count": 3, "sku_options": {"1": {"size": "12 inch"}, "2": {"size": "10 inch"}}, "attributes": {"material": ["rubber"], "brand": ["hosport"]}, "main_image_url": "https://img.lazcdn.com/g/p/abc.jpg", "product_url": "https://www.lazada.com.ph/products/-i4410867766.html", "service": ["COD", "freeShipping"]}}"#

    @Test func upstreamShapedLineLoadsThroughCatalogReader() throws {
        let path = GeneratorFixture.temporaryPath("documents.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (Self.line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var reader = try CatalogReader(path: path)
        let doc = try #require(try reader.next())
        #expect(try reader.next() == nil)
        #expect(doc.id == "4410867766")
        let p = doc.product
        #expect(p.title == "Heavy Duty Pushcart \u{2013} Wheel 6/8/10/12 Inches")
        #expect(p.shortDescription == "Café grade; solid rubber")
        #expect(p.description == "Rolls smoothly 😀")
        #expect(p.price == 99.0 && p.soldCount == 3)
        #expect(p.skuOptions == [[.init("size", "12 inch")], [.init("size", "10 inch")]])
        #expect(p.attributes == [.init("material", ["rubber"]), .init("brand", ["hosport"])])
        #expect(p.service == ["COD", "freeShipping"])
        // The file's own contents are kept; they match what we derive.
        #expect(doc.contents == p.searchContents)
        // Written back compactly, it reads as the same product, with price as Python prints it.
        #expect(doc.jsonLine.contains(#""price":99.0"#))
        #expect(try CatalogDocument(jsonLine: doc.jsonLine, lineNumber: 1).product == p)
    }

    @Test func generatedLinesHaveTheUpstreamShape() throws {
        let generator = try CatalogGenerator(configuration: .init(productCount: 50, seed: 4), cover: [])
        for i in 0..<50 {
            let line = CatalogDocument(product: generator.product(at: i)).jsonLine
            let value = try JSONParser.parse(line)
            #expect(value.objectValue?.map(\.0) == ["id", "contents", "product"])
            let keys = value["product"]?.objectValue?.map(\.0)
            #expect(keys == ["product_id", "shop_id", "brand", "category", "title", "short_description", "description",
                             "specification", "price", "sold_count", "sku_options", "attributes", "main_image_url",
                             "product_url", "service"])
            if case .double = value["product"]!["price"]! {} else { Issue.record("price must be a float: \(line)") }
        }
    }
}

@Suite("Fast document encoder")
struct DocumentEncoderTests {
    @Test func bytesEqualTheJSONWriterLine() throws {
        let generator = try CatalogGenerator(configuration: .init(productCount: 3000, seed: 77), cover: GeneratorFixture.oroSuite())
        var products = (0..<generator.count).map(generator.product(at:))
        products.append(Product(
            productID: "1", shopID: "2", brand: "Q\"uote\\", category: "A > B", title: "Tab\tNew\nline\r\u{08}\u{0C}\u{01}\u{1F} é 😀 \u{7F}",
            price: 1e-7, soldCount: -3, skuOptions: [[.init("k", "v\"")], []], attributes: [.init("a", []), .init("b", ["x", "y"])],
            service: ["COD"]))
        for price in [0.1, 0.01, 123.45, 256.5, 99.0, 1e16, 12345678.9, 0.3 + 0.6, 1500000.07] {
            products.append(Product(productID: "9", shopID: "9", title: "t", price: price))
        }
        let encoder = DocumentEncoder()
        for p in products {
            let doc = CatalogDocument(product: p)
            #expect(String(decoding: encoder.encode(doc), as: UTF8.self) == doc.jsonLine, "\(p.productID) \(p.price)")
            // The index stores products with the product part alone.
            #expect(String(decoding: ProductJSONEncoder().encode(p), as: UTF8.self) == JSONWriter().string(p.json))
        }
    }
}
