import ArenaModel

/// The outcome score dict of one problem, named as in the references: `length, format, product, gt,
/// rule, title, price, service, "sku & attrs"`, plus `shop` (shop tasks), `budget` (voucher tasks) and
/// `kw` (web tasks). Shop and voucher values are means over the reward items.
public struct ScoreComponents: Sendable, Hashable {
    public var length: Double = 0
    public var format: Double = 0
    /// Share of reward items whose recommended id resolved to a catalog product.
    public var product: Double = 0
    /// Share of reward items recommended by their exact ground-truth id.
    public var gt: Double = 0
    /// The rule score: mean over reward items of hits / constraints (1 for a GT id). Success needs 1.
    public var rule: Double = 0
    public var title: Double = 0
    public var price: Double = 0
    public var service: Double = 0
    /// `"sku & attrs"`.
    public var skuAttrs: Double = 0
    public var shop: Double?
    public var budget: Double?
    /// Web tasks: the knowledge attribute occurs in the title or description (`kw`).
    public var keyword: Double?

    public init() {}

    /// The JSON object in the reference's key order; absent optional components are omitted.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("length", .double(length)), ("format", .double(format)), ("product", .double(product)),
            ("gt", .double(gt)), ("rule", .double(rule)), ("title", .double(title)), ("price", .double(price)),
            ("service", .double(service)), ("sku & attrs", .double(skuAttrs)),
        ]
        if let shop { pairs.append(("shop", .double(shop))) }
        if let budget { pairs.append(("budget", .double(budget))) }
        if let keyword { pairs.append(("kw", .double(keyword))) }
        return .object(pairs)
    }
}

/// How one reward item fared against the id recommended for it.
public struct SlotScore: Sendable, Hashable {
    /// 0-based position of the reward item (and of the id paired with it).
    public var index: Int
    public var rewardProductID: String
    /// The id paired with this item; nil when too few ids were recommended.
    public var recommendedID: String?
    /// The id resolved to a catalog product (for web tasks with a GT id, true without a lookup).
    public var found: Bool = false
    public var isGroundTruth: Bool = false
    public var rule: Double = 0
    public var title: Double = 0
    public var price: Double = 0
    public var service: Double = 0
    public var skuAttrs: Double = 0
    /// Web tasks only.
    public var keyword: Double?
    /// Constraints met and counted (titles that could not be judged are not counted).
    public var hits: Int = 0
    public var constraints: Int = 0
    /// One similarity per reward title, nil when not judged or not needed (GT, not found).
    public var titleSimilarities: [Double?] = []
    /// The constraints the product misses, readable ("price between [180.0, 505.0]", "brand=hosport").
    public var missed: [String] = []
    /// The product's price and shop, for the shop and budget rules.
    public var productPrice: Double?
    public var shopID: String?

    public init(index: Int, rewardProductID: String, recommendedID: String?) {
        self.index = index
        self.rewardProductID = rewardProductID
        self.recommendedID = recommendedID
    }

    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("index", .int(Int64(index))), ("reward_product_id", .string(rewardProductID)),
            ("recommended_id", recommendedID.map(JSONValue.string) ?? .null), ("found", .bool(found)),
            ("gt", .bool(isGroundTruth)), ("rule", .double(rule)), ("hits", .int(Int64(hits))),
            ("constraints", .int(Int64(constraints))), ("title", .double(title)), ("price", .double(price)),
            ("service", .double(service)), ("sku & attrs", .double(skuAttrs)),
        ]
        if let keyword { pairs.append(("kw", .double(keyword))) }
        pairs.append(("title_similarities", .array(titleSimilarities.map { $0.map(JSONValue.double) ?? .null })))
        pairs.append(("missed", .array(missed.map(JSONValue.string))))
        if let productPrice { pairs.append(("product_price", .double(productPrice))) }
        if let shopID { pairs.append(("shop_id", .string(shopID))) }
        return .object(pairs)
    }
}

/// What happened to a problem before scoring.
public enum ScoreOutcome: String, Sendable, Hashable {
    /// The envelope was SUCCESS (or had no status) and its dialogue was scored.
    case scored
    /// No envelope for the problem: counts as a failure (unless the denominator is rolled-out only).
    case notRolledOut = "not_rolled_out"
    /// The envelope is FAILED, TIMED_OUT or unknown: a failure, components 0.
    case runNotSuccessful = "run_not_successful"
}

/// The outcome score of one problem.
public struct ProblemScore: Sendable, Hashable {
    public var problemID: String
    public var category: ProblemCategory
    public var outcome: ScoreOutcome
    public var envelopeStatus: EnvelopeStatus?
    /// The category's success predicate held (`score` 1.0, status SUCCESS in the reference).
    public var success: Bool
    public var components: ScoreComponents
    /// The ids of the last recommend call after splitting; empty when none.
    public var recommended: [String]
    public var slots: [SlotScore]
    public var stepFormats: [StepFormat]
    public var issues: [ScoreIssue]
    /// Set when ORO's scorer could not score the dialogue (``MalformedDialogue``): the problem is FAILED with
    /// this reason and its components are 0.
    public var malformation: ScoreIssue?

    public init(problemID: String, category: ProblemCategory, outcome: ScoreOutcome, envelopeStatus: EnvelopeStatus?) {
        self.problemID = problemID
        self.category = category
        self.outcome = outcome
        self.envelopeStatus = envelopeStatus
        self.success = false
        self.components = ScoreComponents()
        self.recommended = []
        self.slots = []
        self.stepFormats = []
        self.issues = []
        self.malformation = nil
    }

    /// 1.0 on success, else 0.0 (the reference's per-problem `score`).
    public var score: Double { success ? 1 : 0 }
    /// Every item was recommended by its exact GT id.
    public var isGroundTruth: Bool { components.gt >= 1 }
    public var hasRollout: Bool { outcome != .notRolledOut }

    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("problem_id", .string(problemID)), ("category", .string(category.rawValue)),
            ("outcome", .string(outcome.rawValue)),
            ("envelope_status", envelopeStatus.map { .string($0.rawValue) } ?? .null),
            ("status", .string(success ? "SUCCESS" : "FAILED")), ("score", .double(score)),
            ("components", components.json), ("recommended", .array(recommended.map(JSONValue.string))),
            ("slots", .array(slots.map(\.json))),
        ]
        let formatFailures = stepFormats.enumerated().compactMap { (i, f) -> JSONValue? in
            guard f.failure != nil || f.timestampMissing else { return nil }
            return .object([
                ("step", .int(Int64(i))), ("score", .double(f.score)),
                ("failure", f.failure.map { .string($0.description) } ?? .null),
                ("timestamp_missing", .bool(f.timestampMissing)),
            ])
        }
        pairs.append(("format_deductions", .array(formatFailures)))
        pairs.append(("issues", .array(issues.map(\.json))))
        if let malformation { pairs.append(("failure_reason", malformation.json)) }
        return .object(pairs)
    }
}
