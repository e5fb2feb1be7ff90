import ArenaModel

/// The rules that differ between the two references, chosen per run.
///
/// `oro` follows ORO's validator (`reference/oro-validator.md` §3); `shoppingbench` follows the
/// ShoppingBench evaluator (`reference/shoppingbench.md` §4). Everything else (price, service, SKU and
/// attribute matching, GT short-circuit, voucher math, success predicates) is the same in both.
public struct ScoringProfile: Sendable, Hashable, CustomStringConvertible {
    /// How the `product_ids` string of the last `recommend_product` call becomes a list of ids.
    public enum IDSplitting: String, Sendable, Hashable {
        /// Split on ",", trim white space, drop empty ids, drop repeats keeping the first (ORO).
        case trimmed
        /// Split on "," only: no trimming, empty and repeated ids stay as slots (ShoppingBench).
        case plain
    }

    /// When a resolved shop/voucher slot counts towards `shop` and `budget`.
    public enum SlotHit: String, Sendable, Hashable {
        /// The product's rule score is > 0 (ORO).
        case positiveRule
        /// The id resolved to a catalog product (ShoppingBench).
        case resolved
    }

    /// What the suite-level rates divide by.
    public enum Denominator: String, Sendable, Hashable, CaseIterable {
        /// Every problem of the suite; missing rollouts, timeouts and crashes count as failures (ORO).
        case suite
        /// Only problems that have a rollout line (ShoppingBench's evaluator).
        case rolledOut = "rolled-out"
    }

    /// What the per-field ratios (`title`, `price`, `service`, `sku & attrs`) of a ground-truth slot are.
    public enum GroundTruthFields: String, Sendable, Hashable {
        /// Every field counts 1 (ShoppingBench returns before counting anything).
        case perfect
        /// Hits / constraints as for any other product, titles all hit; an unconstrained field counts
        /// ``ScoringProfile/unconstrainedFieldRatio`` (ORO counts the fields, then returns rule 1).
        case counted
    }

    public var name: String
    /// Title hit threshold on an embedding cosine (Qwen3-Embedding-0.6B scale), product/shop/voucher tasks.
    public var embeddingTitleThreshold: Double
    /// Title threshold on an embedding cosine for web (knowledge) tasks.
    public var embeddingWebTitleThreshold: Double
    /// Title hit threshold on ``LexicalTitleSimilarity``'s scale, calibrated to behave like
    /// ``embeddingTitleThreshold`` (see `LexicalTitleSimilarity` for how).
    public var lexicalTitleThreshold: Double
    public var lexicalWebTitleThreshold: Double
    /// The per-field ratio reported for a field the reward does not constrain: 0 in ORO, 1 in ShoppingBench.
    public var unconstrainedFieldRatio: Double
    public var idSplitting: IDSplitting
    /// Factor applied to a step's format score when `extra_info.timestamp` is missing (ORO 0.5; 1 = none).
    public var missingTimestampFactor: Double
    public var slotHit: SlotHit
    public var denominator: Denominator
    public var groundTruthFields: GroundTruthFields
    /// A step whose `extra_info` is present but not an object (null, a list, …) scores format 0: ORO's
    /// `step.get("extra_info", {}).get(...)` raises there and the step is skipped. Without it the step is
    /// treated as having no timestamp.
    public var extraInfoMustBeObject: Bool

    public init(
        name: String, embeddingTitleThreshold: Double, embeddingWebTitleThreshold: Double, lexicalTitleThreshold: Double,
        lexicalWebTitleThreshold: Double, unconstrainedFieldRatio: Double, idSplitting: IDSplitting,
        missingTimestampFactor: Double, slotHit: SlotHit, denominator: Denominator,
        groundTruthFields: GroundTruthFields, extraInfoMustBeObject: Bool
    ) {
        self.name = name
        self.embeddingTitleThreshold = embeddingTitleThreshold
        self.embeddingWebTitleThreshold = embeddingWebTitleThreshold
        self.lexicalTitleThreshold = lexicalTitleThreshold
        self.lexicalWebTitleThreshold = lexicalWebTitleThreshold
        self.unconstrainedFieldRatio = unconstrainedFieldRatio
        self.idSplitting = idSplitting
        self.missingTimestampFactor = missingTimestampFactor
        self.slotHit = slotHit
        self.denominator = denominator
        self.groundTruthFields = groundTruthFields
        self.extraInfoMustBeObject = extraInfoMustBeObject
    }

    /// ORO's validator: title cosine ≥ 0.7, ids trimmed and de-duplicated, unconstrained fields 0,
    /// ×0.5 format for a missing timestamp (0 when `extra_info` is not an object), slot hits need rule > 0,
    /// field ratios counted on ground-truth slots too, rates over the whole suite.
    public static let oro = ScoringProfile(
        name: "oro", embeddingTitleThreshold: 0.7, embeddingWebTitleThreshold: 0.8,
        lexicalTitleThreshold: LexicalTitleSimilarity.calibratedThreshold(forEmbeddingThreshold: 0.7),
        lexicalWebTitleThreshold: LexicalTitleSimilarity.calibratedThreshold(forEmbeddingThreshold: 0.8),
        unconstrainedFieldRatio: 0, idSplitting: .trimmed, missingTimestampFactor: 0.5, slotHit: .positiveRule,
        denominator: .suite, groundTruthFields: .counted, extraInfoMustBeObject: true)

    /// ShoppingBench's evaluator: title cosine ≥ 0.5 (0.8 for web), ids split without trimming,
    /// unconstrained fields 1 (and every field 1 on a ground-truth slot), no timestamp penalty, slot hits need
    /// only a resolved id. The denominator
    /// stays the whole suite (ShopArena's rule); pass `.rolledOut` for upstream's.
    public static let shoppingBench = ScoringProfile(
        name: "shoppingbench", embeddingTitleThreshold: 0.5, embeddingWebTitleThreshold: 0.8,
        lexicalTitleThreshold: LexicalTitleSimilarity.calibratedThreshold(forEmbeddingThreshold: 0.5),
        lexicalWebTitleThreshold: LexicalTitleSimilarity.calibratedThreshold(forEmbeddingThreshold: 0.8),
        unconstrainedFieldRatio: 1, idSplitting: .plain, missingTimestampFactor: 1, slotHit: .resolved,
        denominator: .suite, groundTruthFields: .perfect, extraInfoMustBeObject: false)

    /// The profiles by name (`oro`, `shoppingbench`).
    public static func named(_ name: String) -> ScoringProfile? {
        switch name.lowercased() {
        case "oro": return .oro
        case "shoppingbench", "shopping-bench", "sb": return .shoppingBench
        default: return nil
        }
    }

    /// The title threshold for a similarity backend of `scale`, for web tasks or the others.
    public func titleThreshold(for scale: SimilarityScale, web: Bool) -> Double {
        switch scale {
        case .embedding: return web ? embeddingWebTitleThreshold : embeddingTitleThreshold
        case .lexical: return web ? lexicalWebTitleThreshold : lexicalTitleThreshold
        case .exact: return 1
        }
    }

    public var description: String { name }
}
