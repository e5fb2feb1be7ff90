import ArenaModel
import Hummingbird
import Search

/// The routes of the ShoppingBench/ORO search server over any ``ProductSearching`` engine.
///
/// Paths, parameters and response shapes are the reference's (`reference/shoppingbench.md` §1.3–1.4,
/// `reference/oro-validator.md` §5): JSON arrays with the reference's keys in Flask's sorted order.
/// Unlike the reference, no parameter can make it answer 500: bad input gives `[]`.
public struct SearchRoutes: Sendable {
    public let engine: any ProductSearching
    /// Whether `/get_product_raw` is served (the scorer needs it; the proxy never exposes it).
    public var exposesRawProducts: Bool

    public init(engine: any ProductSearching, exposesRawProducts: Bool = true) {
        self.engine = engine
        self.exposesRawProducts = exposesRawProducts
    }

    /// Adds the routes under `prefix` ("" for the bare search server, "/search" behind the proxy).
    public func register<Context: RequestContext>(on router: Router<Context>, prefix: String = "") {
        let engine = self.engine
        router.get("\(prefix)/") { _, _ in SearchRoutes.json(SearchRoutes.usage(prefix: prefix)) }
        router.get("\(prefix)/health") { _, _ in
            SearchRoutes.json(.object([("service", "search-server"), ("status", "healthy")]))
        }
        router.get("\(prefix)/find_product") { request, _ in
            let args = QueryString(request.uri.query)
            let query = FindProductRequest(
                q: args["q"], page: args["page"], shopID: args["shop_id"], price: args["price"], sort: args["sort"],
                service: args["service"])
            return SearchRoutes.json(.array(engine.findProduct(query).map(\.searchResultJSON)))
        }
        router.get("\(prefix)/view_product_information") { request, _ in
            let ids = QueryString(request.uri.query)["product_ids"] ?? ""
            return SearchRoutes.json(.array(engine.viewProductInformation(productIDs: ids).map(\.informationJSON)))
        }
        if exposesRawProducts {
            router.get("\(prefix)/get_product_raw") { request, _ in
                let ids = QueryString(request.uri.query)["product_ids"] ?? ""
                return SearchRoutes.json(.array(engine.productsRaw(productIDs: ids).map(\.json)))
            }
        }
    }

    /// What `/` answers: a map of the endpoints and their parameters.
    static func usage(prefix: String) -> JSONValue {
        .object([
            ("endpoints", .object([
                ("\(prefix)/find_product", .string("GET q, page (1-5), shop_id, price (low-high), sort (priceasc|pricedesc|order), service (official,freeShipping,COD,flashsale)")),
                ("\(prefix)/view_product_information", .string("GET product_ids (comma-separated)")),
                ("\(prefix)/get_product_raw", .string("GET product_ids (comma-separated); full documents")),
                ("\(prefix)/health", .string("GET")),
            ])),
            ("service", "shoparena-search"),
        ])
    }

    static func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: JSONWriter(style: .python).string(value))))
    }
}
