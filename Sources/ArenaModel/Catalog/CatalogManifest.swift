/// The layer a non-filler product belongs to (manifest `layer`).
public enum CoverLayer: String, Sendable, Hashable, CaseIterable {
    /// The ground-truth product of a reward, satisfying every constraint.
    case anchor
    /// A near copy of an anchor that violates exactly one constraint.
    case negative
    /// A near copy that satisfies every constraint (and, for shop and voucher problems, can replace
    /// the anchor in the ground-truth solution).
    case alternate
    /// An item of a decoy shop of a shop problem: valid but in the wrong shop, or violating one
    /// item constraint.
    case decoy
}

/// The one constraint a hard negative or decoy misses (manifest `violates`).
public enum ViolatedConstraint: String, Sendable, Hashable, CaseIterable {
    /// Outside a price bound; for voucher items (which carry no price bound) priced so that the
    /// ground-truth combination with this product substituted fails the budget rule.
    case price
    /// A required service is missing.
    case service
    /// A required SKU pair is not in any variant.
    case sku
    /// A required attribute value is replaced.
    case attribute
    /// Satisfies the item but is sold by another shop than the rest of the solution.
    case shop
}

/// One line of the catalog generator's manifest: which problem a non-filler product was made for,
/// `{"product_id", "layer", "problem_ids", "reward_product_id", "violates"}`. Written by Catalog,
/// read by Scoring to build labelled title sets.
public struct ManifestEntry: Sendable, Hashable {
    public var productID: String
    public var layer: CoverLayer
    public var problemIDs: [String]
    public var rewardProductID: String
    public var violates: ViolatedConstraint?

    public init(productID: String, layer: CoverLayer, problemIDs: [String], rewardProductID: String, violates: ViolatedConstraint?) {
        self.productID = productID
        self.layer = layer
        self.problemIDs = problemIDs
        self.rewardProductID = rewardProductID
        self.violates = violates
    }

    public var json: JSONValue {
        .object([
            ("product_id", .string(productID)),
            ("layer", .string(layer.rawValue)),
            ("problem_ids", .array(problemIDs.map(JSONValue.string))),
            ("reward_product_id", .string(rewardProductID)),
            ("violates", violates.map { .string($0.rawValue) } ?? .null),
        ])
    }

    public var jsonLine: String { JSONWriter().string(json) }

    /// Whether the product satisfies every constraint of its reward item (anchors, alternates and
    /// decoys that violate nothing).
    public var satisfiesReward: Bool { violates == nil && layer != .negative }

    /// Reads a manifest line.
    public init(jsonLine: String) throws(ProblemDecodingError) {
        let value: JSONValue
        do { value = try JSONParser.parse(jsonLine) } catch { throw ProblemDecodingError("manifest: \(error.description)") }
        guard let id = value["product_id"]?.stringValue, let layerText = value["layer"]?.stringValue,
              let layer = CoverLayer(rawValue: layerText), let reward = value["reward_product_id"]?.stringValue
        else { throw ProblemDecodingError("manifest line lacks product_id, layer or reward_product_id") }
        let problems = value["problem_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var violates: ViolatedConstraint?
        if let v = value["violates"]?.stringValue {
            guard let c = ViolatedConstraint(rawValue: v) else { throw ProblemDecodingError("manifest: unknown violates '\(v)'") }
            violates = c
        }
        self.init(productID: id, layer: layer, problemIDs: problems, rewardProductID: reward, violates: violates)
    }
}
