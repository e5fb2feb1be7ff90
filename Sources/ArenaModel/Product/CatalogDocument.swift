/// One line of a catalog file in ShoppingBench's `documents.jsonl` form:
/// `{"id": product_id, "contents": <indexed text>, "product": {...}}`.
///
/// `contents` is what the search engine indexes. It is read back as written (a real ShoppingBench
/// file keeps its own), and derived from the product when we write one.
public struct CatalogDocument: Sendable, Hashable {
    public var id: String
    public var contents: String
    public var product: Product

    public init(product: Product) {
        self.id = product.productID
        self.contents = product.searchContents
        self.product = product
    }

    public init(id: String, contents: String, product: Product) {
        self.id = id
        self.contents = contents
        self.product = product
    }
}

/// Why a catalog line could not be read; carries the 1-based line number.
public struct CatalogLineError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "catalog line \(line): \(reason)" }
}

extension CatalogDocument {
    /// Reads one JSONL line. A bare product object (no `product` key) is accepted too.
    public init(jsonLine: String, lineNumber: Int) throws(CatalogLineError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(jsonLine)
        } catch {
            throw CatalogLineError(line: lineNumber, reason: error.description)
        }
        try self.init(json: value, lineNumber: lineNumber)
    }

    public init(json value: JSONValue, lineNumber: Int) throws(CatalogLineError) {
        let productJSON = value["product"] ?? value
        let product: Product
        do {
            product = try Product(json: productJSON)
        } catch {
            throw CatalogLineError(line: lineNumber, reason: error.description)
        }
        let id = value["id"].flatMap(Product.scalarText) ?? product.productID
        if id != product.productID {
            throw CatalogLineError(line: lineNumber, reason: "id '\(id)' differs from product_id '\(product.productID)'")
        }
        let contents = value["contents"]?.stringValue ?? product.searchContents
        self.init(id: id, contents: contents, product: product)
    }

    /// The JSONL line (without newline), compact, UTF-8 kept as is.
    public var jsonLine: String {
        JSONWriter().string(.object([("id", .string(id)), ("contents", .string(contents)), ("product", product.json)]))
    }
}
