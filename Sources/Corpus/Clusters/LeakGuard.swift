import ArenaModel

/// Keeps problems of one pool (a training corpus, an evaluation set, the hidden race bank) from leaking into
/// another: a candidate conflicts with a protected pool when it ends in the same leak cluster
/// (``ProblemClusterer``) as one of the pool's problems.
public struct LeakGuard: Sendable {
    public var clusterer: ProblemClusterer

    public init(clusterer: ProblemClusterer = ProblemClusterer()) {
        self.clusterer = clusterer
    }

    /// For each candidate, the index (in `protected`) of a protected problem in its cluster, or nil when it is clear.
    /// Candidates are clustered together with the protected problems, so a chain through another candidate
    /// counts too (whole clusters are what a split keeps apart).
    public func conflicts(_ candidates: [Problem], protected: [Problem]) -> [Int?] {
        guard !protected.isEmpty else { return Array(repeating: nil, count: candidates.count) }
        let result = clusterer.cluster(protected + candidates)
        var firstProtected: [Int: Int] = [:]
        for i in protected.indices where firstProtected[result.cluster[i]] == nil {
            firstProtected[result.cluster[i]] = i
        }
        return candidates.indices.map { firstProtected[result.cluster[protected.count + $0]] }
    }

    /// A deterministic held-out sample: `count` candidates that share no cluster with `protected` and no cluster
    /// with each other (one problem per cluster), drawn with `seed`. Fewer when not enough are clear.
    public func sample(_ candidates: [Problem], count: Int, seed: UInt64, protected: [Problem]) -> [Problem] {
        let conflicts = conflicts(candidates, protected: protected)
        let clusters = clusterer.cluster(candidates).cluster
        var order = Array(candidates.indices)
        var rng = SplitMix64(seed: seed)
        order.shuffle(using: &rng)
        var taken = Set<Int>()
        var out: [Problem] = []
        for i in order where out.count < count && conflicts[i] == nil && taken.insert(clusters[i]).inserted {
            out.append(candidates[i])
        }
        return out
    }
}
