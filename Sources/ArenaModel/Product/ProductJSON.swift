/// Why a product document could not be read.
public enum ProductDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnObject(found: String)
    case missingField(String)
    case wrongType(field: String, expected: String, found: String)
    case invalidValue(field: String, reason: String)

    public var description: String {
        switch self {
        case .notAnObject(let found): return "a product must be a JSON object, found \(found)"
        case .missingField(let f): return "product field '\(f)' is missing"
        case .wrongType(let f, let expected, let found): return "product field '\(f)' must be \(expected), found \(found)"
        case .invalidValue(let f, let reason): return "product field '\(f)' is invalid: \(reason)"
        }
    }
}

extension Product {
    /// Reads a `product` object. Required: `product_id`, `title`, `price`. Ids written as numbers are
    /// accepted and kept as strings; missing text fields are empty; `sku_options` variants are taken
    /// in the numeric order of their keys.
    public init(json: JSONValue) throws(ProductDecodingError) {
        guard case .object = json else { throw .notAnObject(found: json.kindName) }
        func text(_ key: String, required: Bool = false) throws(ProductDecodingError) -> String {
            guard let v = json[key], !v.isNull else {
                if required { throw .missingField(key) }
                return ""
            }
            switch v {
            case .string(let s): return s
            case .int(let i): return String(i)
            default: throw .wrongType(field: key, expected: "a string", found: v.kindName)
            }
        }
        productID = try text("product_id", required: true)
        shopID = try text("shop_id")
        brand = try text("brand")
        category = try text("category")
        title = try text("title", required: true)
        shortDescription = try text("short_description")
        description = try text("description")
        specification = try text("specification")
        mainImageURL = try text("main_image_url")
        productURL = try text("product_url")

        guard let priceValue = json["price"] else { throw .missingField("price") }
        switch priceValue {
        case .int(let i): price = Double(i)
        case .double(let d) where d.isFinite: price = d
        case .string(let s) where Double(s) != nil: price = Double(s)!
        default: throw .wrongType(field: "price", expected: "a finite number", found: priceValue.kindName)
        }

        switch json["sold_count"] {
        case nil, .null?: soldCount = 0
        case .int(let i)?: soldCount = Int(i)
        case .double(let d)? where d.isFinite: soldCount = Int(d)
        case let other?: throw .wrongType(field: "sold_count", expected: "an integer", found: other.kindName)
        }

        skuOptions = try Product.decodeSKUOptions(json["sku_options"])
        attributes = try Product.decodeAttributes(json["attributes"])

        switch json["service"] {
        case nil, .null?: service = []
        case .array(let items)?:
            service = try items.map { (item) throws(ProductDecodingError) -> String in
                guard case .string(let s) = item else {
                    throw .wrongType(field: "service", expected: "a list of strings", found: item.kindName)
                }
                return s
            }
        case let other?: throw .wrongType(field: "service", expected: "a list of strings", found: other.kindName)
        }
    }

    static func scalarText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return JSONWriter.pythonFloat(d)
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    static func decodeSKUOptions(_ value: JSONValue?) throws(ProductDecodingError) -> [[KeyValue]] {
        guard let value, !value.isNull else { return [] }
        let variantValues: [JSONValue]
        switch value {
        case .object(let pairs):
            // Keys are "1".."9"; take them in numeric order, unknown keys last in document order.
            let indexed = pairs.enumerated().map { (Int($0.element.0) ?? Int.max, $0.offset, $0.element.1) }
            variantValues = indexed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { $0.2 }
        case .array(let items):
            variantValues = items
        default:
            throw .wrongType(field: "sku_options", expected: "an object of variants", found: value.kindName)
        }
        var variants: [[KeyValue]] = []
        for v in variantValues {
            guard case .object(let pairs) = v else {
                throw .wrongType(field: "sku_options", expected: "variants that are objects", found: v.kindName)
            }
            var variant: [KeyValue] = []
            for (k, raw) in pairs {
                guard let text = scalarText(raw) else {
                    throw .wrongType(field: "sku_options", expected: "string values", found: raw.kindName)
                }
                variant.append(KeyValue(k, text))
            }
            variants.append(variant)
        }
        return variants
    }

    static func decodeAttributes(_ value: JSONValue?) throws(ProductDecodingError) -> [Attribute] {
        guard let value, !value.isNull else { return [] }
        guard case .object(let pairs) = value else {
            throw .wrongType(field: "attributes", expected: "an object of lists", found: value.kindName)
        }
        var out: [Attribute] = []
        for (k, raw) in pairs {
            switch raw {
            case .array(let items):
                var values: [String] = []
                for item in items {
                    guard let t = scalarText(item) else {
                        throw .wrongType(field: "attributes", expected: "string values", found: item.kindName)
                    }
                    values.append(t)
                }
                out.append(Attribute(k, values))
            default:
                guard let t = scalarText(raw) else {
                    throw .wrongType(field: "attributes", expected: "lists of strings", found: raw.kindName)
                }
                out.append(Attribute(k, [t]))
            }
        }
        return out
    }

    /// The SKU options in wire form: `{"1": {k: v}, ...}`.
    public var skuOptionsJSON: JSONValue {
        .object(skuOptions.enumerated().map { (String($0.offset + 1), .object($0.element.map { ($0.key, .string($0.value)) })) })
    }

    /// The attributes in wire form: `{key: [values]}`.
    public var attributesJSON: JSONValue {
        .object(attributes.map { ($0.key, .array($0.values.map(JSONValue.string))) })
    }

    /// The full document, fields in the order of ShoppingBench's converter.
    public var json: JSONValue {
        .object([
            ("product_id", .string(productID)),
            ("shop_id", .string(shopID)),
            ("brand", .string(brand)),
            ("category", .string(category)),
            ("title", .string(title)),
            ("short_description", .string(shortDescription)),
            ("description", .string(description)),
            ("specification", .string(specification)),
            ("price", .double(price)),
            ("sold_count", .int(Int64(soldCount))),
            ("sku_options", skuOptionsJSON),
            ("attributes", attributesJSON),
            ("main_image_url", .string(mainImageURL)),
            ("product_url", .string(productURL)),
            ("service", .array(service.map(JSONValue.string))),
        ])
    }

    /// A `find_product` result item, keys as Flask's `jsonify` sorts them.
    public var searchResultJSON: JSONValue {
        .object([
            ("price", .double(price)),
            ("product_id", .string(productID)),
            ("service", .array(service.map(JSONValue.string))),
            ("shop_id", .string(shopID)),
            ("sold_count", .int(Int64(soldCount))),
            ("title", .string(title)),
        ])
    }

    /// A `view_product_information` item, keys sorted.
    public var informationJSON: JSONValue {
        .object([
            ("attributes", attributesJSON),
            ("description", .string(description)),
            ("product_id", .string(productID)),
            ("short_description", .string(shortDescription)),
            ("sku_options", skuOptionsJSON),
        ])
    }
}
