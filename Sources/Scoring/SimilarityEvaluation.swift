import ArenaModel

/// A ground-truth title and a candidate title, labelled by whether they name the same product.
public struct LabelledTitlePair: Sendable, Hashable {
    /// The reward's ground-truth title.
    public var reference: String
    public var candidate: String
    public var isSameProduct: Bool
    /// Where the pair came from ("anchor", "alternate", "unrelated", "hard_negative", …), for breakdowns.
    public var group: String

    public init(reference: String, candidate: String, isSameProduct: Bool, group: String = "") {
        self.reference = reference
        self.candidate = candidate
        self.isSameProduct = isSameProduct
        self.group = group
    }
}

/// Precision and recall of "similarity ≥ threshold" as a same-product predictor.
public struct PrecisionRecall: Sendable, Hashable {
    public var threshold: Double
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    public var trueNegatives = 0

    public init(threshold: Double) { self.threshold = threshold }

    /// TP / (TP + FP); nil when nothing was predicted similar.
    public var precision: Double? {
        truePositives + falsePositives == 0 ? nil : Double(truePositives) / Double(truePositives + falsePositives)
    }
    /// TP / (TP + FN); nil without positives.
    public var recall: Double? {
        truePositives + falseNegatives == 0 ? nil : Double(truePositives) / Double(truePositives + falseNegatives)
    }
    public var f1: Double? {
        guard let p = precision, let r = recall, p + r > 0 else { return nil }
        return 2 * p * r / (p + r)
    }

    public var json: JSONValue {
        func opt(_ d: Double?) -> JSONValue { d.map(JSONValue.double) ?? .null }
        return .object([
            ("threshold", .double(threshold)), ("precision", opt(precision)), ("recall", opt(recall)), ("f1", opt(f1)),
            ("true_positives", .int(Int64(truePositives))), ("false_positives", .int(Int64(falsePositives))),
            ("false_negatives", .int(Int64(falseNegatives))), ("true_negatives", .int(Int64(trueNegatives))),
        ])
    }
}

/// The result of evaluating a similarity backend on a labelled set.
public struct SimilarityReport: Sendable {
    /// At the threshold under test.
    public var result: PrecisionRecall
    /// Per group: pairs, how many scored ≥ threshold, mean score.
    public var groups: [(name: String, pairs: Int, atOrAbove: Int, meanScore: Double)]
    /// The same set at thresholds 0.05, 0.10, … 0.95.
    public var sweep: [PrecisionRecall]
    /// One score per input pair (nil when the backend could not judge; counted as below threshold).
    public var scores: [Double?]

    public var json: JSONValue {
        .object([
            ("result", result.json),
            (
                "groups",
                .array(
                    groups.map { g in
                        .object([
                            ("group", .string(g.name)), ("pairs", .int(Int64(g.pairs))),
                            ("at_or_above_threshold", .int(Int64(g.atOrAbove))),
                            ("share_at_or_above", .double(g.pairs == 0 ? 0 : Double(g.atOrAbove) / Double(g.pairs))),
                            ("mean_score", .double(g.meanScore)),
                        ])
                    })
            ),
            ("sweep", .array(sweep.map(\.json))),
        ])
    }
}

/// Measures a title similarity on labelled pairs (`shoparena score similarity-eval`).
public enum SimilarityEvaluation {
    public static func evaluate(
        _ pairs: [LabelledTitlePair], similarity: any TitleSimilarity, threshold: Double, batchSize: Int = 256
    ) async throws -> SimilarityReport {
        var scores: [Double?] = []
        scores.reserveCapacity(pairs.count)
        var start = 0
        while start < pairs.count {
            let end = min(pairs.count, start + batchSize)
            let batch = pairs[start..<end].map { TitleComparison(candidate: $0.candidate, reference: $0.reference) }
            scores += try await similarity.similarities(batch)
            start = end
        }
        return report(pairs, scores: scores, threshold: threshold)
    }

    /// The report for given scores (`scores[i]` belongs to `pairs[i]`).
    public static func report(_ pairs: [LabelledTitlePair], scores: [Double?], threshold: Double) -> SimilarityReport {
        func confusion(_ t: Double) -> PrecisionRecall {
            var r = PrecisionRecall(threshold: t)
            for (pair, score) in zip(pairs, scores) {
                let predicted = (score ?? -1) >= t
                switch (pair.isSameProduct, predicted) {
                case (true, true): r.truePositives += 1
                case (true, false): r.falseNegatives += 1
                case (false, true): r.falsePositives += 1
                case (false, false): r.trueNegatives += 1
                }
            }
            return r
        }
        var order: [String] = []
        var stats: [String: (Int, Int, Double)] = [:]
        for (pair, score) in zip(pairs, scores) {
            if stats[pair.group] == nil {
                order.append(pair.group)
                stats[pair.group] = (0, 0, 0)
            }
            stats[pair.group]!.0 += 1
            if (score ?? -1) >= threshold { stats[pair.group]!.1 += 1 }
            stats[pair.group]!.2 += score ?? 0
        }
        let groups = order.map { g in
            let s = stats[g]!
            return (name: g, pairs: s.0, atOrAbove: s.1, meanScore: s.0 == 0 ? 0 : s.2 / Double(s.0))
        }
        let sweep = (1...19).map { confusion(Double($0) / 20) }
        return SimilarityReport(result: confusion(threshold), groups: groups, sweep: sweep, scores: scores)
    }
}

extension SimilarityEvaluation {
    /// The labelled set built from a generated catalog:
    /// - positives: each anchor's and alternate's (and non-violating decoy's) title against its reward's
    ///   ground-truth titles;
    /// - negatives: for each positive, `negativesPerPositive` titles of catalog products outside the
    ///   manifest (background filler), drawn deterministically from `seed`, against the same reward title;
    /// - hard negatives (returned apart, labelled not-same): products that violate a constraint. Their
    ///   titles are near copies of the ground truth by design, so they are reported as "share judged
    ///   similar", not folded into precision.
    public static func labelledPairs(
        products: [Product], manifest: [ManifestEntry], suite: [Problem], seed: UInt64 = 1, negativesPerPositive: Int = 1
    ) -> (pairs: [LabelledTitlePair], hardNegatives: [LabelledTitlePair]) {
        var rewardTitles: [String: [String]] = [:]
        for p in suite {
            for r in p.rewards where rewardTitles[r.productID] == nil { rewardTitles[r.productID] = r.titles }
        }
        var byID: [String: Product] = [:]
        for p in products { byID[p.productID] = p }
        let inManifest = Set(manifest.map(\.productID))
        let fillers = products.filter { !inManifest.contains($0.productID) }.map(\.title)
        var state = seed
        func nextFiller() -> String? {
            guard !fillers.isEmpty else { return nil }
            state = state &+ 0x9E37_79B9_7F4A_7C15
            return fillers[Int(StableID.mix(state) % UInt64(fillers.count))]
        }
        var pairs: [LabelledTitlePair] = []
        var hard: [LabelledTitlePair] = []
        for entry in manifest {
            guard let product = byID[entry.productID], let titles = rewardTitles[entry.rewardProductID] else { continue }
            for title in titles {
                if entry.satisfiesReward {
                    pairs.append(LabelledTitlePair(reference: title, candidate: product.title, isSameProduct: true, group: entry.layer.rawValue))
                    for _ in 0..<negativesPerPositive {
                        guard let other = nextFiller() else { break }
                        pairs.append(LabelledTitlePair(reference: title, candidate: other, isSameProduct: false, group: "unrelated"))
                    }
                } else {
                    hard.append(
                        LabelledTitlePair(
                            reference: title, candidate: product.title, isSameProduct: false,
                            group: "hard_negative/\(entry.violates?.rawValue ?? entry.layer.rawValue)"))
                }
            }
        }
        return (pairs, hard)
    }
}
