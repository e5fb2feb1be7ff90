import ArenaModel
import Foundation

/// How well a clustering keeps versions of a problem together and different problems apart.
///
/// - Recall per variant kind: the share of variants that landed in their original's cluster.
/// - Pair precision: of all pairs inside clusters, the share that are versions of one problem or share a
///   ground-truth product id (the two reasons a pair belongs together).
public struct ClusterEvaluation: Sendable {
    public var recall: [ProblemVariants.Kind: Double]
    public var variants: [ProblemVariants.Kind: Int]
    public var pairs: Int
    public var wrongPairs: Int
    public var pairPrecision: Double { pairs == 0 ? 1 : Double(pairs - wrongPairs) / Double(pairs) }

    /// - Parameters:
    ///   - problems: originals and variants, as clustered.
    ///   - origin: for each problem, the index of the problem it is a version of (itself for an original).
    ///   - kind: the variant kind of each problem (nil for an original).
    public init(result: ProblemClusterer.Result, problems: [Problem], origin: [Int], kind: [ProblemVariants.Kind?]) {
        var hits: [ProblemVariants.Kind: Int] = [:]
        var counts: [ProblemVariants.Kind: Int] = [:]
        for (i, k) in kind.enumerated() {
            guard let k else { continue }
            counts[k, default: 0] += 1
            if result.cluster[i] == result.cluster[origin[i]] { hits[k, default: 0] += 1 }
        }
        variants = counts
        recall = counts.mapValues { _ in 0 }
        for (k, n) in counts { recall[k] = Double(hits[k, default: 0]) / Double(n) }
        var pairs = 0
        var wrong = 0
        let ids = problems.map { Set($0.rewards.map(\.productID).filter { !$0.isEmpty }) }
        for members in result.members where members.count > 1 {
            for a in 0..<members.count {
                for b in (a + 1)..<members.count {
                    let x = members[a]
                    let y = members[b]
                    pairs += 1
                    if origin[x] != origin[y] && ids[x].isDisjoint(with: ids[y]) { wrong += 1 }
                }
            }
        }
        self.pairs = pairs
        self.wrongPairs = wrong
    }

    /// The bar to beat: plain word-set Jaccard (words as written, split on white space) between each variant and its
    /// original, at `threshold`, per kind.
    public static func plainJaccardRecall(problems: [Problem], origin: [Int], kind: [ProblemVariants.Kind?],
                                          threshold: Double) -> [ProblemVariants.Kind: Double] {
        func words(_ s: String) -> Set<Substring> { Set(s.split(whereSeparator: \.isWhitespace)) }
        var hits: [ProblemVariants.Kind: Int] = [:]
        var counts: [ProblemVariants.Kind: Int] = [:]
        for (i, k) in kind.enumerated() {
            guard let k else { continue }
            counts[k, default: 0] += 1
            let a = words(problems[i].query)
            let b = words(problems[origin[i]].query)
            let j = Double(a.intersection(b).count) / Double(max(a.union(b).count, 1))
            if j >= threshold { hits[k, default: 0] += 1 }
        }
        return counts.reduce(into: [:]) { $0[$1.key] = Double(hits[$1.key, default: 0]) / Double($1.value) }
    }
}
