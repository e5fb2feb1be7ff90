/// Serializes a product's JSON object straight to UTF-8 bytes, byte-identical to
/// `JSONWriter().string(product.json)` (compact separators, UTF-8 kept, Python float for the price) but
/// several times faster: the index stores every product this way, and `DocumentEncoder` writes catalog lines
/// with it.
public struct ProductJSONEncoder: Sendable {
    public init() {}

    /// Appends the product's JSON object to `out`.
    public func encode(_ p: Product, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"product_id":"#.utf8)
        appendString(p.productID, to: &out)
        field("shop_id", p.shopID, &out)
        field("brand", p.brand, &out)
        field("category", p.category, &out)
        field("title", p.title, &out)
        field("short_description", p.shortDescription, &out)
        field("description", p.description, &out)
        field("specification", p.specification, &out)
        out.append(contentsOf: #","price":"#.utf8)
        price(p.price, &out)
        out.append(contentsOf: #","sold_count":"#.utf8)
        out.append(contentsOf: String(p.soldCount).utf8)
        out.append(contentsOf: #","sku_options":{"#.utf8)
        for (i, variant) in p.skuOptions.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: String(i + 1).utf8)
            out.append(contentsOf: #"":{"#.utf8)
            for (j, pair) in variant.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                appendString(pair.key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendString(pair.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"},"attributes":{"#.utf8)
        for (i, attribute) in p.attributes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendString(attribute.key, to: &out)
            out.append(contentsOf: ":[".utf8)
            for (j, v) in attribute.values.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                appendString(v, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        field("main_image_url", p.mainImageURL, &out)
        field("product_url", p.productURL, &out)
        out.append(contentsOf: #","service":["#.utf8)
        for (i, s) in p.service.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendString(s, to: &out)
        }
        out.append(contentsOf: "]}".utf8)
    }

    /// The product's JSON object as a byte array.
    public func encode(_ product: Product) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        encode(product, into: &out)
        return out
    }

    private func field(_ key: String, _ value: String, _ out: inout [UInt8]) {
        out.append(contentsOf: #",""#.utf8)
        out.append(contentsOf: key.utf8)
        out.append(contentsOf: #"":"#.utf8)
        appendString(value, to: &out)
    }

    /// Whole centavo amounts print as Python's repr does (the shortest round-trip digits); anything
    /// else goes through ``JSONWriter/pythonFloat(_:)``.
    private func price(_ d: Double, _ out: inout [UInt8]) {
        let cents = (d * 100).rounded()
        if d >= 0, d < 1e13, Double(Int(cents)) / 100 == d {
            let c = Int(cents)
            out.append(contentsOf: String(c / 100).utf8)
            out.append(UInt8(ascii: "."))
            let frac = c % 100
            if frac == 0 {
                out.append(UInt8(ascii: "0"))
            } else {
                out.append(UInt8(ascii: "0") + UInt8(frac / 10))
                if frac % 10 != 0 { out.append(UInt8(ascii: "0") + UInt8(frac % 10)) }
            }
            return
        }
        out.append(contentsOf: JSONWriter.pythonFloat(d).utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string literal (the escapes Python's `json.dumps(ensure_ascii=False)` writes).
    public func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                start = i + 1
                switch b {
                case 0x22: out.append(contentsOf: #"\""#.utf8)
                case 0x5C: out.append(contentsOf: #"\\"#.utf8)
                case 0x0A: out.append(contentsOf: #"\n"#.utf8)
                case 0x0D: out.append(contentsOf: #"\r"#.utf8)
                case 0x09: out.append(contentsOf: #"\t"#.utf8)
                case 0x08: out.append(contentsOf: #"\b"#.utf8)
                case 0x0C: out.append(contentsOf: #"\f"#.utf8)
                default:
                    out.append(contentsOf: #"\u00"#.utf8)
                    out.append(ProductJSONEncoder.hex[Int(b >> 4)])
                    out.append(ProductJSONEncoder.hex[Int(b & 0xF)])
                }
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
