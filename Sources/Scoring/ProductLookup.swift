import ArenaModel

/// Where the scorer finds the full document of a recommended product id (the reference asks the
/// search server's `get_product_raw`). A search index can conform; ``ProductDictionary`` is the
/// in-memory default.
public protocol ProductLookup: Sendable {
    /// The product with exactly this id, or nil when the catalog has none.
    func product(id: String) -> Product?
}

/// A catalog held in a dictionary, e.g. loaded from a JSONL file. When an id repeats, the last
/// document wins.
public struct ProductDictionary: ProductLookup {
    public private(set) var products: [String: Product]

    public init(_ products: some Sequence<Product>) {
        var map: [String: Product] = [:]
        for p in products { map[p.productID] = p }
        self.products = map
    }

    public func product(id: String) -> Product? { products[id] }

    public var count: Int { products.count }
}
