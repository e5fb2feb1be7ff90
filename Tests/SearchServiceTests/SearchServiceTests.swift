import ArenaModel
import Foundation
import Hummingbird
import HummingbirdTesting
import Search
import Testing
@testable import SearchService

/// A small index built once per test from hand-written products.
func makeIndex() throws -> SearchIndex {
    let products = [
        Product(productID: "101", shopID: "7", title: "Heavy Duty Pushcart Rubber Wheel 12 Inches", price: 450.0,
                soldCount: 12, skuOptions: [[.init("size", "12 inch")]], attributes: [.init("brand", ["hosport"])],
                service: ["COD", "freeShipping"]),
        Product(productID: "102", shopID: "7", title: "Rubber Wheel for Trolley 8 Inches", price: 99.0, soldCount: 40,
                service: ["official"]),
        Product(productID: "103", shopID: "9", title: "Women's Jeans High Waist", shortDescription: "stretch denim",
                description: "Comfortable jeans.", price: 256.5, soldCount: 3),
    ]
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-svc-\(UUID().uuidString).idx").path
    var builder = try IndexBuilder(path: path)
    for p in products { try builder.add(CatalogDocument(product: p)) }
    _ = try builder.finish()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try SearchIndex.open(path: path)
}

@Suite("Search HTTP service")
struct SearchServiceTests {
    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router()
        SearchRoutes(engine: try makeIndex()).register(on: router)
        let app = Application(router: router)
        try await app.test(.router) { client in try await body(client) }
    }

    func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test func findProductAnswersWithTheReferenceShapeInSortedKeyOrder() async throws {
        try await withApp { client in
            try await client.execute(uri: "/find_product?q=rubber+wheel&page=1", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let value = try JSONParser.parse(self.text(response))
                let items = try #require(value.arrayValue)
                #expect(items.count == 2)
                #expect(items[0].objectValue?.map(\.0) == ["price", "product_id", "service", "shop_id", "sold_count", "title"])
                #expect(self.text(response).contains(#""price": 99.0"#) || self.text(response).contains(#""price": 450.0"#))
            }
        }
    }

    @Test func filtersAndSortArriveFromTheQueryString() async throws {
        try await withApp { client in
            try await client.execute(uri: "/find_product?q=wheel&page=1&sort=priceasc&price=50-500&service=COD", method: .get) { response in
                let items = try #require(try JSONParser.parse(self.text(response)).arrayValue)
                #expect(items.map { $0["product_id"]?.stringValue } == ["101"])
            }
            try await client.execute(uri: "/find_product?q=wheel&page=1&sort=priceasc", method: .get) { response in
                let items = try #require(try JSONParser.parse(self.text(response)).arrayValue)
                #expect(items.map { $0["product_id"]?.stringValue } == ["102", "101"])
            }
            try await client.execute(uri: "/find_product?q=wheel&page=1&shop_id=9", method: .get) { response in
                #expect(self.text(response) == "[]")
            }
        }
    }

    @Test("bad parameters answer [] and never 500", arguments: [
        "/find_product", "/find_product?page=1", "/find_product?q=wheel&page=0", "/find_product?q=wheel&page=6",
        "/find_product?q=wheel&page=abc", "/find_product?q=%ZZ&page=1", "/find_product?q=%2B%2B%2B&page=1",
        "/view_product_information", "/view_product_information?product_ids=", "/view_product_information?product_ids=nope",
    ])
    func badParameters(uri: String) async throws {
        try await withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
                #expect(self.text(response) == "[]")
            }
        }
    }

    /// ShoppingBench's server (and ORO's copy) answer `[]` when `page` is missing; page 1 must be asked for.
    @Test func aMissingPageGivesNoProducts() async throws {
        try await withApp { client in
            try await client.execute(uri: "/find_product?q=jeans", method: .get) { response in
                #expect(response.status == .ok)
                #expect((try? JSONParser.parse(self.text(response)))?.arrayValue?.isEmpty == true)
            }
            try await client.execute(uri: "/find_product?q=jeans&page=1", method: .get) { response in
                #expect(self.text(response).contains(#""product_id": "103""#))
            }
        }
    }

    @Test func viewProductInformationTrimsIdsAndSkipsUnknownOnes() async throws {
        try await withApp { client in
            try await client.execute(uri: "/view_product_information?product_ids=103,%20nope,101", method: .get) { response in
                let items = try #require(try JSONParser.parse(self.text(response)).arrayValue)
                #expect(items.map { $0["product_id"]?.stringValue } == ["103", "101"])
                #expect(items[0].objectValue?.map(\.0) == ["attributes", "description", "product_id", "short_description", "sku_options"])
                #expect(items[0]["short_description"] == "stretch denim")
            }
        }
    }

    @Test func rawProductsAndHealth() async throws {
        try await withApp { client in
            try await client.execute(uri: "/get_product_raw?product_ids=101", method: .get) { response in
                let items = try #require(try JSONParser.parse(self.text(response)).arrayValue)
                #expect(items.first?["title"] == "Heavy Duty Pushcart Rubber Wheel 12 Inches")
                #expect(items.first?["sku_options"] == .object([("1", .object([("size", "12 inch")]))]))
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(self.text(response) == #"{"service": "search-server", "status": "healthy"}"#)
            }
        }
    }

    @Test func theProxyCanHideRawProducts() async throws {
        let router = Router()
        SearchRoutes(engine: try makeIndex(), exposesRawProducts: false).register(on: router, prefix: "/search")
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/search/get_product_raw?product_ids=101", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/search/find_product?q=jeans&page=1", method: .get) { response in
                #expect(String(buffer: response.body).contains("\"103\""))
            }
        }
    }
}

@Suite("Werkzeug-compatible query strings")
struct QueryStringTests {
    @Test func decodesLikeFlask() {
        let q = QueryString("q=usb+c%2B%2B&q=second&price=100-&empty&bad=%G1%4")
        #expect(q["q"] == "usb c++")
        #expect(q["price"] == "100-")
        #expect(q["empty"] == "")
        #expect(q["bad"] == "%G1%4")
        #expect(q["missing"] == nil)
        #expect(QueryString("q=%E2%9D%A4%FF")["q"] == "❤\u{FFFD}")
    }
}
