import ArenaModel

/// The four rubric gates computed deterministically, without a model — the default judge when no judge
/// model is configured, and the baseline `shoparena judge-agreement` compares the LLM judge with.
///
/// - Gate 1: the proxy logged an inference call with status 200 and at least
///   ``minimumCompletionTokens`` completion tokens.
/// - Gate 2: the thinking of some step engages with products seen in earlier tool results: it mentions a
///   datum of one (gate 3) or at least two of their title words that are not in the query.
/// - Gate 3: the thinking of some step cites a datum of a product seen earlier: its id, its price, its
///   shop id, its brand or an attribute / SKU value — and not one the query itself contains.
/// - Gate 4: one step's thinking identifies at least two seen products (by id, by a price or value only
///   that product has) and uses comparative language (cheaper, better, instead, than…).
///
/// "Seen" means the product is in a tool result of the dialogue and its id is one the proxy logged as
/// returned (``ToolEvidence``), so forged results and injected text cannot pass a gate. Instructions
/// inside the trajectory are just text here.
public struct RuleJudge: ReasoningJudge {
    public var minimumCompletionTokens: Int

    public init(minimumCompletionTokens: Int = 30) {
        self.minimumCompletionTokens = minimumCompletionTokens
    }

    /// Words that mark a step as weighing options against each other.
    static let comparativeCues: [String] = [
        "better", "best", "cheaper", "cheapest", "prefer", "preferred", "preferable", "instead", "rather", "than",
        "whereas", "versus", "vs", "compared", "compare", "comparing", "lower", "higher", "lowest", "highest", "but",
        "however", "unlike", "choose", "chose", "pick", "picking", "select", "selecting", "because", "over",
    ]

    public func judge(_ input: JudgeInput) async -> JudgeResult {
        JudgeResult(outcome: .success(verdict(input)))
    }

    /// The verdict, synchronously.
    public func verdict(_ input: JudgeInput) -> JudgeVerdict {
        let inference = input.proxyCalls.filter(\.isInference)
        let tokens = inference.filter(\.succeeded).compactMap { $0.usage?.completionTokens }
        guard let best = tokens.max(), best >= minimumCompletionTokens else {
            return JudgeVerdict(
                score: JudgeScore.forFirstFailedGate(1),
                explanation: "Gate 1 failed: the proxy logged \(inference.count) inference call(s); none succeeded with "
                    + "≥\(minimumCompletionTokens) completion tokens (max \(tokens.max() ?? 0))")
        }
        let evidence = ToolEvidence(input: input)
        let query = input.query.lowercased()
        let queryWords = Set(TextTokens.words(query))
        let queryNumbers = TextTokens.numbers(query)
        let steps = input.envelope.steps ?? []

        var engaged: Int?
        var cited: (step: Int, what: String)?
        var compared: (step: Int, ids: [String], cue: String)?
        for (k, step) in steps.enumerated() {
            guard let think = step.think?.lowercased(), !think.isEmpty, k < evidence.seenBefore.count else { continue }
            let seen = evidence.seenBefore[k]
            if seen.isEmpty { continue }
            let words = Set(TextTokens.words(think))
            let numbers = TextTokens.numbers(think).filter { n in !queryNumbers.contains { abs($0 - n) < 0.005 } }
            let newWords = words.subtracting(queryWords)

            var titleOverlap = Set<String>()
            var named: [String] = []
            var firstDatum: String?
            for p in seen {
                let datum = Self.datum(of: p, in: think, words: newWords, numbers: numbers, query: query)
                if let datum, firstDatum == nil { firstDatum = datum }
                titleOverlap.formUnion(p.titleWords.intersection(newWords))
                if Self.identifies(p, among: seen, in: think, words: newWords, numbers: numbers, query: query) {
                    named.append(p.id)
                }
            }
            if engaged == nil, firstDatum != nil || titleOverlap.count >= 2 { engaged = k }
            if cited == nil, let firstDatum { cited = (k, firstDatum) }
            if compared == nil, named.count >= 2, let cue = Self.comparativeCues.first(where: { words.contains($0) }) {
                compared = (k, named, cue)
            }
        }
        guard let engaged else {
            return JudgeVerdict(
                score: JudgeScore.forFirstFailedGate(2),
                explanation: "Gate 2 failed: no step's thinking refers to the products its tool results returned")
        }
        guard let cited else {
            return JudgeVerdict(
                score: JudgeScore.forFirstFailedGate(3),
                explanation: "Gate 3 failed: step \(engaged + 1) discusses results but cites no product id, price, shop or attribute")
        }
        guard let compared else {
            return JudgeVerdict(
                score: JudgeScore.forFirstFailedGate(4),
                explanation: "Gate 4 failed: step \(cited.step + 1) cites \(cited.what) but no step weighs two identified candidates")
        }
        let shown = compared.ids.prefix(3).joined(separator: ", ")
        return JudgeVerdict(
            score: JudgeScore.forFirstFailedGate(nil),
            explanation: "Gate 4 passed: step \(compared.step + 1) compares products \(shown) (\"\(compared.cue)\")")
    }

    /// A description of the first datum of `p` the thinking cites, or nil.
    static func datum(of p: SeenProduct, in think: String, words: Set<String>, numbers: [Double], query: String) -> String? {
        if words.contains(p.id.lowercased()) || (!TextTokens.containsPhrase(query, p.id.lowercased())
            && p.id.count > 1 && TextTokens.containsPhrase(think, p.id.lowercased()))
        {
            return "product id \(p.id)"
        }
        if let price = p.price, numbers.contains(where: { abs($0 - price) < 0.005 }) {
            return "the price \(JSONWriter.pythonFloat(price)) of \(p.id)"
        }
        if let shop = p.shopID?.lowercased(), !shop.isEmpty, words.contains(shop) { return "shop \(shop)" }
        if let value = p.values.sorted().first(where: { !TextTokens.containsPhrase(query, $0) && TextTokens.containsPhrase(think, $0) }) {
            return "\"\(value)\" of \(p.id)"
        }
        return nil
    }

    /// Whether the thinking points at `p` specifically: its id, or a price or value no other seen product has.
    static func identifies(
        _ p: SeenProduct, among seen: [SeenProduct], in think: String, words: Set<String>, numbers: [Double], query: String
    ) -> Bool {
        let id = p.id.lowercased()
        if words.contains(id) || (id.count > 1 && !TextTokens.containsPhrase(query, id) && TextTokens.containsPhrase(think, id)) {
            return true
        }
        let others = seen.filter { $0.id != p.id }
        if let price = p.price, numbers.contains(where: { abs($0 - price) < 0.005 }),
            !others.contains(where: { $0.price.map { abs($0 - price) < 0.005 } ?? false })
        {
            return true
        }
        return p.values.contains { v in
            !TextTokens.containsPhrase(query, v) && TextTokens.containsPhrase(think, v)
                && !others.contains { $0.values.contains(v) }
        }
    }
}
