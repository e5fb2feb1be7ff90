import ArenaModel

/// Builds the parts of synthetic product documents (titles, SKU variants, attributes, descriptions)
/// from the ``Taxonomy``; used for the background filler and to dress anchors and negatives.
struct ProductSynthesizer: Sendable {
    let taxonomy: Taxonomy

    /// A background product: every field drawn from the stream and the leaf's schema.
    /// `shopLeaf` (a hash of the shop) is the shop's main line, used for 70% of its products.
    func filler(_ rng: inout RandomStream, productID: String, shopID: String, shopLeaf: UInt64? = nil) -> Product {
        let random = rng.below(taxonomy.leaves.count)
        let leaf = taxonomy.leaves[shopLeaf.map { rng.chance(0.7) ? Int($0 % UInt64(taxonomy.leaves.count)) : random } ?? random]
        let brand = drawBrand(&rng, leaf: leaf)
        let variants = siblingVariants(&rng, keys: rng.pick(leaf.skuKeySets.isEmpty ? [[]] : leaf.skuKeySets),
                                       count: leaf.skuKeySets.isEmpty ? 0 : Marginals.variantCount(&rng), fixed: [])
        let attributes = extraAttributes(&rng, leaf: leaf, brand: brand, avoiding: Set(variants.flatMap { $0.map(\.key) }), count: rng.int(1...6))
        let title = withLongTailWords(fillerTitle(&rng, leaf: leaf, brand: brand, attributes: attributes),
                                      brand: brand, productID: productID)
        let price = Double(Marginals.priceCents(&rng, scale: leaf.priceScale)) / 100
        return assemble(&rng, productID: productID, shopID: shopID, brand: brand, leaf: leaf, title: title, price: price,
                        variants: variants, attributes: attributes, service: Marginals.services(&rng))
    }

    /// A background title with long-tail words: product line and finish after the brand (when the
    /// title starts with it), the model code at the end. Drawn from a stream keyed by the product id.
    func withLongTailWords(_ title: String, brand: String, productID: String) -> String {
        var tail = RandomStream(seed: RandomStream.hash(productID), layer: .filler, index: 0, field: 0x7A11)
        let (line, finish, model) = LongTailVocabulary.titleWords(&tail)
        var head = ""
        var rest = Substring(title)
        if !brand.isEmpty, title.hasPrefix(brand + " ") {
            head = brand
            rest = title.dropFirst(brand.count + 1)
        }
        let words = [head, line ?? "", finish ?? "", String(rest), model ?? ""].filter { !$0.isEmpty }
        return words.joined(separator: " ")
    }

    /// Fills the free-text and URL fields around the given constrained ones.
    func assemble(
        _ rng: inout RandomStream, productID: String, shopID: String, brand: String, leaf: Taxonomy.Leaf, title: String,
        price: Double, variants: [[Product.KeyValue]], attributes: [Product.Attribute], service: [String]
    ) -> Product {
        let specification = attributes.prefix(6).map { "\($0.key):\($0.values.joined(separator: ","))" }.joined(separator: ";")
        var short = ""
        if rng.chance(0.37) {
            let bullets = [rng.pick(leaf.modifiers), rng.pick(Taxonomy.titlePadding)] + attributes.prefix(3).map { "\($0.key.spaced): \($0.values[0])" }
            short = bullets.joined(separator: "; ")
        }
        var description = ""
        if rng.chance(0.58) {
            let noun = rng.pick(leaf.nouns)
            var sentences = ["\(title).", "This \(noun.lowercased()) is \(rng.pick(leaf.modifiers).lowercased()) and \(rng.pick(Taxonomy.titlePadding).lowercased())."]
            if let a = attributes.first { sentences.append("\(a.key.spaced.capitalizedFirst): \(a.values[0]).") }
            if rng.chance(0.5) { sentences.append("Package includes 1 x \(noun).") }
            description = sentences.joined(separator: " ")
        }
        let image = String(RandomStream.hash(productID) & 0xFFFF_FFFF_FFFF, radix: 16)
        return Product(
            productID: productID, shopID: shopID, brand: brand, category: leaf.category, title: title,
            shortDescription: short, description: description, specification: specification, price: price,
            soldCount: Marginals.soldCount(&rng), skuOptions: variants, attributes: attributes,
            mainImageURL: "https://img.lazcdn.com/g/p/\(image).jpg",
            productURL: "https://www.lazada.com.ph/products/-i\(productID).html", service: service)
    }

    /// A raw brand: a leaf brand, empty (rubbish brands are blanked upstream) or a junk brand that
    /// survives the filter.
    func drawBrand(_ rng: inout RandomStream, leaf: Taxonomy.Leaf) -> String {
        switch rng.weighted([70, 22, 8]) {
        case 0: return rng.pick(leaf.brands)
        case 1: return ""
        default: return rng.pick(Taxonomy.junkBrands)
        }
    }

    func fillerTitle(_ rng: inout RandomStream, leaf: Taxonomy.Leaf, brand: String, attributes: [Product.Attribute]) -> String {
        var words: [String] = []
        if !brand.isEmpty, rng.chance(0.6) { words.append(brand) }
        for i in rng.sample(rng.int(1...3), of: leaf.modifiers.count) { words.append(leaf.modifiers[i]) }
        words.append(rng.pick(leaf.nouns))
        for a in attributes.prefix(3) where a.key != "brand" && rng.chance(0.6) { words.append(a.values[0].titleCased) }
        if rng.chance(0.3) { words.append("for " + rng.pick(leaf.nouns)) }
        for i in rng.sample(rng.int(1...5), of: Taxonomy.titlePadding.count) { words.append(Taxonomy.titlePadding[i]) }
        return words.joined(separator: " ")
    }

    /// `count` distinct variants over `keys`; the `fixed` variants come first and are kept as given.
    /// `forbidden` pairs never appear in a generated variant.
    func siblingVariants(
        _ rng: inout RandomStream, keys: [String], count: Int, fixed: [[Product.KeyValue]],
        forbidden: Set<Product.KeyValue> = []
    ) -> [[Product.KeyValue]] {
        var variants = fixed
        guard !keys.isEmpty else { return variants }
        var seen = Set(variants)
        var attempts = 0
        let target = min(max(count, fixed.count), Product.maxVariants)
        while variants.count < target, attempts < 60 {
            attempts += 1
            var v: [Product.KeyValue] = []
            for key in keys {
                let options = alternatives(for: key, of: fixed.lazy.flatMap { $0 }.first { $0.key == key }?.value)
                var pair = Product.KeyValue(key, rng.pick(options))
                if forbidden.contains(pair) { pair = Product.KeyValue(key, rng.pick(options.filter { !forbidden.contains(.init(key, $0)) } + ["other"])) }
                v.append(pair)
            }
            if seen.insert(v).inserted { variants.append(v) }
        }
        return variants
    }

    /// Lower-case values a key can take: its pool, plus neighbours of `value` when given.
    func alternatives(for key: String, of value: String?) -> [String] {
        var out = taxonomy.pools[key] ?? []
        if let value {
            out += neighbours(of: value)
            out.removeAll { $0 == value }
        }
        // Small pools are padded so that nine distinct variants stay possible.
        if out.count < 10 { out += Taxonomy.genericValues.filter { $0 != value && !out.contains($0) } }
        return out
    }

    /// Values close to `value`: its first number shifted, or a suffix variant.
    func neighbours(of value: String) -> [String] {
        var out: [String] = []
        let chars = Array(value)
        if let start = chars.firstIndex(where: \.isNumber) {
            var end = start
            while end < chars.count, chars[end].isNumber { end += 1 }
            if let n = Int(String(chars[start..<end])), n < 1_000_000 {
                for m in [n + 1, n + 2, max(n - 1, 0), n * 2, max(n / 2, 1)] where m != n {
                    out.append(String(chars[..<start]) + String(m) + String(chars[end...]))
                }
            }
        }
        out += [value + " b", value + " plus", value + " 2", "new " + value]
        return out
    }

    /// Up to `count` attribute keys from the leaf schema (brand only when the brand is real), values
    /// from the pools; keys in `avoiding` are skipped.
    func extraAttributes(_ rng: inout RandomStream, leaf: Taxonomy.Leaf, brand: String, avoiding: Set<String>, count: Int) -> [Product.Attribute] {
        var out: [Product.Attribute] = []
        let keys = leaf.attributeKeys.filter { !avoiding.contains($0) }
        for i in rng.sample(count, of: keys.count) {
            let key = keys[i]
            if key == "brand" {
                let b = brand.lowercased()
                if !brand.isEmpty, !Taxonomy.junkBrands.contains(brand) { out.append(.init("brand", [b])) }
                continue
            }
            out.append(.init(key, [rng.pick(taxonomy.values(for: key))]))
        }
        if !avoiding.contains("model"), !out.contains(where: { $0.key == "model" }), rng.chance(0.22) {
            out.append(.init("model", [rng.pick(taxonomy.values(for: "model"))]))
        }
        if !avoiding.contains("brand"), !out.contains(where: { $0.key == "brand" }), !brand.isEmpty,
           !Taxonomy.junkBrands.contains(brand), rng.chance(0.3) {
            out.insert(.init("brand", [brand.lowercased()]), at: 0)
        }
        return out
    }

    /// The leaf whose nouns and modifiers share the most words with `title`; a hash-chosen leaf when
    /// none does.
    func leaf(forTitle title: String) -> Taxonomy.Leaf {
        let words = Set(title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        var best = -1
        var bestScore = 0
        for (i, leaf) in taxonomy.leaves.enumerated() {
            var score = 0
            for phrase in leaf.nouns {
                for w in phrase.lowercased().split(separator: " ") where words.contains(String(w)) { score += 2 }
            }
            for w in leaf.path.last!.lowercased().split(separator: " ") where words.contains(String(w)) { score += 1 }
            if score > bestScore { bestScore = score; best = i }
        }
        if best < 0 { best = Int(RandomStream.hash(title) % UInt64(taxonomy.leaves.count)) }
        return taxonomy.leaves[best]
    }
}

extension String {
    /// Each word with its first letter upper-cased ("navy blue" → "Navy Blue").
    var titleCased: String {
        split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
