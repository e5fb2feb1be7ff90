import ArenaModel

/// Scores one problem's rollout by the rules of the references (`reference/oro-validator.md` §3,
/// `reference/shoppingbench.md` §4), under a ``ScoringProfile``.
///
/// - The recommendation is the last `recommend_product` call of the dialogue.
/// - Product and web tasks judge the first id; shop and voucher tasks pair id *i* with reward item *i*
///   (missing ids score 0, extra ids are ignored).
/// - Per item: a GT id scores 1; otherwise rule = hits / constraints over each title (similarity ≥
///   the profile's threshold), each price constraint (inclusive, open ends), each required service, and
///   each SKU and attribute pair (best over the product's variants plus "no variant").
/// - `shop`: every item hit and one shop id. `budget`: see ``BudgetRule``.
/// - Success: product and web rule ≥ 1; shop also shop ≥ 1; voucher also budget ≥ 1.
///
/// Never throws and never traps on odd input: malformed dialogues, unknown products and backend
/// failures become 0s with a ``ScoreIssue``.
public struct OutcomeScorer: Sendable {
    public let profile: ScoringProfile
    public let products: any ProductLookup
    public let similarity: any TitleSimilarity
    private let instant: (any InstantTitleSimilarity)?

    public init(profile: ScoringProfile, products: any ProductLookup, similarity: any TitleSimilarity) {
        self.profile = profile
        self.products = products
        self.similarity = similarity
        self.instant = similarity as? any InstantTitleSimilarity
    }

    /// Scores `problem` against its envelope (nil: no rollout).
    public func score(_ problem: Problem, envelope: Envelope?) async -> ProblemScore {
        let plan = plan(problem, envelope: envelope)
        if plan.comparisons.isEmpty { return finish(plan, similarities: []) }
        if let instant { return finish(plan, similarities: plan.comparisons.map(instant.similarity)) }
        do {
            let sims = try await similarity.similarities(plan.comparisons)
            guard sims.count == plan.comparisons.count else {
                throw EmbeddingSimilarityError.vectorCount(expected: plan.comparisons.count, got: sims.count)
            }
            return finish(plan, similarities: sims)
        } catch {
            return finish(plan, similarities: nil, failure: error)
        }
    }

    /// Scores without suspending when the similarity backend is an ``InstantTitleSimilarity``; nil otherwise.
    public func scoreInstantly(_ problem: Problem, envelope: Envelope?) -> ProblemScore? {
        guard let instant else { return nil }
        let plan = plan(problem, envelope: envelope)
        return finish(plan, similarities: plan.comparisons.map(instant.similarity))
    }

    // MARK: - Plan: everything but the titles

    struct PlannedSlot {
        var slot: SlotScore
        var reward: RewardItem
        var product: Product?
        /// Range of this slot's comparisons in ``Plan/comparisons``.
        var comparisons: Range<Int>
    }

    struct Plan {
        var score: ProblemScore
        var problem: Problem
        var slots: [PlannedSlot] = []
        var comparisons: [TitleComparison] = []
    }

    func plan(_ problem: Problem, envelope: Envelope?) -> Plan {
        guard let envelope else {
            var s = ProblemScore(problemID: problem.id, category: problem.category, outcome: .notRolledOut, envelopeStatus: nil)
            s.issues.append(.noRollout())
            return Plan(score: s, problem: problem)
        }
        if let status = envelope.status, status != .success {
            var s = ProblemScore(
                problemID: problem.id, category: problem.category, outcome: .runNotSuccessful, envelopeStatus: status)
            s.issues.append(.notSuccessful(status, envelope.error))
            return Plan(score: s, problem: problem)
        }
        var s = ProblemScore(problemID: problem.id, category: problem.category, outcome: .scored, envelopeStatus: envelope.status)
        let analysis = DialogueAnalysis(dialogue: envelope.dialogue, profile: profile)
        s.components.format = analysis.format
        s.components.length = analysis.length
        s.stepFormats = analysis.stepFormats
        s.issues = analysis.issues
        if let malformation = analysis.malformation {
            // ORO's scorer raises here and leaves the problem unscored; ShopArena fails it with the reason.
            s.malformation = malformation
            s.issues.append(malformation)
            s.components = ScoreComponents()
            return Plan(score: s, problem: problem)
        }
        let ids = analysis.recommendation?.ids ?? []
        s.recommended = ids
        if ids.isEmpty && !analysis.issues.contains(where: { $0.code == "product_ids_not_string" }) {
            s.issues.append(.nothingRecommended())
        }
        var plan = Plan(score: s, problem: problem)

        // Which reward items are judged, against which ids.
        let judged: [(RewardItem, String?)]
        switch problem.category {
        case .product, .web:
            judged = problem.rewards.prefix(1).map { ($0, ids.first) }
        case .shop, .voucher:
            judged = problem.rewards.enumerated().map { (i, r) in (r, i < ids.count ? ids[i] : nil) }
        }
        for (i, (reward, id)) in judged.enumerated() {
            var slot = SlotScore(index: i, rewardProductID: reward.productID, recommendedID: id)
            let start = plan.comparisons.count
            var product: Product?
            if let id {
                if problem.category == .web && id.contains(reward.productID) && !reward.productID.isEmpty {
                    // ShoppingBench's web GT test is a substring test; it needs no lookup.
                    slot.isGroundTruth = true
                    slot.found = true
                    product = products.product(id: id)
                } else if let p = products.product(id: id), PythonText.equal(p.productID, id) {
                    product = p
                    slot.found = true
                    slot.isGroundTruth = PythonText.equal(p.productID, reward.productID)
                } else {
                    plan.score.issues.append(.unknownProduct(id, slot: i))
                }
            } else if !ids.isEmpty {
                plan.score.issues.append(.missingSlot(i, expected: judged.count))
            }
            if let product, !slot.isGroundTruth {
                for title in reward.titles {
                    plan.comparisons.append(
                        TitleComparison(
                            candidate: product.title, reference: title, referenceEmbedding: problem.titleEmbeddings[title]))
                }
            }
            plan.slots.append(
                PlannedSlot(slot: slot, reward: reward, product: product, comparisons: start..<plan.comparisons.count))
        }
        return plan
    }

    // MARK: - Finish: titles in, score out

    func finish(_ plan: Plan, similarities: [Double?]?, failure: (any Error)? = nil) -> ProblemScore {
        var s = plan.score
        guard s.outcome == .scored, s.malformation == nil else { return s }
        if let failure { s.issues.append(.similarityFailed(failure)) }
        let problem = plan.problem
        let web = problem.category == .web
        let threshold = profile.titleThreshold(for: similarity.scale, web: web)
        var unjudged = 0
        var slots: [SlotScore] = []
        for planned in plan.slots {
            var slot = planned.slot
            let sims: [Double?] =
                planned.comparisons.isEmpty
                ? [] : planned.comparisons.map { similarities?[$0] ?? nil }
            if web {
                scoreWebSlot(
                    &slot, planned: planned, knowledgeAttribute: problem.knowledgeAttribute, sims: sims,
                    threshold: threshold, failed: similarities == nil, unjudged: &unjudged)
            } else {
                scoreSlot(
                    &slot, planned: planned, sims: sims, threshold: threshold, failed: similarities == nil,
                    unjudged: &unjudged)
            }
            slots.append(slot)
        }
        if unjudged > 0 { s.issues.append(.similarityUnavailable(unjudged)) }
        s.slots = slots

        var c = s.components
        let n = Double(max(plan.slots.count, 1))
        var hitPrices: [Double] = []
        var hitShops = Set<String>()
        for slot in slots where slot.found {
            c.product += 1
            c.gt += slot.isGroundTruth ? 1 : 0
            c.rule += slot.rule
            c.title += slot.title
            c.price += slot.price
            c.service += slot.service
            c.skuAttrs += slot.skuAttrs
            let hit = profile.slotHit == .resolved || slot.rule > 0
            if hit, let price = slot.productPrice {
                hitPrices.append(price)
                if let shop = slot.shopID { hitShops.insert(shop) }
            }
        }
        c.product /= n
        c.gt /= n
        c.rule /= n
        c.title /= n
        c.price /= n
        c.service /= n
        c.skuAttrs /= n
        let allHit = !slots.isEmpty && hitPrices.count == slots.count
        switch problem.category {
        case .product:
            s.success = c.rule >= 1
        case .web:
            c.keyword = slots.first?.keyword ?? 0
            s.success = c.rule >= 1
        case .shop:
            c.shop = allHit && hitShops.count == 1 ? 1 : 0
            s.success = c.rule >= 1 && c.shop! >= 1
        case .voucher:
            if let voucher = problem.voucher {
                c.budget = allHit && BudgetRule.fits(prices: hitPrices, shopCount: hitShops.count, voucher: voucher) ? 1 : 0
            } else {
                c.budget = 0
            }
            s.success = c.rule >= 1 && c.budget! >= 1
        }
        s.components = c
        return s
    }

    /// Product, shop and voucher items.
    private func scoreSlot(
        _ slot: inout SlotScore, planned: PlannedSlot, sims: [Double?], threshold: Double, failed: Bool, unjudged: inout Int
    ) {
        guard let product = planned.product, slot.found else { return }
        slot.productPrice = product.price
        slot.shopID = product.shopID
        let reward = planned.reward
        if slot.isGroundTruth {
            slot.rule = 1
            switch profile.groundTruthFields {
            case .perfect:
                slot.title = 1
                slot.price = 1
                slot.service = 1
                slot.skuAttrs = 1
            case .counted:
                // Every title hits (same product, same title); the other fields are counted as for any product.
                let match = RewardMatch(reward: reward, product: product)
                let titles = reward.titles.count
                slot.hits = titles + match.hits
                slot.constraints = titles + match.total
                slot.missed = match.missed
                setFieldRatios(&slot, titleHits: titles, titleTotal: titles, match: match)
            }
            return
        }
        var titleHits = 0
        var titleTotal = 0
        slot.titleSimilarities = sims
        for (i, sim) in sims.enumerated() {
            if let sim {
                titleTotal += 1
                if sim >= threshold {
                    titleHits += 1
                } else {
                    slot.missed.append("title '\(reward.titles[i])' (similarity \(rounded(sim)) < \(threshold))")
                }
            } else if failed {
                titleTotal += 1
                slot.missed.append("title '\(reward.titles[i])' (similarity backend failed)")
            } else {
                unjudged += 1
            }
        }
        let match = RewardMatch(reward: reward, product: product)
        slot.missed += match.missed
        slot.hits = titleHits + match.hits
        slot.constraints = titleTotal + match.total
        slot.rule = slot.constraints > 0 ? Double(slot.hits) / Double(slot.constraints) : 0
        setFieldRatios(&slot, titleHits: titleHits, titleTotal: titleTotal, match: match)
    }

    /// Each field's hits / constraints; a field the reward does not constrain gets the profile's ratio.
    private func setFieldRatios(_ slot: inout SlotScore, titleHits: Int, titleTotal: Int, match: RewardMatch) {
        func ratio(_ hits: Int, _ total: Int) -> Double {
            total > 0 ? Double(hits) / Double(total) : profile.unconstrainedFieldRatio
        }
        slot.title = ratio(titleHits, titleTotal)
        slot.price = ratio(match.priceHits, match.priceTotal)
        slot.service = ratio(match.serviceHits, match.serviceTotal)
        slot.skuAttrs = ratio(match.pairHits, match.pairTotal)
    }

    /// Web (knowledge) items: kw = the knowledge attribute (lower-cased) is in the title or description;
    /// title = similarity ≥ the web threshold; a GT id gives both; rule = (kw + title) / 2.
    private func scoreWebSlot(
        _ slot: inout SlotScore, planned: PlannedSlot, knowledgeAttribute: String?, sims: [Double?], threshold: Double,
        failed: Bool, unjudged: inout Int
    ) {
        guard slot.found else { return }
        if let product = planned.product {
            slot.productPrice = product.price
            slot.shopID = product.shopID
        }
        slot.constraints = 2
        if slot.isGroundTruth {
            slot.keyword = 1
            slot.title = 1
            slot.rule = 1
            slot.hits = 2
            return
        }
        guard let product = planned.product else { return }
        var keyword = 0.0
        if let attribute = knowledgeAttribute, !attribute.isEmpty {
            let needle = attribute.lowercased()
            if product.title.lowercased().contains(needle) || product.description.lowercased().contains(needle) {
                keyword = 1
            }
        }
        slot.keyword = keyword
        if keyword == 0 { slot.missed.append("knowledge attribute in title or description") }
        slot.titleSimilarities = sims
        var title = 0.0
        if let sim = sims.first ?? nil {
            if sim >= threshold { title = 1 } else { slot.missed.append("title (similarity \(rounded(sim)) < \(threshold))") }
        } else {
            if !failed { unjudged += 1 }
            slot.missed.append("title (not judged)")
        }
        slot.title = title
        slot.hits = Int(keyword + title)
        slot.rule = (keyword + title) / 2
    }

    private func rounded(_ x: Double) -> String {
        JSONWriter.pythonFloat((x * 10_000).rounded() / 10_000)
    }
}
