import ArenaModel
import Search

/// `shoparena search query`'s table: one fixed-width line per product of a find_product page, ranked from the page's
/// first position.
public enum SearchResultTable {
    /// The header and one line per product; `page` is the requested page ("1"…"5", anything else counts as 1).
    public static func lines(_ products: [Product], page: String) -> [String] {
        var lines = [pad("#", 3) + pad("product_id", 12) + pad("price", 11) + pad("sold", 7) + pad("shop_id", 10) + pad("service", 28) + "title"]
        let first = ((Int(page) ?? 1) - 1) * FindProductLimits.pageSize
        for (i, p) in products.enumerated() {
            let rank = first + i + 1
            lines.append(pad("\(rank)", 3) + pad(p.productID, 12) + pad(JSONWriter.pythonFloat(p.price), 11) + pad("\(p.soldCount)", 7)
                         + pad(p.shopID, 10) + pad(p.service.joined(separator: ","), 28) + String(p.title.prefix(80)))
        }
        return lines
    }

    /// `s` padded with spaces to `width`, or followed by one space when it is as long or longer.
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
