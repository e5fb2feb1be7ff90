/// Why a problem record could not be read.
public struct ProblemDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension Problem {
    /// Reads one problem record: an element of an ORO suite array or a ShoppingBench JSONL line.
    ///
    /// The category is the record's `category` when present; otherwise it is inferred as ShoppingBench
    /// files imply it: `Knowledge_Attribute` → web, a `voucher` → voucher, a reward list → shop, a
    /// reward object → product.
    public init(json: JSONValue, source: ProblemSource? = nil) throws(ProblemDecodingError) {
        guard case .object = json else { throw ProblemDecodingError("a problem must be a JSON object, found \(json.kindName)") }
        guard let query = json["query"]?.stringValue else { throw ProblemDecodingError("the problem has no string 'query'") }
        guard !query.trimmingWhitespace.isEmpty else { throw ProblemDecodingError("the problem's 'query' is empty") }
        guard let rewardValue = json["reward"], !rewardValue.isNull else { throw ProblemDecodingError("the problem has no 'reward'") }

        let knowledge: String?
        switch json["Knowledge_Attribute"] {
        case nil, .null?: knowledge = nil
        case let v?: knowledge = Product.scalarText(v)
        }

        let category: ProblemCategory
        if let text = json["category"]?.stringValue {
            guard let c = ProblemCategory(lenient: text) else {
                throw ProblemDecodingError("unknown category '\(text)' (expected Product, Shop, Voucher or Web)")
            }
            category = c
        } else if knowledge != nil {
            category = .web
        } else if let v = json["voucher"], !v.isNull {
            category = .voucher
        } else if case .array = rewardValue {
            category = .shop
        } else {
            category = .product
        }

        var rewards: [RewardItem] = []
        switch rewardValue {
        case .array(let items):
            guard !items.isEmpty else { throw ProblemDecodingError("'reward' is an empty list") }
            for (i, item) in items.enumerated() {
                do {
                    rewards.append(try RewardItem(json: item, webDocument: false))
                } catch {
                    throw ProblemDecodingError("reward[\(i)]: \(error.reason)")
                }
            }
        case .object:
            rewards = [try RewardItem(json: rewardValue, webDocument: category == .web)]
        default:
            throw ProblemDecodingError("'reward' must be an object or a list, found \(rewardValue.kindName)")
        }
        if category == .product || category == .web, rewards.count != 1 {
            throw ProblemDecodingError("a \(category.rawValue) problem has exactly one reward item, found \(rewards.count)")
        }

        var voucher: Voucher?
        if let v = json["voucher"], !v.isNull {
            voucher = try Voucher(json: v)
        }
        if category == .voucher, voucher == nil {
            throw ProblemDecodingError("a Voucher problem needs a 'voucher' object")
        }

        var embeddings: [String: [Float]] = [:]
        if let e = json["reward_title_embeddings"], !e.isNull {
            guard case .object(let pairs) = e else {
                throw ProblemDecodingError("'reward_title_embeddings' must map titles to vectors")
            }
            for (title, vector) in pairs {
                guard let items = vector.arrayValue else {
                    throw ProblemDecodingError("'reward_title_embeddings' of '\(title)' must be a list of numbers")
                }
                var floats: [Float] = []
                floats.reserveCapacity(items.count)
                for item in items {
                    guard let d = item.numberValue else {
                        throw ProblemDecodingError("'reward_title_embeddings' of '\(title)' must be a list of numbers")
                    }
                    floats.append(Float(d))
                }
                embeddings[title] = floats
            }
        }

        let id: String
        switch json["problem_id"] {
        case .string(let s)? where !s.isEmpty: id = s
        case .int(let i)?: id = String(i)
        default: id = StableID.uuid(query: query, reward: rewardValue)
        }

        self.init(
            id: id, query: query, category: category, difficulty: json["difficulty"]?.stringValue,
            title: json["title"]?.stringValue, rewards: rewards, voucher: voucher, knowledgeAttribute: knowledge,
            titleEmbeddings: embeddings, original: json, source: source)
    }
}

extension RewardItem {
    /// Reads one reward object. With `webDocument`, the reward is a full product document whose
    /// `title` is a plain string.
    public init(json: JSONValue, webDocument: Bool) throws(ProblemDecodingError) {
        guard case .object = json else { throw ProblemDecodingError("a reward item must be an object, found \(json.kindName)") }
        if webDocument {
            let product: Product
            do {
                product = try Product(json: json)
            } catch {
                throw ProblemDecodingError("web reward: \(error.description)")
            }
            self.init(productID: product.productID, titles: [product.title], fullProduct: product)
            return
        }
        guard let idValue = json["product_id"], let id = Product.scalarText(idValue), !id.isEmpty else {
            throw ProblemDecodingError("reward item has no 'product_id'")
        }
        var titles: [String] = []
        switch json["title"] {
        case .string(let s)?: titles = [s]
        case .array(let items)?:
            for t in items {
                guard let s = t.stringValue else { throw ProblemDecodingError("reward 'title' must be a list of strings") }
                titles.append(s)
            }
        case nil, .null?: break
        case let other?: throw ProblemDecodingError("reward 'title' must be a list of strings, found \(other.kindName)")
        }

        var skus: [[Product.KeyValue]] = []
        if let value = json["sku_options"], !value.isNull {
            guard case .array(let items) = value else { throw ProblemDecodingError("reward 'sku_options' must be a list of objects") }
            for item in items {
                guard case .object(let pairs) = item else { throw ProblemDecodingError("reward 'sku_options' must be a list of objects") }
                var variant: [Product.KeyValue] = []
                for (k, v) in pairs {
                    guard let t = Product.scalarText(v) else { throw ProblemDecodingError("reward sku option '\(k)' must be a string") }
                    variant.append(.init(k, t))
                }
                skus.append(variant)
            }
        }

        var attributes: [Product.Attribute] = []
        if let value = json["attributes"], !value.isNull {
            guard case .array(let items) = value else { throw ProblemDecodingError("reward 'attributes' must be a list of objects") }
            for item in items {
                guard case .object(let pairs) = item else { throw ProblemDecodingError("reward 'attributes' must be a list of objects") }
                for (k, v) in pairs {
                    switch v {
                    case .array(let values):
                        var texts: [String] = []
                        for value in values {
                            guard let t = Product.scalarText(value) else {
                                throw ProblemDecodingError("reward attribute '\(k)' must list strings")
                            }
                            texts.append(t)
                        }
                        attributes.append(.init(k, texts))
                    default:
                        guard let t = Product.scalarText(v) else { throw ProblemDecodingError("reward attribute '\(k)' must list strings") }
                        attributes.append(.init(k, [t]))
                    }
                }
            }
        }

        var services: [String] = []
        if let value = json["service"], !value.isNull {
            guard case .array(let items) = value else { throw ProblemDecodingError("reward 'service' must be a list of strings") }
            for item in items {
                guard let s = item.stringValue else { throw ProblemDecodingError("reward 'service' must be a list of strings") }
                services.append(s)
            }
        }

        var prices: [PriceConstraint] = []
        if let value = json["price"], !value.isNull {
            guard case .array(let items) = value else { throw ProblemDecodingError("reward 'price' must be a list of objects") }
            for item in items {
                guard case .object(let pairs) = item else { throw ProblemDecodingError("reward 'price' must be a list of objects") }
                for (modeText, bounds) in pairs {
                    guard let mode = PriceConstraint.Mode(rawValue: modeText) else {
                        throw ProblemDecodingError("unknown price mode '\(modeText)' (expected between, greater than, less than)")
                    }
                    guard case .array(let b) = bounds, b.count == 2 else {
                        throw ProblemDecodingError("price '\(modeText)' must be [low, high]")
                    }
                    func bound(_ v: JSONValue) throws(ProblemDecodingError) -> Double? {
                        if v.isNull { return nil }
                        guard let d = v.numberValue else { throw ProblemDecodingError("price bounds must be numbers or null") }
                        return d
                    }
                    prices.append(PriceConstraint(mode: mode, lower: try bound(b[0]), upper: try bound(b[1])))
                }
            }
        }
        self.init(productID: id, titles: titles, skuOptions: skus, attributes: attributes, service: services, price: prices)
    }
}

extension Voucher {
    /// Reads a `voucher` object. Unknown discount types are an error (the reference raises there too).
    public init(json: JSONValue) throws(ProblemDecodingError) {
        guard case .object = json else { throw ProblemDecodingError("'voucher' must be an object") }
        func number(_ key: String) throws(ProblemDecodingError) -> Double {
            guard let d = json[key]?.numberValue else { throw ProblemDecodingError("voucher '\(key)' must be a number") }
            return d
        }
        guard let scopeText = json["voucher_type"]?.stringValue, let scope = Scope(rawValue: scopeText) else {
            throw ProblemDecodingError("voucher 'voucher_type' must be 'platform' or 'shop'")
        }
        let discount: Discount
        switch json["discount_type"]?.stringValue {
        case "fixed"?: discount = .fixed(faceValue: try number("face_value"))
        case "percentage"?:
            let rate = try number("discount")
            guard rate >= 0, rate < 1 else { throw ProblemDecodingError("voucher 'discount' must be a fraction in [0, 1)") }
            discount = .percentage(rate: rate, cap: try number("cap"))
        default: throw ProblemDecodingError("voucher 'discount_type' must be 'fixed' or 'percentage'")
        }
        self.init(
            scope: scope, threshold: try number("threshold"), discount: discount,
            priceAfterVoucher: try number("price_after_voucher"), budget: try number("budget"))
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
