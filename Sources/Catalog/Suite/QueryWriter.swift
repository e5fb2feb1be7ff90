import ArenaModel

/// Deterministic template queries for generated problems, in the style of the ORO/ShoppingBench
/// test queries (LazMall/LazFlash phrasing, PHP/pesos, the fixed voucher block).
struct QueryWriter {
    let taxonomy: Taxonomy

    /// A basic category noun of at most five tokens: a taxonomy noun found in the title, else the
    /// last category level, else the title's last three words.
    func noun(for product: Product) -> String {
        let title = product.title.lowercased()
        var best = ""
        for leaf in taxonomy.leaves {
            for n in leaf.nouns where n.count > best.count && title.contains(n.lowercased()) { best = n.lowercased() }
        }
        if !best.isEmpty { return best }
        if let last = product.category.pieces(">").last?.trimmed, !last.isEmpty {
            return last.lowercased().split(separator: " ").prefix(5).joined(separator: " ")
        }
        return product.title.lowercased().split(separator: " ").suffix(3).joined(separator: " ")
    }

    static let servicePhrases: [String: [String]] = [
        "official": ["from LazMall", "with LazMall perks", "sold on LazMall"],
        "flashsale": ["on LazFlash", "with a LazFlash deal", "available with LazFlash"],
        "freeShipping": ["with free shipping", "with free delivery"],
        "COD": ["with cash on delivery", "that supports pay on delivery", "with COD"],
    ]

    /// The requirements of one reward as phrases.
    func requirementPhrases(_ reward: JSONValue, _ rng: inout RandomStream) -> [String] {
        var out: [String] = []
        for variant in reward["sku_options"]?.arrayValue ?? [] {
            for (k, v) in variant.objectValue ?? [] {
                let value = v.stringValue ?? ""
                out.append(k.contains("color") ? "in '\(value)' color" : rng.pick(["with \(k.spaced) '\(value)'", "in the '\(value)' \(k.spaced) option"]))
            }
        }
        for attribute in reward["attributes"]?.arrayValue ?? [] {
            for (k, v) in attribute.objectValue ?? [] {
                let value = v.arrayValue?.first?.stringValue ?? ""
                out.append(rng.pick(["with \(k.spaced) \(value)", "whose \(k.spaced) is \(value)", "(\(k.spaced): \(value))"]))
            }
        }
        for s in reward["service"]?.arrayValue ?? [] {
            if let phrases = QueryWriter.servicePhrases[s.stringValue ?? ""] { out.append(rng.pick(phrases)) }
        }
        for price in reward["price"]?.arrayValue ?? [] {
            for (mode, bounds) in price.objectValue ?? [] {
                let b = bounds.arrayValue ?? []
                let lo = b.first.flatMap(\.intValue).map(String.init) ?? "0"
                if mode == "between", let hi = b.last?.intValue {
                    out.append(rng.pick(["priced from \(lo) to \(hi) PHP", "costing between \(lo) and \(hi) pesos"]))
                } else {
                    out.append(rng.pick(["priced above \(lo) PHP", "costing more than \(lo) pesos", "over \(lo) PHP"]))
                }
            }
        }
        return out
    }

    func itemText(_ product: Product, _ reward: JSONValue, _ rng: inout RandomStream) -> String {
        let phrases = requirementPhrases(reward, &rng)
        let n = noun(for: product)
        let head = ("aeiou".contains(n.first ?? "x") ? "an " : "a ") + n
        return phrases.isEmpty ? head : head + " " + QueryWriter.list(phrases)
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    func productQuery(_ product: Product, _ reward: JSONValue, _ rng: inout RandomStream) -> String {
        let opener = rng.pick(["Looking for", "Show me", "I need", "Find me", "Can you find", "I want to buy"])
        return "\(opener) \(itemText(product, reward, &rng))."
    }

    func shopQuery(_ items: [(Product, JSONValue)], _ rng: inout RandomStream) -> String {
        let texts = items.map { itemText($0.0, $0.1, &rng) }
        if items.count == 2, rng.chance(0.5) {
            return "Find shops offering both \(texts[0]), and \(texts[1])."
        }
        let ordinals = ["First", "Second", "Third", "Fourth"]
        let body = texts.enumerated().map { "\(ordinals[$0.offset]), \($0.element)." }.joined(separator: " ")
        return "Looking for a shop offering these items: \(body) Please show shops that have all these products."
    }

    func voucherQuery(_ items: [(Product, JSONValue)], voucher: JSONValue, _ rng: inout RandomStream) -> String {
        let texts = items.map { itemText($0.0, $0.1, &rng) }
        let opener = rng.pick(["Looking for", "I'm looking for", "Show me", "I need"])
        let head = items.count == 1 ? "\(opener) \(texts[0])." : "\(opener) \(QueryWriter.list(texts))."
        return head + "\n\n" + QueryWriter.voucherBlock(voucher)
    }

    /// The fixed voucher block appended to voucher queries (§3.2).
    static func voucherBlock(_ v: JSONValue) -> String {
        let budget = v["budget"]?.intValue ?? 0
        let threshold = v["threshold"]?.intValue ?? 0
        let scope = v["voucher_type"]?.stringValue == "shop"
            ? "The voucher only applies to the products from the same shop."
            : "The voucher applies to all products."
        let discount: String
        if v["discount_type"]?.stringValue == "fixed" {
            discount = "It provides a fixed discount of `\(v["face_value"]?.intValue ?? 0)`."
        } else {
            let percent = Int(((v["discount"]?.numberValue ?? 0) * 100).rounded())
            discount = "It provides a percentage discount of `\(percent)%` with a cap of `\(v["cap"]?.intValue ?? 0)`."
        }
        return "My budget is only `\(budget)`, but I have a voucher with the following rules:\n1. \(scope)\n2. It is valid only when the total price of the products exceeds `\(threshold)`.\n3. \(discount)"
    }
}

extension String {
    var trimmed: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
