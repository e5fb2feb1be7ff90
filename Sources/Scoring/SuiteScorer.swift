import ArenaModel

/// Envelopes matched to the problems of a suite: by `problem_id`, else by query string (ShoppingBench
/// joins rollouts to problems by query).
public struct EnvelopeJoin: Sendable {
    /// Problem id → its envelope (the last one when several name the same problem).
    public var matched: [String: Envelope]
    /// Envelopes that match no problem (ORO leaves their score `None`).
    public var unmatched: [Envelope]
    /// Problem ids that had more than one envelope; the last line won.
    public var duplicates: [String]

    public init(suite: [Problem], envelopes: [Envelope]) {
        var ids = Set<String>()
        var byQuery: [String: String] = [:]
        for p in suite {
            ids.insert(p.id)
            byQuery[p.query] = p.id
        }
        var matched: [String: Envelope] = [:]
        var unmatched: [Envelope] = []
        var duplicates: [String] = []
        for e in envelopes {
            let id: String?
            if ids.contains(e.problemID) {
                id = e.problemID
            } else if let q = e.query, let byQ = byQuery[q] {
                id = byQ
            } else {
                id = nil
            }
            guard let id else {
                unmatched.append(e)
                continue
            }
            if matched[id] != nil && !duplicates.contains(id) { duplicates.append(id) }
            matched[id] = e
        }
        self.matched = matched
        self.unmatched = unmatched
        self.duplicates = duplicates
    }
}

/// The scores of a whole suite run.
public struct SuiteScore: Sendable {
    public var profile: ScoringProfile
    public var denominator: ScoringProfile.Denominator
    /// One per suite problem, in suite order.
    public var problems: [ProblemScore]
    public var aggregate: SuiteAggregate
    public var unmatchedEnvelopeIDs: [String]
    public var duplicateEnvelopeIDs: [String]

    /// The report written by `shoparena score`: profile, aggregate (overall, per category, sample-weighted
    /// success rate), per-problem components, and envelopes that matched nothing.
    public var json: JSONValue {
        .object([
            ("profile", .string(profile.name)), ("denominator", .string(denominator.rawValue)),
            ("aggregate", aggregate.json),
            ("problems", .array(problems.map(\.json))),
            ("unmatched_envelopes", .array(unmatchedEnvelopeIDs.map(JSONValue.string))),
            ("duplicate_envelopes", .array(duplicateEnvelopeIDs.map(JSONValue.string))),
        ])
    }
}

/// Scores every problem of a suite against a run's envelopes.
public struct SuiteScorer: Sendable {
    public var scorer: OutcomeScorer
    /// How many problems are scored at once.
    public var parallelism: Int

    public init(scorer: OutcomeScorer, parallelism: Int = 4) {
        self.scorer = scorer
        self.parallelism = max(1, parallelism)
    }

    /// Scores `suite` with `envelopes`; `denominator` defaults to the profile's.
    public func score(
        suite: [Problem], envelopes: [Envelope], denominator: ScoringProfile.Denominator? = nil
    ) async -> SuiteScore {
        let join = EnvelopeJoin(suite: suite, envelopes: envelopes)
        let scores = await scoreAll(suite.map { ($0, join.matched[$0.id]) })
        let d = denominator ?? scorer.profile.denominator
        return SuiteScore(
            profile: scorer.profile, denominator: d, problems: scores,
            aggregate: SuiteAggregate(scores: scores, suite: suite, denominator: d),
            unmatchedEnvelopeIDs: join.unmatched.map(\.problemID), duplicateEnvelopeIDs: join.duplicates)
    }

    /// Scores (problem, envelope) pairs, `parallelism` contiguous chunks at a time; results in input order.
    public func scoreAll(_ work: [(Problem, Envelope?)]) async -> [ProblemScore] {
        if work.isEmpty { return [] }
        let chunks = min(parallelism, work.count)
        let size = (work.count + chunks - 1) / chunks
        let scorer = self.scorer
        return await withTaskGroup(of: (Int, [ProblemScore]).self) { group in
            for c in 0..<chunks {
                let range = (c * size)..<min(work.count, (c + 1) * size)
                if range.isEmpty { continue }
                let slice = Array(work[range])
                group.addTask {
                    var out: [ProblemScore] = []
                    out.reserveCapacity(slice.count)
                    for (p, e) in slice {
                        if let s = scorer.scoreInstantly(p, envelope: e) {
                            out.append(s)
                        } else {
                            out.append(await scorer.score(p, envelope: e))
                        }
                    }
                    return (c, out)
                }
            }
            var parts = [[ProblemScore]](repeating: [], count: chunks)
            for await (c, out) in group { parts[c] = out }
            return parts.flatMap { $0 }
        }
    }
}
