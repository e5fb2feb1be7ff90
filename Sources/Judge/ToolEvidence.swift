import ArenaModel
import Foundation

/// A product the agent really saw: it is in a tool result of its dialogue **and** its id is among the
/// ids the proxy logged for a search or product view. A product only the agent claims to have seen
/// (a forged result) is not evidence.
struct SeenProduct: Sendable, Hashable {
    var id: String
    var price: Double?
    var shopID: String?
    /// Lower-cased brand and attribute / SKU values.
    var values: Set<String>
    /// Lower-cased title words of four letters or more.
    var titleWords: Set<String>
}

/// What the rule judge knows about one trajectory.
struct ToolEvidence: Sendable {
    /// Per step (0-based), the products seen in the results of **earlier** steps.
    var seenBefore: [[SeenProduct]]
    /// Product ids the proxy logged as returned.
    var loggedIDs: Set<String>

    init(input: JudgeInput) {
        var logged = Set<String>()
        for call in input.proxyCalls where call.succeeded && call.path.hasPrefix("/search/") {
            logged.formUnion(call.productIDs ?? [])
        }
        loggedIDs = logged
        let steps = input.envelope.steps ?? []
        var seen: [String: SeenProduct] = [:]
        var order: [String] = []
        var perStep: [[SeenProduct]] = []
        for step in steps {
            perStep.append(order.compactMap { seen[$0] })
            for call in step.toolCalls ?? [] {
                guard let result = call.result else { continue }
                for product in Self.products(in: result) where logged.contains(product.id) {
                    if let old = seen[product.id] {
                        seen[product.id] = Self.merge(old, product)
                    } else {
                        seen[product.id] = product
                        order.append(product.id)
                    }
                }
            }
        }
        seenBefore = perStep
    }

    static func merge(_ a: SeenProduct, _ b: SeenProduct) -> SeenProduct {
        SeenProduct(
            id: a.id, price: a.price ?? b.price, shopID: a.shopID ?? b.shopID, values: a.values.union(b.values),
            titleWords: a.titleWords.union(b.titleWords))
    }

    /// Every object with a `product_id` anywhere in a tool result (a result given as a JSON string is parsed).
    static func products(in result: JSONValue, depth: Int = 0) -> [SeenProduct] {
        guard depth < 6 else { return [] }
        switch result {
        case .string(let s):
            guard depth == 0, let first = s.first(where: { !$0.isWhitespace }), first == "[" || first == "{",
                let parsed = try? JSONParser.parse(s)
            else { return [] }
            return products(in: parsed, depth: depth + 1)
        case .array(let items):
            return items.flatMap { products(in: $0, depth: depth + 1) }
        case .object(let pairs):
            if let id = scalarText(result["product_id"]), !id.isEmpty { return [product(id: id, from: result)] }
            return pairs.flatMap { products(in: $0.1, depth: depth + 1) }
        default:
            return []
        }
    }

    static func product(id: String, from object: JSONValue) -> SeenProduct {
        var values = Set<String>()
        func add(_ v: JSONValue?) {
            switch v {
            case .string(let s)?:
                let t = s.lowercased().trimmingWhitespace()
                if t.count >= 3 { values.insert(t) }
            case .array(let items)?: items.forEach { add($0) }
            case .object(let pairs)?: pairs.forEach { add($0.1) }
            default: break
            }
        }
        add(object["brand"])
        add(object["attributes"])
        add(object["sku_options"])
        let words = TextTokens.words(object["title"]?.stringValue ?? "").filter { $0.count >= 4 && $0.allSatisfy(\.isLetter) }
        return SeenProduct(
            id: id, price: object["price"]?.numberValue ?? object["price"]?.stringValue.flatMap { Double($0) },
            shopID: scalarText(object["shop_id"]), values: values, titleWords: Set(words))
    }

    static func scalarText(_ v: JSONValue?) -> String? {
        switch v {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        default: return nil
        }
    }
}

/// Tokenising helpers shared by the rule judge's gates.
enum TextTokens {
    /// Lower-cased runs of letters and digits.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// Numbers written in the text: `1,299.50`, `₱299`, `299.00` → 1299.5, 299, 299.
    static func numbers(_ text: String) -> [Double] {
        var out: [Double] = []
        var current = ""
        func flush() {
            var t = current
            while t.hasSuffix(".") || t.hasSuffix(",") { t.removeLast() }
            if let d = Double(t.replacingOccurrences(of: ",", with: "")) { out.append(d) }
            current = ""
        }
        for ch in text {
            if ch.isASCII && ch.isNumber {
                current.append(ch)
            } else if (ch == "." || ch == ","), !current.isEmpty {
                current.append(ch)
            } else if !current.isEmpty {
                flush()
            }
        }
        if !current.isEmpty { flush() }
        return out
    }

    /// Whether `phrase` occurs in `text` (both lower-cased) on word boundaries.
    static func containsPhrase(_ text: String, _ phrase: String) -> Bool {
        var search = text.startIndex..<text.endIndex
        while let r = text.range(of: phrase, range: search) {
            let beforeOK = r.lowerBound == text.startIndex || !isWordChar(text[text.index(before: r.lowerBound)])
            let afterOK = r.upperBound == text.endIndex || !isWordChar(text[r.upperBound])
            if beforeOK && afterOK { return true }
            search = r.upperBound..<text.endIndex
        }
        return false
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber }
}
