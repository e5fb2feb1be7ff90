/// One product document of the catalog, exactly the ShoppingBench/ORO `product` object
/// (`reference/shoppingbench.md` §2).
///
/// Ids are strings of digits, `price` is a float in PHP, `sold_count` an int. `skuOptions` holds at
/// most nine variants keyed "1"..."9" in the wire form; here it is an ordered list of variants, each an
/// ordered list of lower-case key/value pairs. `attributes` maps a lower-case key to lower-case values.
public struct Product: Sendable, Hashable {
    public var productID: String
    public var shopID: String
    public var brand: String
    public var category: String
    public var title: String
    public var shortDescription: String
    public var description: String
    public var specification: String
    public var price: Double
    public var soldCount: Int
    /// Variants in order; variant *i* is written under key `"\(i + 1)"`.
    public var skuOptions: [[KeyValue]]
    /// Attribute keys in order, each with its values.
    public var attributes: [Attribute]
    public var mainImageURL: String
    public var productURL: String
    /// A subset of ``Service`` raw values, as written in the document.
    public var service: [String]

    /// One SKU key/value pair.
    public struct KeyValue: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// One attribute key with its values.
    public struct Attribute: Sendable, Hashable {
        public var key: String
        public var values: [String]
        public init(_ key: String, _ values: [String]) {
            self.key = key
            self.values = values
        }
    }

    /// The most variants a product may have.
    public static let maxVariants = 9

    public init(
        productID: String, shopID: String, brand: String = "", category: String = "", title: String,
        shortDescription: String = "", description: String = "", specification: String = "",
        price: Double, soldCount: Int = 0, skuOptions: [[KeyValue]] = [], attributes: [Attribute] = [],
        mainImageURL: String = "", productURL: String = "", service: [String] = []
    ) {
        self.productID = productID
        self.shopID = shopID
        self.brand = brand
        self.category = category
        self.title = title
        self.shortDescription = shortDescription
        self.description = description
        self.specification = specification
        self.price = price
        self.soldCount = soldCount
        self.skuOptions = skuOptions
        self.attributes = attributes
        self.mainImageURL = mainImageURL
        self.productURL = productURL
        self.service = service
    }
}

/// The four service tokens a product may carry, spelled exactly as in the catalog.
public enum Service: String, Sendable, CaseIterable, Hashable {
    /// LazMall: authenticity guarantee, 15-day returns.
    case official
    case freeShipping
    /// Cash on delivery.
    case cod = "COD"
    /// LazFlash: limited-time deep discount.
    case flashsale
}

extension Product {
    /// The text Lucene indexes: the title, the distinct SKU values, the distinct attribute values,
    /// one group per line (ShoppingBench's `convert_products_to_documents`).
    public var searchContents: String {
        var seenSKU = Set<String>()
        var skuValues: [String] = []
        for variant in skuOptions {
            for pair in variant where seenSKU.insert(pair.value).inserted {
                skuValues.append(pair.value)
            }
        }
        var seenAttr = Set<String>()
        var attrValues: [String] = []
        for attribute in attributes {
            for value in attribute.values where seenAttr.insert(value).inserted {
                attrValues.append(value)
            }
        }
        return title + "\n" + skuValues.joined(separator: " ") + "\n" + attrValues.joined(separator: " ")
    }

    /// Every attribute (key, value) pair.
    public var attributePairs: [KeyValue] {
        attributes.flatMap { a in a.values.map { KeyValue(a.key, $0) } }
    }
}
