import ArenaModel

/// One problem as the split sees it: its id, its stored record, and whether it is a hidden race problem.
public struct SplitProblem: Sendable {
    public var id: String
    public var record: JSONValue
    public var isHidden: Bool

    public init(id: String, record: JSONValue, isHidden: Bool) {
        self.id = id
        self.record = record
        self.isHidden = isHidden
    }
}

/// Train / eval / never pools by whole leak clusters (``ProblemClusterer``): a cluster holding a hidden race problem
/// goes to `never`; every other cluster goes to `eval` with probability `evalFraction`, drawn from the seed and the
/// cluster's smallest problem id, else to `train`. The same problems and seed give the same pools whatever order the
/// problems come in. A record that does not read as a problem is a cluster of its own.
public struct CorpusSplits: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var seed: UInt64
        public var evalFraction: Double
        public var clusterer: ProblemClusterer.Configuration

        public init(seed: UInt64 = 17, evalFraction: Double = 0.1, clusterer: ProblemClusterer.Configuration = .init()) {
            self.seed = seed
            self.evalFraction = evalFraction
            self.clusterer = clusterer
        }
    }

    /// Pool and cluster number per problem id.
    public private(set) var pools: [String: SplitPool]
    public private(set) var clusters: [String: Int]
    public let audit: SplitAudit

    public func pool(of problemID: String) -> SplitPool? { pools[problemID] }

    public init(problems input: [SplitProblem], configuration: Configuration = .init()) {
        // One entry per id (a hidden copy anywhere makes it hidden), sorted: the input order does not matter.
        var byID: [String: SplitProblem] = [:]
        for p in input {
            if var known = byID[p.id] {
                known.isHidden = known.isHidden || p.isHidden
                byID[p.id] = known
            } else {
                byID[p.id] = p
            }
        }
        let entries = byID.keys.sorted().map { byID[$0]! }
        var parsed: [Problem] = []
        var parsedIndex: [Int] = []
        for (i, entry) in entries.enumerated() {
            if let problem = try? Problem(json: entry.record.setting("problem_id", to: .string(entry.id))) {
                parsed.append(problem)
                parsedIndex.append(i)
            }
        }
        let result = ProblemClusterer(configuration: configuration.clusterer).cluster(parsed)
        var cluster = [Int](repeating: -1, count: entries.count)
        for (k, i) in parsedIndex.enumerated() { cluster[i] = result.cluster[k] }
        var next = result.clusterCount
        for i in cluster.indices where cluster[i] < 0 {
            cluster[i] = next
            next += 1
        }
        var hidden = [Bool](repeating: false, count: next)
        var smallest = [String?](repeating: nil, count: next)
        for (i, entry) in entries.enumerated() {
            if entry.isHidden { hidden[cluster[i]] = true }
            if smallest[cluster[i]] == nil { smallest[cluster[i]] = entry.id }  // entries are sorted
        }
        let poolOfCluster = (0..<next).map { c -> SplitPool in
            if hidden[c] { return .never }
            return Self.draw(smallest[c] ?? "", seed: configuration.seed) < configuration.evalFraction ? .eval : .train
        }
        var pools: [String: SplitPool] = [:]
        var clusters: [String: Int] = [:]
        for (i, entry) in entries.enumerated() {
            pools[entry.id] = poolOfCluster[cluster[i]]
            clusters[entry.id] = cluster[i]
        }
        self.pools = pools
        self.clusters = clusters
        audit = SplitAudit(entries: entries, pools: pools, clusters: clusters)
    }

    /// A uniform number in [0, 1) from the seed and a cluster's smallest problem id.
    static func draw(_ key: String, seed: UInt64) -> Double {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        var rng = SplitMix64(seed: seed ^ h)
        return Double(rng.next() >> 11) / Double(1 << 53)
    }
}

/// What a split must never do, checked from the pools themselves: a leak cluster, a ground-truth product id or a
/// reward specification (``RewardKey``) on both the train and the eval side, or shared between `never` and either.
public struct SplitAudit: Sendable, Hashable {
    /// Problems per pool.
    public var problems: [SplitPool: Int]
    /// Distinct clusters per pool.
    public var clusters: [SplitPool: Int]
    /// Train ∩ eval.
    public var sharedClusters: [Int]
    public var sharedProducts: [String]
    public var sharedRewardKeys: Int
    /// Never ∩ (train ∪ eval).
    public var neverLeakClusters: [Int]
    public var neverLeakProducts: [String]

    /// No cluster, product or reward specification crosses a pool boundary.
    public var isClean: Bool {
        sharedClusters.isEmpty && sharedProducts.isEmpty && sharedRewardKeys == 0 && neverLeakClusters.isEmpty
            && neverLeakProducts.isEmpty
    }

    init(entries: [SplitProblem], pools: [String: SplitPool], clusters clusterOf: [String: Int]) {
        var problems: [SplitPool: Int] = [:]
        var clusterSets: [SplitPool: Set<Int>] = [:]
        var productSets: [SplitPool: Set<String>] = [:]
        var keySets: [SplitPool: Set<String>] = [:]
        for entry in entries {
            let pool = pools[entry.id]!
            problems[pool, default: 0] += 1
            clusterSets[pool, default: []].insert(clusterOf[entry.id]!)
            productSets[pool, default: []].formUnion(RLRows.groundTruthIDs(entry.record))
            if let problem = try? Problem(json: entry.record.setting("problem_id", to: .string(entry.id))),
                let key = RewardKey.of(problem)
            {
                keySets[pool, default: []].insert(key)
            }
        }
        func set<T: Hashable>(_ sets: [SplitPool: Set<T>], _ pool: SplitPool) -> Set<T> { sets[pool] ?? [] }
        self.problems = problems
        clusters = clusterSets.mapValues(\.count)
        sharedClusters = set(clusterSets, .train).intersection(set(clusterSets, .eval)).sorted()
        sharedProducts = set(productSets, .train).intersection(set(productSets, .eval)).sorted()
        sharedRewardKeys = set(keySets, .train).intersection(set(keySets, .eval)).count
        let publicClusters = set(clusterSets, .train).union(set(clusterSets, .eval))
        neverLeakClusters = set(clusterSets, .never).intersection(publicClusters).sorted()
        neverLeakProducts = set(productSets, .never).intersection(set(productSets, .train).union(set(productSets, .eval))).sorted()
    }

    public var json: JSONValue {
        func counts(_ d: [SplitPool: Int]) -> JSONValue {
            .object(SplitPool.allCases.map { ($0.rawValue, .int(Int64(d[$0] ?? 0))) })
        }
        return .object([
            ("clean", .bool(isClean)), ("problems", counts(problems)), ("clusters", counts(clusters)),
            ("train_eval_shared_clusters", .int(Int64(sharedClusters.count))),
            ("train_eval_shared_product_ids", .array(sharedProducts.map(JSONValue.string))),
            ("train_eval_shared_reward_specs", .int(Int64(sharedRewardKeys))),
            ("never_shared_clusters", .int(Int64(neverLeakClusters.count))),
            ("never_shared_product_ids", .array(neverLeakProducts.map(JSONValue.string))),
        ])
    }

    /// Lines for the terminal.
    public var text: String {
        func n(_ d: [SplitPool: Int], _ p: SplitPool) -> Int { d[p] ?? 0 }
        var lines = [
            "split audit: \(isClean ? "clean" : "LEAK")",
            "  problems  train \(n(problems, .train))  eval \(n(problems, .eval))  never \(n(problems, .never))",
            "  clusters  train \(n(clusters, .train))  eval \(n(clusters, .eval))  never \(n(clusters, .never))",
            "  train∩eval: clusters \(sharedClusters.count), product ids \(sharedProducts.count), reward specs \(sharedRewardKeys)",
            "  never∩(train∪eval): clusters \(neverLeakClusters.count), product ids \(neverLeakProducts.count)",
        ]
        if !sharedProducts.isEmpty { lines.append("  shared product ids: \(sharedProducts.prefix(10).joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }
}
