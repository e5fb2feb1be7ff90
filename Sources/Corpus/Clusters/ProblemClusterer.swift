import ArenaModel
import Foundation

/// Groups problems into leak clusters: every version of a problem (paraphrased, reworded, reordered,
/// shortened, restyled, re-listed) and every problem that shares a ground-truth product with it end in one
/// cluster, so a split by whole clusters never puts a problem, or a product, on both sides.
///
/// Three links, joined transitively (union-find):
/// 1. a shared ground-truth product id (the paper's audit: no product in both train and eval);
/// 2. the same canonical reward specification (``RewardKey``: order-insensitive, ids left out, so a product
///    re-listed under a new id still links);
/// 3. similar requests: IDF-weighted token sets of ``QueryFingerprint``s. Template words that every voucher
///    or shop problem carries weigh almost nothing; product nouns, attribute values and numbers carry the
///    weight. Two requests link when their weighted Jaccard similarity reaches ``Configuration/jaccard``.
///    A request nearly contained in others (a shortened version: weighted containment at least
///    ``Configuration/containment``, Jaccard at least ``Configuration/containedJaccard``) links to its single
///    best container only (highest containment, then highest Jaccard), and only while no other link has placed
///    it: a request that lost its distinctive words is contained in many problems, and joining it to all of
///    them would chain unrelated problems together. Every text link also needs ``Configuration/sharedContentWords``
///    shared non-template words.
///
/// The thresholds come from `shoparena bench clusters` (variant recall and pair precision on 9,485 problems:
/// 1,355 generated and ORO-suite originals, six variants each): recall 1.0 for every kind and pair precision
/// 1.0 with all links; the text links alone recall 0.93–1.0 per kind at pair precision 0.999, where a plain
/// word-set Jaccard ≥ 0.5 recalls 0.33 of the restyled and 0.71 of the paraphrased versions. Candidate pairs come from an inverted index of each
/// problem's rarest tokens, so 10,000 problems take seconds, not the 50 million comparisons of all pairs.
public struct ProblemClusterer: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var jaccard: Double = 0.8
        public var containment: Double = 0.97
        public var containedJaccard: Double = 0.35
        /// Requests link only when they share at least this many words that are not template words: two
        /// requests cut down to one price say nothing about each other.
        public var sharedContentWords = 2
        /// Each problem looks for partners through this many of its rarest tokens.
        public var rareTokens: Int = 12
        /// Links 1 and 2 (off only to measure what the text similarity catches alone).
        public var exactLinks = true
        public init() {}
    }

    /// Why two problems were put together.
    public enum LinkReason: Sendable, Hashable, CustomStringConvertible {
        case sharedProduct(String)
        case sameReward
        case similarRequest(jaccard: Double, containment: Double)

        public var description: String {
            switch self {
            case .sharedProduct(let id): return "shared product \(id)"
            case .sameReward: return "same reward specification"
            case .similarRequest(let j, let c):
                return "similar request (jaccard \(String(format: "%.2f", j)), containment \(String(format: "%.2f", c)))"
            }
        }
    }

    public struct Link: Sendable, Hashable {
        public var first: Int
        public var second: Int
        public var reason: LinkReason
    }

    /// Cluster numbers per input problem (0, 1, … in order of first appearance) and the links that made them.
    public struct Result: Sendable {
        public var cluster: [Int]
        public var links: [Link]
        public var clusterCount: Int { (cluster.max() ?? -1) + 1 }

        /// The members of each cluster, in input order.
        public var members: [[Int]] {
            var out = [[Int]](repeating: [], count: clusterCount)
            for (i, c) in cluster.enumerated() { out[c].append(i) }
            return out
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public func cluster(_ problems: [Problem]) -> Result {
        var sets = DisjointSets(count: problems.count)
        var links: [Link] = []
        func join(_ a: Int, _ b: Int, _ reason: LinkReason) {
            if sets.union(a, b) { links.append(Link(first: min(a, b), second: max(a, b), reason: reason)) }
        }
        // 1 and 2: exact keys.
        var byProduct: [String: Int] = [:]
        var byReward: [String: Int] = [:]
        for (i, p) in problems.enumerated() where configuration.exactLinks {
            for r in p.rewards where !r.productID.isEmpty {
                if let j = byProduct[r.productID] { join(j, i, .sharedProduct(r.productID)) } else { byProduct[r.productID] = i }
            }
            if let key = RewardKey.of(p) {
                if let j = byReward[key] { join(j, i, .sameReward) } else { byReward[key] = i }
            }
        }
        // 3: similar requests.
        let weighted = WeightedRequests(problems.map { QueryFingerprint(query: $0.query).tokens })
        // The best container of each request that is nearly contained in another: (partner, jaccard, containment).
        var bestContainer = [(Int, Double, Double)?](repeating: nil, count: problems.count)
        for i in problems.indices {
            for j in weighted.candidates(of: i, rareTokens: configuration.rareTokens) where j > i {
                guard problems[i].category == problems[j].category else { continue }
                let (jaccard, containment, sharedContent) = weighted.similarity(i, j)
                guard sharedContent >= configuration.sharedContentWords else { continue }
                if jaccard >= configuration.jaccard {
                    join(i, j, .similarRequest(jaccard: jaccard, containment: containment))
                } else if containment >= configuration.containment && jaccard >= configuration.containedJaccard {
                    let (small, large) = weighted.totals[i] <= weighted.totals[j] ? (i, j) : (j, i)
                    // The original of a shortened request contains all of it; among equals, the closest.
                    if bestContainer[small].map({ (containment, jaccard) > ($0.2, $0.1) }) ?? true {
                        bestContainer[small] = (large, jaccard, containment)
                    }
                }
            }
        }
        // Only a request that nothing else has placed looks for its container: one already joined to its
        // versions (by product, reward or a close request) has found its cluster.
        for (i, best) in bestContainer.enumerated() where sets.size(of: i) == 1 {
            if let (j, jaccard, containment) = best { join(i, j, .similarRequest(jaccard: jaccard, containment: containment)) }
        }
        // Number clusters by first member.
        var number: [Int: Int] = [:]
        let cluster = problems.indices.map { i -> Int in
            let root = sets.find(i)
            if let n = number[root] { return n }
            number[root] = number.count
            return number.count - 1
        }
        return Result(cluster: cluster, links: links)
    }
}

/// Token sets with inverse-document-frequency weights over the whole input.
struct WeightedRequests {
    let tokenIDs: [[Int32]]
    let weights: [Double]
    let totals: [Double]
    let postings: [[Int32]]
    /// Whether each token is a template word.
    let template: [Bool]
    /// How much a template word (``QueryFingerprint/templateWords``) weighs against its frequency weight.
    static let templateWeight = 0.1

    init(_ sets: [Set<String>]) {
        var dictionary: [String: Int32] = [:]
        var template: [Bool] = []
        var ids: [[Int32]] = []
        ids.reserveCapacity(sets.count)
        for set in sets {
            var row: [Int32] = []
            for token in set {
                if let id = dictionary[token] { row.append(id) } else {
                    let id = Int32(dictionary.count)
                    dictionary[token] = id
                    template.append(QueryFingerprint.templateWords.contains(token))
                    row.append(id)
                }
            }
            row.sort()
            ids.append(row)
        }
        var df = [Int](repeating: 0, count: dictionary.count)
        var postings = [[Int32]](repeating: [], count: dictionary.count)
        for (i, row) in ids.enumerated() {
            for t in row {
                df[Int(t)] += 1
                postings[Int(t)].append(Int32(i))
            }
        }
        let n = Double(max(sets.count, 1))
        let weights = df.indices.map { t in log(1 + n / Double(df[t])) * (template[t] ? Self.templateWeight : 1) }
        self.weights = weights
        totals = ids.map { row in row.reduce(0) { $0 + weights[Int($1)] } }
        tokenIDs = ids
        self.postings = postings
        self.template = template
    }

    /// Problems sharing one of `i`'s rarest tokens (those carry the identity of a request).
    func candidates(of i: Int, rareTokens: Int) -> Set<Int> {
        let rare = tokenIDs[i].sorted { postings[Int($0)].count < postings[Int($1)].count }.prefix(rareTokens)
        var out = Set<Int>()
        for t in rare {
            let list = postings[Int(t)]
            guard list.count <= max(64, tokenIDs.count / 20) else { continue }
            for j in list { out.insert(Int(j)) }
        }
        return out
    }

    /// Weighted Jaccard, weighted containment of the smaller set, and the number of shared non-template tokens.
    func similarity(_ a: Int, _ b: Int) -> (jaccard: Double, containment: Double, sharedContent: Int) {
        let x = tokenIDs[a]
        let y = tokenIDs[b]
        var i = 0
        var j = 0
        var shared = 0.0
        var sharedContent = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] {
                shared += weights[Int(x[i])]
                if !template[Int(x[i])] { sharedContent += 1 }
                i += 1
                j += 1
            } else if x[i] < y[j] {
                i += 1
            } else {
                j += 1
            }
        }
        let union = totals[a] + totals[b] - shared
        let smaller = min(totals[a], totals[b])
        return (union > 0 ? shared / union : 0, smaller > 0 ? shared / smaller : 0, sharedContent)
    }
}

/// Union-find with path halving and union by size.
struct DisjointSets {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = [Int](repeating: 1, count: count)
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    /// The number of members of `x`'s set.
    mutating func size(of x: Int) -> Int { size[find(x)] }

    /// Joins the sets of `a` and `b`; false when they were already one.
    @discardableResult
    mutating func union(_ a: Int, _ b: Int) -> Bool {
        var ra = find(a)
        var rb = find(b)
        guard ra != rb else { return false }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = ra
        size[ra] += size[rb]
        return true
    }
}
