import ArenaModel

/// The pools the arena keeps apart: a suite's public problems (served to miners) and the hidden race bank.
public enum ProblemPool: String, Sendable, Hashable, CaseIterable {
    case suite
    case hiddenBank = "hidden_bank"
}

/// A problem already kept in a pool, and the suite that holds it.
public struct PooledProblem: Sendable {
    public var problem: Problem
    public var pool: ProblemPool
    public var suiteID: Int64

    public init(problem: Problem, pool: ProblemPool, suiteID: Int64) {
        self.problem = problem
        self.pool = pool
        self.suiteID = suiteID
    }
}

/// Why an entering problem and a kept one ended in one leak cluster.
public enum PoolLeakReason: String, Sendable, Hashable, CaseIterable {
    /// The two share a ground-truth product id.
    case sharedProduct = "shared_product"
    /// The two have the same canonical reward specification (``RewardKey``).
    case sameReward = "same_reward"
    /// The requests are versions of each other (paraphrased, reworded, shortened: ``ProblemClusterer`` link 3).
    case similarText = "similar_text"
}

/// One entering problem that clusters with problems of another pool.
public struct PoolLeak: Sendable, Hashable {
    /// A kept problem of another pool in the entering problem's cluster.
    public struct Match: Sendable, Hashable {
        public var problemID: String
        public var pool: ProblemPool
        public var suiteID: Int64
        /// The two's own link when they are linked directly (a shared product or the same reward first);
        /// otherwise the link at which the chain from the entering problem first reaches the other pool.
        public var reason: PoolLeakReason
        /// The problems the chain passes through, in order (empty when the two are linked directly).
        public var via: [String]
    }

    public var problemID: String
    public var pool: ProblemPool
    public var clustersWith: [Match]
}

extension LeakGuard {
    /// The entering `candidates` (bound for `pool`) that share a leak cluster with problems of `others`, each with
    /// every problem of `others` in its cluster and why. `others` should hold only problems of pools other than
    /// `pool`; clustering runs over `others + candidates`, so a chain through another candidate counts
    /// (whole clusters are what a split keeps apart). Candidates in input order; matches in `others` order.
    public func leaks(entering candidates: [Problem], pool: ProblemPool, others: [PooledProblem]) -> [PoolLeak] {
        guard !candidates.isEmpty, !others.isEmpty else { return [] }
        let all = others.map(\.problem) + candidates
        let result = clusterer.cluster(all)
        let members = result.members
        var graph = [[(Int, ProblemClusterer.LinkReason)]](repeating: [], count: all.count)
        for link in result.links {
            graph[link.first].append((link.second, link.reason))
            graph[link.second].append((link.first, link.reason))
        }
        let rewardKeys = all.map(RewardKey.of)
        let products = all.map { Set($0.rewards.map(\.productID).filter { !$0.isEmpty }) }
        var out: [PoolLeak] = []
        for (offset, candidate) in candidates.enumerated() {
            let index = others.count + offset
            let kept = members[result.cluster[index]].filter { $0 < others.count }
            guard !kept.isEmpty else { continue }
            let parents = Self.spanningParents(from: index, graph: graph)
            let matches = kept.map { other -> PoolLeak.Match in
                let reason: PoolLeakReason
                var via: [String] = []
                if !products[index].isDisjoint(with: products[other]) {
                    reason = .sharedProduct
                } else if let key = rewardKeys[index], key == rewardKeys[other] {
                    reason = .sameReward
                } else {
                    let path = Self.path(to: other, parents: parents)
                    // The first link whose far end is a kept problem: where the chain crosses into the other pool.
                    let crossing = path.firstIndex { $0.node < others.count } ?? path.count - 1
                    reason = Self.reason(path[crossing].reason)
                    via = path.dropLast().map { all[$0.node].id }
                }
                return PoolLeak.Match(problemID: others[other].problem.id, pool: others[other].pool, suiteID: others[other].suiteID,
                                      reason: reason, via: via)
            }
            out.append(PoolLeak(problemID: candidate.id, pool: pool, clustersWith: matches))
        }
        return out
    }

    static func reason(_ link: ProblemClusterer.LinkReason) -> PoolLeakReason {
        switch link {
        case .sharedProduct: return .sharedProduct
        case .sameReward: return .sameReward
        case .similarRequest: return .similarText
        }
    }

    /// Breadth-first parents over the cluster's links (they form a tree: a link is kept only when it joins two
    /// clusters), from `start`.
    static func spanningParents(from start: Int, graph: [[(Int, ProblemClusterer.LinkReason)]])
        -> [Int: (parent: Int, reason: ProblemClusterer.LinkReason)]
    {
        var parents: [Int: (parent: Int, reason: ProblemClusterer.LinkReason)] = [:]
        var queue = [start]
        var seen: Set<Int> = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for (next, reason) in graph[node] where seen.insert(next).inserted {
                parents[next] = (node, reason)
                queue.append(next)
            }
        }
        return parents
    }

    /// The steps from the start of `parents` to `target`: each step's node and the link that reached it.
    static func path(to target: Int, parents: [Int: (parent: Int, reason: ProblemClusterer.LinkReason)])
        -> [(node: Int, reason: ProblemClusterer.LinkReason)]
    {
        var steps: [(node: Int, reason: ProblemClusterer.LinkReason)] = []
        var node = target
        while let step = parents[node] {
            steps.append((node, step.reason))
            node = step.parent
        }
        return steps.reversed()
    }
}
