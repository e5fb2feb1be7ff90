/// The kind of shopping task a problem poses.
public enum ProblemCategory: String, Sendable, CaseIterable, Hashable, Codable {
    /// Find one product (ShoppingBench "Products Finder").
    case product = "Product"
    /// Find several products sold by one shop ("Multi-products seller").
    case shop = "Shop"
    /// Find products within a budget after a voucher ("Coupon & Budget").
    case voucher = "Voucher"
    /// Knowledge/web task: a SimpleQA answer must appear in the product (ShoppingBench only).
    case web = "Web"

    /// Reads ORO's spelling case-insensitively; ShoppingBench's `knowledge` maps to ``web``.
    public init?(lenient text: String) {
        switch text.lowercased() {
        case "product": self = .product
        case "shop": self = .shop
        case "voucher": self = .voucher
        case "web", "knowledge", "simpleqa": self = .web
        default: return nil
        }
    }
}

/// A price constraint of a reward: `{"between": [lo, hi]}`, `{"greater than": [lo, null]}` or
/// `{"less than": [null, hi]}`. Bounds are inclusive; a nil bound is open.
public struct PriceConstraint: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case between
        case greaterThan = "greater than"
        case lessThan = "less than"
    }

    public var mode: Mode
    public var lower: Double?
    public var upper: Double?

    public init(mode: Mode, lower: Double?, upper: Double?) {
        self.mode = mode
        self.lower = lower
        self.upper = upper
    }

    /// The bounds that apply for this mode: `greater than` looks only at the lower bound, `less than`
    /// only at the upper one, `between` at both.
    public var effectiveBounds: (lower: Double?, upper: Double?) {
        switch mode {
        case .between: return (lower, upper)
        case .greaterThan: return (lower, nil)
        case .lessThan: return (nil, upper)
        }
    }

    /// Whether `price` satisfies the constraint (inclusive bounds, open ends unbounded).
    public func contains(_ price: Double) -> Bool {
        let (lo, hi) = effectiveBounds
        if let lo, price < lo { return false }
        if let hi, price > hi { return false }
        return true
    }
}

/// What one recommended product is judged against: the ground-truth id and the constraints.
public struct RewardItem: Sendable, Hashable {
    public var productID: String
    /// Ground-truth titles (ORO and ShoppingBench write a list of one).
    public var titles: [String]
    /// Required SKU variants; each dict must be satisfied by one variant of the product.
    public var skuOptions: [[Product.KeyValue]]
    /// Required attributes, one key with its values per entry, in file order.
    public var attributes: [Product.Attribute]
    public var service: [String]
    public var price: [PriceConstraint]
    /// The full ground-truth document, for web tasks whose reward is a whole product.
    public var fullProduct: Product?

    public init(
        productID: String, titles: [String], skuOptions: [[Product.KeyValue]] = [], attributes: [Product.Attribute] = [],
        service: [String] = [], price: [PriceConstraint] = [], fullProduct: Product? = nil
    ) {
        self.productID = productID
        self.titles = titles
        self.skuOptions = skuOptions
        self.attributes = attributes
        self.service = service
        self.price = price
        self.fullProduct = fullProduct
    }

    /// Every required (key, value) pair of SKU options and attributes, in file order.
    public var requiredPairs: [Product.KeyValue] {
        skuOptions.flatMap { $0 } + attributes.flatMap { a in a.values.map { Product.KeyValue(a.key, $0) } }
    }

    /// How many constraints the rule score counts besides the title.
    public var nonTitleConstraintCount: Int {
        price.count + service.count + requiredPairs.count
    }
}

/// A voucher of a voucher problem (`reference/shoppingbench.md` §3.2).
public struct Voucher: Sendable, Hashable {
    public enum Scope: String, Sendable, Hashable {
        /// Applies to all products.
        case platform
        /// Applies only when every product comes from one shop.
        case shop
    }

    public enum Discount: Sendable, Hashable {
        /// A fixed amount off.
        case fixed(faceValue: Double)
        /// A fraction off (0.34 for 34%), at most `cap`.
        case percentage(rate: Double, cap: Double)
    }

    public var scope: Scope
    /// The voucher applies only when the total is at least this much.
    public var threshold: Double
    public var discount: Discount
    /// The ground-truth total after the discount.
    public var priceAfterVoucher: Double
    public var budget: Double

    public init(scope: Scope, threshold: Double, discount: Discount, priceAfterVoucher: Double, budget: Double) {
        self.scope = scope
        self.threshold = threshold
        self.discount = discount
        self.priceAfterVoucher = priceAfterVoucher
        self.budget = budget
    }

    /// The total after applying the discount to `total` (no threshold check):
    /// fixed → total − face; percentage → max(total·(1 − rate), total − cap).
    public func discounted(_ total: Double) -> Double {
        switch discount {
        case .fixed(let face): return total - face
        case .percentage(let rate, let cap): return max(total * (1 - rate), total - cap)
        }
    }

    /// The ground-truth total before the discount, recovered from `price_after_voucher`
    /// (`reference/shoppingbench.md` §3.2): fixed gives pav + face; percentage gives pav/(1 − d) or
    /// pav + cap, whichever is consistent with the formula.
    public var groundTruthTotal: Double {
        switch discount {
        case .fixed(let face):
            return priceAfterVoucher + face
        case .percentage(let rate, let cap):
            let byRate = rate < 1 ? priceAfterVoucher / (1 - rate) : priceAfterVoucher + cap
            let byCap = priceAfterVoucher + cap
            // The formula takes the larger of the two results; the consistent total is the one whose
            // discounted value reproduces pav.
            if abs(discounted(byCap) - priceAfterVoucher) < 0.005 { return byCap }
            return byRate
        }
    }
}

/// Where a problem came from, for error messages.
public struct ProblemSource: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line of the problem's first character.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One problem of a suite, loaded from ORO suite JSON or ShoppingBench JSONL.
public struct Problem: Sendable, Hashable {
    /// The given `problem_id`, else a UUID derived from the query and the reward.
    public var id: String
    public var query: String
    public var category: ProblemCategory
    public var difficulty: String?
    public var title: String?
    public var rewards: [RewardItem]
    public var voucher: Voucher?
    /// Web tasks: the answer that must appear in the product's title or description.
    public var knowledgeAttribute: String?
    /// Precomputed ground-truth title embeddings (title → vector), when the suite carries them.
    public var titleEmbeddings: [String: [Float]]
    /// The problem exactly as it was in the file.
    public var original: JSONValue
    public var source: ProblemSource?

    public init(
        id: String, query: String, category: ProblemCategory, difficulty: String? = nil, title: String? = nil,
        rewards: [RewardItem], voucher: Voucher? = nil, knowledgeAttribute: String? = nil,
        titleEmbeddings: [String: [Float]] = [:], original: JSONValue, source: ProblemSource? = nil
    ) {
        self.id = id
        self.query = query
        self.category = category
        self.difficulty = difficulty
        self.title = title
        self.rewards = rewards
        self.voucher = voucher
        self.knowledgeAttribute = knowledgeAttribute
        self.titleEmbeddings = titleEmbeddings
        self.original = original
        self.source = source
    }

    /// Keys that never reach an agent: the answer, the voucher, and anything derived from them.
    public static let hiddenKeys: Set<String> = ["reward", "voucher", "reward_title_embeddings", "Knowledge_Attribute"]

    /// The `problem_data` an agent receives: the original record minus ``hiddenKeys``, with
    /// `problem_id`, `query` and `category` always present.
    public var agentView: JSONValue {
        var view = original.removingKeys(Problem.hiddenKeys)
        if view["problem_id"] == nil { view = view.setting("problem_id", to: .string(id)) }
        if view["category"] == nil { view = view.setting("category", to: .string(category.rawValue)) }
        return view
    }
}
