import Foundation
import Testing
import ArenaModel
@testable import Search

@Suite("find_product semantics")
struct FindProductTests {
    /// 120 products with identical contents (so relevance order = id order, i ascending);
    /// price 500 − i, sold_count i % 7, COD on even i, official on i % 3 == 0, shop "s1" on i % 4 == 0.
    static let index: SearchIndex = {
        let products = (0..<120).map { i in
            var service: [String] = []
            if i % 3 == 0 { service.append("official") }
            if i % 2 == 0 { service.append("COD") }
            return Product(productID: String(1000 + i), shopID: i % 4 == 0 ? "s1" : "s2", title: "Widget Gadget",
                           price: Double(500 - i), soldCount: i % 7, service: service)
        }
        return try! Fixtures.index(products)
    }()

    func ids(_ r: FindProductRequest, cap: Int = FindProductLimits.defaultCandidateCap) -> [Int] {
        Self.index.findProduct(r, candidateCap: cap).map { Int($0.productID)! - 1000 }
    }

    @Test func pagesOfTenUpToFive() {
        #expect(ids(.init(q: "widget")) == Array(0..<10))
        #expect(ids(.init(q: "widget", page: "5")) == Array(40..<50))
        #expect(ids(.init(q: "widget", page: "01")) == Array(0..<10))
        // No page at all is not page 1: ShoppingBench's server (and ORO's copy) answer [].
        #expect(ids(.init(q: "widget", page: nil)).isEmpty)
        for bad in ["0", "6", "10", "", "-1", "1.0", " 1", "abc", "²"] {
            #expect(ids(.init(q: "widget", page: bad)).isEmpty, "page \(bad)")
        }
    }

    @Test func querySanitizing() {
        #expect(ids(.init(q: "+widget!! (gadget)")) == Array(0..<10))
        #expect(ids(.init(q: "widget:gadget/widget")) == Array(0..<10))
        for empty in ["", "   ", "+-&|!(){}[]^\"~*?:\\/", "the of and", "nothingmatches"] {
            #expect(ids(.init(q: empty)).isEmpty, "q \(empty)")
        }
        #expect(ids(.init(q: nil)).isEmpty)
        #expect(FindProductQuery.sanitize("  a+b  ") == "a b")
        // A colon is a Lucene special: field syntax never reaches the engine.
        #expect(FindProductQuery.sanitize("brand:nike") == "brand nike")
        // Code points, not Characters: a colon followed by a combining mark is still replaced, and
        // Python's str.strip() also strips U+001C–U+001F.
        #expect(FindProductQuery.sanitize("a:\u{301}b") == "a \u{301}b")
        #expect(FindProductQuery.sanitize("\u{1C}\u{1F}widget\u{1E}") == "widget")
    }

    @Test func priceFilterVariants() {
        #expect(ids(.init(q: "widget", price: "400-450")) == Array(50..<60))  // inclusive: 450 → i 50
        #expect(ids(.init(q: "widget", page: "2", price: "400-450")) == Array(60..<70))
        #expect(ids(.init(q: "widget", price: "-390")) == Array(110..<120))  // open low side
        #expect(ids(.init(q: "widget", price: "495-")) == Array(0..<6))  // open high side
        #expect(ids(.init(q: "widget", price: "abc-385")) == Array(115..<120))  // unparseable → unbounded
        #expect(ids(.init(q: "widget", price: " 495 - x")) == Array(0..<6))
        #expect(ids(.init(q: "widget", price: "400")) == Array(0..<10))  // no dash: ignored
        #expect(ids(.init(q: "widget", price: "1-2-3")) == Array(0..<10))  // two dashes: ignored
        #expect(ids(.init(q: "widget", price: "1e3-")) .isEmpty)
        #expect(ids(.init(q: "widget", price: "4_95-")) == Array(0..<6))
        // `nan` is a float in Python and every comparison with it is false, so a nan side filters nothing;
        // inf sides compare as in Python.
        #expect(ids(.init(q: "widget", price: "nan-450")) == Array(50..<60))
        #expect(ids(.init(q: "widget", page: "2", price: "400-NaN")) == Array(10..<20))
        #expect(ids(.init(q: "widget", price: "nan-nan")) == Array(0..<10))
        #expect(ids(.init(q: "widget", price: "inf-")).isEmpty)
        #expect(ids(.init(q: "widget", price: "-inf-400")) == Array(0..<10))  // two dashes: ignored
        #expect(ids(.init(q: "widget", price: "495-inf")) == Array(0..<6))
        #expect(FindProductQuery.pythonFloat("1_") == nil)
        #expect(FindProductQuery.pythonFloat("0x10") == nil)
        #expect(FindProductQuery.pythonFloat(" -2.5 ") == -2.5)
    }

    @Test func serviceAndUnknownTokens() {
        #expect(ids(.init(q: "widget", service: "COD")) == Array(stride(from: 0, to: 20, by: 2)))
        #expect(ids(.init(q: "widget", service: "COD,official")) == Array(stride(from: 0, to: 60, by: 6)))
        #expect(ids(.init(q: "widget", service: "COD,bogus,COD")) == Array(stride(from: 0, to: 20, by: 2)))
        #expect(ids(.init(q: "widget", service: "default")) == Array(0..<10))
        #expect(ids(.init(q: "widget", service: "freeShipping")).isEmpty)
        #expect(ids(.init(q: "widget", service: " COD")) == Array(0..<10))  // not a known token: dropped
    }

    @Test func shopFilterIsExact() {
        #expect(ids(.init(q: "widget", shopID: "s1")) == Array(stride(from: 0, to: 40, by: 4)))
        #expect(ids(.init(q: "widget", shopID: "s")).isEmpty)
        #expect(ids(.init(q: "widget", shopID: "")) == Array(0..<10))
    }

    @Test func sortsOnlyTheFirstFiftyKeptAndStably() {
        // The globally cheapest products (i ≥ 50) are never seen: only the first 50 kept are sorted.
        #expect(ids(.init(q: "widget", sort: "priceasc")) == Array((40..<50).reversed()))
        #expect(ids(.init(q: "widget", page: "5", sort: "priceasc")) == Array((0..<10).reversed()))
        #expect(ids(.init(q: "widget", sort: "pricedesc")) == Array(0..<10))
        // sold_count = i % 7 descending; ties keep relevance order.
        let bySold = (0..<50).sorted { ($0 % 7, -$0) > ($1 % 7, -$1) }
        #expect(ids(.init(q: "widget", sort: "order")) == Array(bySold.prefix(10)))
        #expect(ids(.init(q: "widget", sort: "relevance")) == Array(0..<10))
        #expect(ids(.init(q: "widget", sort: "ORDER")) == Array(0..<10))
    }

    @Test func candidateCapIsRespected() {
        #expect(ids(.init(q: "widget", service: "COD,official"), cap: 60) == Array(stride(from: 0, to: 60, by: 6)))
        #expect(ids(.init(q: "widget", page: "2", service: "COD,official"), cap: 60).isEmpty)
        #expect(ids(.init(q: "widget", price: "0-390"), cap: 110).isEmpty)
        #expect(ids(.init(q: "widget", price: "0-390"), cap: 111) == [110])
        #expect(ids(.init(q: "widget", price: "0-390"), cap: 1000) == Array(110..<120))
    }

    @Test func resultsAreTheStoredProducts() throws {
        let page = Self.index.findProduct(.init(q: "gadget"))
        #expect(page.count == 10)
        let first = try #require(page.first)
        #expect(first.productID == "1000" && first.price == 500 && first.service == ["official", "COD"] && first.shopID == "s1")
        #expect(JSONWriter().string(first.searchResultJSON)
            == #"{"price":500.0,"product_id":"1000","service":["official","COD"],"shop_id":"s1","sold_count":0,"title":"Widget Gadget"}"#)
    }

    @Test func viewProductInformationAndRaw() {
        let got = Self.index.viewProductInformation(productIDs: " 1001 ,nope,1000,,1001")
        #expect(got.map(\.productID) == ["1001", "1000", "1001"])
        #expect(Self.index.productsRaw(productIDs: "1119").first?.price == 381)
        #expect(Self.index.product(id: "1005")?.soldCount == 5)
        #expect(Self.index.product(id: "999") == nil)
        #expect(Self.index.documentCount == 120)
    }
}
