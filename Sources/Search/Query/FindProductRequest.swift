import ArenaModel

/// The parameters of `find_product`, exactly as they arrive over HTTP (strings, possibly malformed).
public struct FindProductRequest: Sendable, Hashable {
    public var q: String?
    public var page: String?
    public var shopID: String?
    public var price: String?
    public var sort: String?
    public var service: String?

    public init(q: String?, page: String? = "1", shopID: String? = nil, price: String? = nil,
                sort: String? = nil, service: String? = nil) {
        self.q = q
        self.page = page
        self.shopID = shopID
        self.price = price
        self.sort = sort
        self.service = service
    }
}

/// What the search service needs from an engine: ShoppingBench/ORO `find_product`,
/// `view_product_information` and `get_product_raw`.
public protocol ProductSearching: Sendable {
    var documentCount: Int { get }
    /// The requested page (≤ 10 products), `[]` for bad parameters or no match.
    func findProduct(_ request: FindProductRequest) -> [Product]
    /// Products for comma-separated ids, in request order; unknown ids skipped.
    func viewProductInformation(productIDs: String) -> [Product]
    /// Full product documents for comma-separated ids, in request order; unknown ids skipped.
    func productsRaw(productIDs: String) -> [Product]
    func product(id: String) -> Product?
}

/// `find_product`'s fixed sizes (ShoppingBench: pages 1–5 of 10, 50 kept products).
public enum FindProductLimits {
    public static let pageSize = 10
    public static let maxPage = 5
    public static let maxResults = pageSize * maxPage
    /// ShoppingBench asks Lucene for this many hits before filtering.
    public static let defaultCandidateCap = 100_000
}

/// How the kept products are re-ordered.
public enum FindProductSort: Sendable, Hashable {
    case relevance, priceAscending, priceDescending, soldCountDescending

    init(_ raw: String?) {
        switch raw {
        case "priceasc": self = .priceAscending
        case "pricedesc": self = .priceDescending
        case "order": self = .soldCountDescending
        default: self = .relevance
        }
    }
}

/// A validated `find_product` request.
public struct FindProductQuery: Sendable, Hashable {
    public var text: String
    public var page: Int
    public var shopID: String?
    public var minPrice: Double?
    public var maxPrice: Double?
    public var sort: FindProductSort
    /// Required services (AND); known tokens only.
    public var services: [String]

    /// Validates a request the way the reference server does; nil means "return []".
    public init?(_ r: FindProductRequest) {
        // No `page` at all is not page 1: ShoppingBench's server answers `[]` (its `process_page(None)`).
        guard let page = r.page.flatMap(Self.parsePage) else { return nil }
        guard let text = Self.sanitize(r.q ?? ""), !text.isEmpty else { return nil }
        self.text = text
        self.page = page
        shopID = (r.shopID?.isEmpty ?? true) ? nil : r.shopID
        (minPrice, maxPrice) = Self.parsePrice(r.price)
        sort = FindProductSort(r.sort)
        var services: [String] = []
        for token in (r.service ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        where ServiceMask.tokens.contains(token) && !services.contains(token) {
            services.append(token)
        }
        self.services = services
    }

    /// A digit string whose value is 1…5.
    static func parsePage(_ s: String) -> Int? {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let digits = s.drop(while: { $0 == "0" })
        guard digits.count <= 1, let v = Int(digits.isEmpty ? "0" : String(digits)),
              (1...FindProductLimits.maxPage).contains(v) else { return nil }
        return v
    }

    /// Lucene's query-syntax characters become spaces, code point by code point as ORO's server does, and
    /// the result is stripped. So a colon never starts a Lucene field query: `q=brand:nike` searches
    /// "brand nike" (documented in the README's search section).
    static func sanitize(_ q: String) -> String? {
        let specials: Set<Unicode.Scalar> = ["+", "-", "&", "|", "!", "(", ")", "{", "}", "[", "]", "^", "\"", "~",
                                             "*", "?", ":", "\\", "/"]
        var replaced = String.UnicodeScalarView()
        for scalar in q.unicodeScalars { replaced.append(specials.contains(scalar) ? " " : scalar) }
        return PythonText.strip(String(replaced))
    }

    /// `"lo-hi"` with exactly one dash; a side that is empty or not a number is unbounded. A `nan` side is
    /// unbounded too: the reference filters with `price < low` / `price > high`, which are false for NaN.
    static func parsePrice(_ price: String?) -> (Double?, Double?) {
        guard let price, price.filter({ $0 == "-" }).count == 1 else { return (nil, nil) }
        let parts = price.split(separator: "-", omittingEmptySubsequences: false)
        func bound(_ s: Substring) -> Double? { pythonFloat(String(s)).flatMap { $0.isNaN ? nil : $0 } }
        return (bound(parts[0]), bound(parts[1]))
    }

    /// Python's `float(s)`: surrounding whitespace allowed, decimal or exponent notation, `inf`/`nan`,
    /// underscores between digits; nil where Python raises.
    static func pythonFloat(_ raw: String) -> Double? {
        guard let s = raw.trimmingPythonWhitespace(), !s.isEmpty else { return nil }
        let lower = s.lowercased()
        let unsigned = lower.hasPrefix("+") || lower.hasPrefix("-") ? String(lower.dropFirst()) : lower
        if ["inf", "infinity", "nan"].contains(unsigned) { return Double(lower) }
        var cleaned = ""
        let chars = Array(unsigned)
        for (i, c) in chars.enumerated() {
            if c == "_" {
                guard i > 0, i + 1 < chars.count, chars[i - 1].isASCII, chars[i - 1].isNumber,
                      chars[i + 1].isASCII, chars[i + 1].isNumber else { return nil }
                continue
            }
            guard c.isASCII, c.isNumber || c == "." || c == "e" || c == "+" || c == "-" else { return nil }
            cleaned.append(c)
        }
        guard cleaned.contains(where: { $0.isNumber }) else { return nil }
        guard let v = Double(cleaned) else { return nil }
        return lower.hasPrefix("-") ? -v : v
    }
}

extension String {
    /// `str.strip()` (``PythonText/strip(_:)-(String)``); never nil.
    func trimmingPythonWhitespace() -> String? {
        PythonText.strip(self)
    }
}
