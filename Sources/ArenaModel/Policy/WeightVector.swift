/// The subnet's hotkey→uid map as a validator sees it in the metagraph.
public struct UIDRegistry: Sendable, Hashable {
    public var uids: [String: Int]
    /// n: the vector covers uids 0..<n. Defaults to the largest uid + 1 (at least 1, for the burn uid 0).
    public var neuronCount: Int

    public init(uids: [String: Int], neuronCount: Int? = nil) throws(PolicyError) {
        for (hotkey, uid) in uids where !(0...Int(UInt16.max)).contains(uid) {
            throw .invalidUID(hotkey: hotkey, uid: uid)
        }
        let needed = (uids.values.max() ?? 0) + 1
        if let neuronCount, neuronCount < needed {
            let (hotkey, uid) = uids.first { $0.value >= neuronCount }!
            throw .invalidUID(hotkey: hotkey, uid: uid)
        }
        self.uids = uids
        self.neuronCount = max(neuronCount ?? needed, 1)
    }

    /// Reads `{"<hotkey>": <uid>, …}`.
    public init(json: JSONValue, neuronCount: Int? = nil) throws(PolicyError) {
        guard let pairs = json.objectValue else {
            throw .malformedResponse("the uid map must be a JSON object of hotkey → uid, got \(json.kindName)")
        }
        var uids: [String: Int] = [:]
        for (hotkey, value) in pairs {
            guard let uid = value.intValue else {
                throw .malformedResponse("uid of \(hotkey) must be an integer, got \(value.kindName)")
            }
            uids[hotkey] = Int(uid)
        }
        try self.init(uids: uids, neuronCount: neuronCount)
    }

    public func uid(of hotkey: String) -> Int? { uids[hotkey] }
}

/// A u16 weight per uid (index = uid), as a validator submits it with `set_weights(uids=0..n−1, …)`.
public struct WeightVector: Sendable, Hashable {
    public var weights: [UInt16]

    public init(weights: [UInt16]) {
        self.weights = weights
    }

    /// What bittensor's `convert_weights_and_uids_for_emit` puts on chain for raw non-negative weights:
    /// scaled so the largest is 65535, each rounded half-to-even (Python's `round`). All-zero input stays
    /// all zero. Inputs whose largest weight is already 65535 come out unchanged.
    public static func emitting(_ raw: [Double]) -> WeightVector {
        let largest = raw.max() ?? 0
        guard largest > 0 else { return WeightVector(weights: raw.map { _ in 0 }) }
        return WeightVector(weights: raw.map { UInt16(($0 / largest * 65_535).rounded(.toNearestOrEven)) })
    }

    /// The weight of `uid` (0 beyond the vector).
    public subscript(uid: Int) -> UInt16 { uid < weights.count ? weights[uid] : 0 }

    /// `{"uids": [0, 1, …], "weights": [w0, w1, …]}`.
    public var jsonValue: JSONValue {
        [
            "uids": .array(weights.indices.map { .int(Int64($0)) }),
            "weights": .array(weights.map { .int(Int64($0)) }),
        ]
    }
}

/// `top` mode (the validator before 2026-05-04): the top miner's uid gets `emission_weight`, uid 0 the
/// burn 1 − emission_weight, emitted as u16 (so the larger of the two is 65535). `emission_weight`
/// missing means 1.0. No top agent, or a top hotkey missing from the registry (deregistered): everything
/// to uid 0. A top miner at uid 0 gets both parts.
public enum TopAgentWeights {
    public static func vector(topHotkey: String?, emissionWeight: Double?, registry: UIDRegistry) -> WeightVector {
        var raw = [Double](repeating: 0, count: registry.neuronCount)
        let w = min(1, max(0, emissionWeight ?? 1))
        if let topHotkey, let uid = registry.uid(of: topHotkey) {
            raw[uid] += w
            raw[0] += 1 - w
        } else {
            raw[0] = 1
        }
        return .emitting(raw)
    }
}

/// A finisher of the last completed race: a qualifier with a race score and a miner hotkey.
public struct WeightFinisher: Sendable, Hashable {
    public var hotkey: String
    public var raceScore: Double
    public var agentVersionID: String

    public init(hotkey: String, raceScore: Double, agentVersionID: String) {
        self.hotkey = hotkey
        self.raceScore = raceScore
        self.agentVersionID = agentVersionID
    }
}

/// `race-top-half` mode (the validator from 2026-05-04), as oro-validator.md §7 describes it:
///
/// 1. Rank finishers by race_score descending, then agent_version_id ascending. N finishers, K = ⌊N/2⌋.
///    K = 0 (N = 1): uid 0 gets 65535, everything else 0.
/// 2. Rank 1 is the top; ranks 2…K get the integer tail weight K + 1 − rank (K − 1 … 1).
/// 3. Tail entries whose hotkey is not in the registry are dropped (the others keep their weights) and
///    the tail sum is recomputed from what is left.
/// 4. With t_burn ≥ t_top (default 0.75 ≥ 0.25): burn = 65535, total = (65535 + tail) / t_burn,
///    top = round(t_top · total). Otherwise top = 65535, burn = round(t_burn · 65535 / t_top) − tail
///    (an error if negative). Rounding is half-to-even, as Python's `round`.
/// 5. Burn goes to uid 0 (added to the top's weight if the top is uid 0). A top hotkey missing from the
///    registry leaves only the burn: uid 0 gets everything.
/// 6. The vector is emitted as bittensor does (`WeightVector.emitting`): unchanged when the largest
///    weight is 65535, rescaled when a uid collects more (top at uid 0, or two finishers of one hotkey,
///    whose weights add up).
///
/// Example N = 30: K = 15, tail 105, total 87 520, top 21 880 (exactly 25 %), burn 65 535, ranks 2…15 get
/// 14…1.
public struct RaceTopHalfWeights: Sendable, Hashable {
    public var topShare: Double
    public var burnShare: Double

    public static let `default` = RaceTopHalfWeights()

    public init(topShare: Double = 0.25, burnShare: Double = 0.75) {
        self.topShare = topShare
        self.burnShare = burnShare
    }

    /// The computation behind a vector, for logs and tests.
    public struct Result: Sendable, Hashable {
        public var vector: WeightVector
        public var k: Int
        /// The top's u16 weight before emission (0 when K = 0 or the top hotkey is missing).
        public var top: Int
        public var burn: Int
        /// The sum of the kept tail weights.
        public var tail: Int
        /// Finishers in rank order.
        public var ranked: [WeightFinisher]
        /// Hotkeys left out because the registry has no uid for them.
        public var droppedHotkeys: [String]
    }

    /// The vector for `finishers`, or nil when there are none (the validator skips the tick).
    public func compute(finishers: [WeightFinisher], registry: UIDRegistry) throws(PolicyError) -> Result? {
        guard topShare > 0, burnShare > 0, abs(topShare + burnShare - 1) < 1e-9 else {
            throw .invalidShares(top: topShare, burn: burnShare)
        }
        guard !finishers.isEmpty else { return nil }
        let ranked = finishers.sorted {
            $0.raceScore != $1.raceScore ? $0.raceScore > $1.raceScore : idPrecedes($0.agentVersionID, $1.agentVersionID)
        }
        let k = ranked.count / 2
        var raw = [Double](repeating: 0, count: registry.neuronCount)
        guard k > 0 else {
            raw[0] = 65_535
            return Result(vector: .emitting(raw), k: 0, top: 0, burn: 65_535, tail: 0, ranked: ranked, droppedHotkeys: [])
        }

        var dropped: [String] = []
        var tailEntries: [(uid: Int, weight: Int)] = []
        for index in 1..<k {  // rank = index + 1, weight = K + 1 − rank
            let f = ranked[index]
            if let uid = registry.uid(of: f.hotkey) {
                tailEntries.append((uid, k - index))
            } else {
                dropped.append(f.hotkey)
            }
        }
        let tail = tailEntries.reduce(0) { $0 + $1.weight }

        let top: Int
        let burn: Int
        if burnShare >= topShare {
            burn = 65_535
            let total = Double(65_535 + tail) / burnShare
            top = Int((topShare * total).rounded(.toNearestOrEven))
        } else {
            top = 65_535
            burn = Int((burnShare * 65_535 / topShare).rounded(.toNearestOrEven)) - tail
            if burn < 0 { throw .negativeBurn(burn: burn, tail: tail) }
        }

        guard let topUID = registry.uid(of: ranked[0].hotkey) else {
            raw[0] = 65_535  // only the burn: uid 0 gets everything
            return Result(
                vector: .emitting(raw), k: k, top: 0, burn: burn, tail: tail, ranked: ranked,
                droppedHotkeys: [ranked[0].hotkey] + dropped)
        }
        raw[0] += Double(burn)
        raw[topUID] += Double(top)
        for entry in tailEntries { raw[entry.uid] += Double(entry.weight) }
        return Result(
            vector: .emitting(raw), k: k, top: top, burn: burn, tail: tail, ranked: ranked, droppedHotkeys: dropped)
    }
}
