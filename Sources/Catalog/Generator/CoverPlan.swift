import ArenaModel

/// The merged requirements of one ground-truth product id over every problem that names it.
public struct AnchorRequirement: Sendable {
    public var productID: String
    public var title: String
    /// Indices into ``CoverPlan/problems`` with the reward item of this id in each.
    public var rewards: [(problem: Int, item: RewardItem)]
    /// Required SKU variants; each reward's SKU pairs live together in one of them.
    public var variants: [[Product.KeyValue]]
    /// Required attributes (values merged per key), plus SKU pairs that could not share a variant.
    public var attributes: [Product.Attribute]
    public var services: [String]
    /// Merged inclusive price bounds (nil = open).
    public var lowerBound: Double?
    public var upperBound: Double?
    /// Dedicated shop group (shop problems and shop-type vouchers), if any.
    public var shopGroup: Int?
    /// Voucher problems this id belongs to.
    public var voucherProblems: [Int]
    /// A web reward's full document, used verbatim.
    public var webDocument: Product?

    public var problemIndices: [Int] { Array(Set(rewards.map(\.problem))).sorted() }
    public var hasSKU: Bool { !variants.isEmpty }
    public var hasAttributes: Bool { rewards.contains { !$0.item.attributes.isEmpty } }
}

/// What the generator must place to cover a set of problems: merged anchor requirements, shop
/// groups, and the voucher price splits. Built once from the `--cover` problems.
public struct CoverPlan: Sendable {
    public var problems: [Problem]
    public var anchors: [AnchorRequirement]
    public var anchorIndex: [String: Int]
    /// Number of dedicated shops.
    public var shopGroupCount: Int
    /// Problems whose items must share one shop (shop problems, shop-type vouchers).
    public var shopProblems: [Int]
    public var warnings: [String]

    public init(problems: [Problem]) {
        self.problems = problems
        var anchors: [AnchorRequirement] = []
        var index: [String: Int] = [:]
        var warnings: [String] = []

        for (p, problem) in problems.enumerated() {
            for item in problem.rewards {
                if let i = index[item.productID] {
                    anchors[i].rewards.append((p, item))
                } else {
                    index[item.productID] = anchors.count
                    anchors.append(AnchorRequirement(
                        productID: item.productID, title: item.titles.first ?? "", rewards: [(p, item)], variants: [],
                        attributes: [], services: [], voucherProblems: [], webDocument: item.fullProduct))
                }
                let i = index[item.productID]!
                if let t = item.titles.first, t != anchors[i].title {
                    warnings.append("product \(item.productID): problems disagree on the title (\"\(anchors[i].title)\" vs \"\(t)\"); keeping the first")
                }
                if anchors[i].webDocument == nil, let doc = item.fullProduct { anchors[i].webDocument = doc }
                if problem.category == .voucher, !anchors[i].voucherProblems.contains(p) { anchors[i].voucherProblems.append(p) }
            }
        }

        for i in anchors.indices { CoverPlan.merge(&anchors[i], warnings: &warnings) }

        // Shop groups: union-find over the items of every problem that needs one shop.
        var parent = Array(anchors.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var shopProblems: [Int] = []
        for (p, problem) in problems.enumerated() {
            let needsShop = problem.category == .shop || (problem.category == .voucher && problem.voucher?.scope == .shop)
            guard needsShop else { continue }
            shopProblems.append(p)
            let ids = problem.rewards.compactMap { index[$0.productID] }
            for id in ids.dropFirst() { parent[find(id)] = find(ids[0]) }
        }
        var groupOfRoot: [Int: Int] = [:]
        for p in shopProblems {
            for item in problems[p].rewards {
                let root = find(index[item.productID]!)
                if groupOfRoot[root] == nil { groupOfRoot[root] = groupOfRoot.count }
            }
        }
        for i in anchors.indices { anchors[i].shopGroup = groupOfRoot[find(i)] }

        self.anchors = anchors
        self.anchorIndex = index
        self.shopGroupCount = groupOfRoot.count
        self.shopProblems = shopProblems
        self.warnings = warnings
    }

    /// Merges the constraints of every reward of one id.
    static func merge(_ a: inout AnchorRequirement, warnings: inout [String]) {
        var attributes: [Product.Attribute] = []
        func addAttribute(_ key: String, _ value: String) {
            if let j = attributes.firstIndex(where: { $0.key == key }) {
                if !attributes[j].values.contains(value) { attributes[j].values.append(value) }
            } else {
                attributes.append(.init(key, [value]))
            }
        }
        var variants: [[Product.KeyValue]] = []
        var services: [String] = []
        for (_, item) in a.rewards {
            // One reward's SKU pairs must share a variant; a key repeated with two values cannot,
            // so the later pair becomes an attribute (attribute pairs also satisfy SKU pairs).
            var variant: [Product.KeyValue] = []
            for pair in item.skuOptions.flatMap({ $0 }) {
                if let existing = variant.first(where: { $0.key == pair.key }) {
                    if existing.value != pair.value { addAttribute(pair.key, pair.value) }
                } else {
                    variant.append(pair)
                }
            }
            if !variant.isEmpty {
                // Merge with an earlier variant when the keys agree; else keep a separate variant.
                if let j = variants.firstIndex(where: { v in variant.allSatisfy { p in v.first { $0.key == p.key }.map { $0.value == p.value } ?? true } }) {
                    for p in variant where !variants[j].contains(p) { variants[j].append(p) }
                } else if variants.count < Product.maxVariants {
                    variants.append(variant)
                } else {
                    for p in variant { addAttribute(p.key, p.value) }
                }
            }
            for attribute in item.attributes { for v in attribute.values { addAttribute(attribute.key, v) } }
            for s in item.service where !services.contains(s) { services.append(s) }
            for price in item.price {
                let (lo, hi) = price.effectiveBounds
                if let lo { a.lowerBound = max(a.lowerBound ?? lo, lo) }
                if let hi { a.upperBound = min(a.upperBound ?? hi, hi) }
            }
        }
        if let lo = a.lowerBound, let hi = a.upperBound, lo > hi {
            warnings.append("product \(a.productID): price constraints conflict (≥ \(lo) and ≤ \(hi)); keeping the lower bound only")
            a.upperBound = nil
        }
        let unknown = services.filter { Service(rawValue: $0) == nil }
        if !unknown.isEmpty { warnings.append("product \(a.productID): unknown service tokens \(unknown) kept as required") }
        a.variants = variants
        a.attributes = attributes
        a.services = services
    }
}
