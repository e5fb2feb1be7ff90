import ArenaModel
import Testing

@testable import Scoring

/// The worked examples of `reference/oro-validator.md` §3 and `reference/shoppingbench.md` §3–§5.
@Suite("Worked examples of the references")
struct GoldenExampleTests {
    // ORO (1): non-GT product, similarity 0.74 ≥ 0.7, price 299 in [180, 505], brand hosport → 3/3.
    @Test func oroExample1ProductNonGTSucceeds() async throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let x = Fixture.product("X", title: "Hosport motorcycle waist bag", price: 299, attributes: [("brand", ["hosport"])])
        let scorer = Fixture.scorer([x], similarity: TableSimilarity(scores: ["Hosport motorcycle waist bag": 0.74]))
        let s = await scorer.score(problem, envelope: Fixture.recommending(problem, "X"))
        #expect(s.success)
        #expect(s.components.gt == 0)
        #expect(s.components.rule == 1)
        #expect(s.components.product == 1)
        #expect(s.components.title == 1 && s.components.price == 1 && s.components.skuAttrs == 1)
        #expect(s.components.service == 0)  // unconstrained field: 0 under ORO
        #expect(s.slots[0].hits == 3 && s.slots[0].constraints == 3)
    }

    // ORO (1'): the same at price 520 → 2/3 → FAIL.
    @Test func oroExample1PriceOutOfRangeFails() async throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let x = Fixture.product("X", title: "Hosport motorcycle waist bag", price: 520, attributes: [("brand", ["hosport"])])
        let scorer = Fixture.scorer([x], similarity: TableSimilarity(scores: ["Hosport motorcycle waist bag": 0.74]))
        let s = await scorer.score(problem, envelope: Fixture.recommending(problem, "X"))
        #expect(!s.success)
        #expect(s.components.rule == 2.0 / 3.0)
        #expect(s.components.price == 0)
        #expect(s.slots[0].missed == ["price between [180.0, 505.0]"])
    }

    // ORO (2): shop, A = GT, B meets 3 of 4 → rule (1 + 0.75)/2 = 0.875, gt 0.5, shop 1 → FAIL.
    @Test func oroExample2ShopPartialMatchFails() async throws {
        let problem = try Fixture.problem(
            """
            {"query": "two items from one shop", "category": "Shop",
             "reward": [{"product_id": "A", "title": ["Item A"]},
                        {"product_id": "GT-B", "title": ["Item B"], "service": ["COD"],
                         "sku_options": [{"color_family": "red"}], "price": [{"greater than": [10, null]}]}]}
            """)
        let a = Fixture.product("A", shop: "S", title: "Item A", price: 50)
        // Meets title, price, service; misses the SKU value.
        let b = Fixture.product("B", shop: "S", title: "Item B", price: 20, service: ["COD"], sku: [[("color_family", "blue")]])
        let s = await Fixture.scorer([a, b]).score(problem, envelope: Fixture.recommending(problem, "A,B"))
        #expect(s.components.rule == 0.875)
        #expect(s.components.gt == 0.5)
        #expect(s.components.shop == 1)
        #expect(!s.success)
    }

    // ORO (3a): platform 34 % capped at 28, threshold 63, budget 82; one product at 102 → max(67.32, 74) = 74 ≤ 82.
    @Test func oroExample3PercentageVoucherCapBinds() async throws {
        let problem = try Fixture.problem(
            """
            {"query": "processed cheese, healthier", "category": "Voucher",
             "reward": [{"product_id": "1586232491", "title": ["MAGNOLIA Cheezee"], "attributes": [{"dietary_needs": ["healthier choice"]}]}],
             "voucher": {"voucher_type": "platform", "threshold": 63, "discount_type": "percentage", "face_value": null,
                         "discount": 0.34, "cap": 28, "price_after_voucher": 74.0, "budget": 82}}
            """)
        let p = Fixture.product("C", title: "MAGNOLIA Cheezee", price: 102, attributes: [("dietary_needs", ["healthier choice"])])
        let s = await Fixture.scorer([p]).score(problem, envelope: Fixture.recommending(problem, "C"))
        #expect(problem.voucher!.discounted(102) == 74)
        #expect(s.components.budget == 1)
        #expect(s.success)
    }

    // ORO (3b): fixed 49 off at threshold 121, budget 235; Σ = 266 → 217 ≤ 235.
    @Test func oroExample3FixedVoucher() async throws {
        let problem = try Fixture.problem(
            """
            {"query": "two things under a fixed voucher", "category": "Voucher",
             "reward": [{"product_id": "P1", "title": ["One"]}, {"product_id": "P2", "title": ["Two"]}],
             "voucher": {"voucher_type": "platform", "threshold": 121, "discount_type": "fixed", "face_value": 49,
                         "discount": null, "cap": null, "price_after_voucher": 217.0, "budget": 235}}
            """)
        let p1 = Fixture.product("P1", shop: "S1", title: "One", price: 166)
        let p2 = Fixture.product("P2", shop: "S2", title: "Two", price: 100)
        let s = await Fixture.scorer([p1, p2]).score(problem, envelope: Fixture.recommending(problem, "P1,P2"))
        #expect(s.components.budget == 1)
        #expect(s.components.gt == 1)
        #expect(s.success)
    }

    // ORO (4): 18/30 with mean judge 0.62 → coefficient 0.8425 → 0.5055; 0.5 → 0.7375; 0.9 → 1.0.
    @Test func oroExample4FinalScore() {
        #expect(ReasoningCoefficient.coefficient(meanJudgeScore: 0.62) == 0.8425)
        #expect(ReasoningCoefficient.finalScore(successRate: 18.0 / 30.0, meanJudgeScore: 0.62) == 0.5055)
        #expect(ReasoningCoefficient.coefficient(meanJudgeScore: 0.5) == 0.7375)
        #expect(ReasoningCoefficient.coefficient(meanJudgeScore: 0.9) == 1.0)
        #expect(ReasoningCoefficient.finalScore(successRate: 0.6, meanJudgeScore: 0.9) == 0.6)
    }

    // ShoppingBench §3.4: seat cushion, platform 35 % cap 172, threshold 257, budget 263, GT price 399
    // → max(259.35, 227) = 259.35 ≤ 263.
    @Test func shoppingBenchSeatCushionVoucher() {
        let v = Voucher(
            scope: .platform, threshold: 257, discount: .percentage(rate: 0.35, cap: 172), priceAfterVoucher: 259.35,
            budget: 263)
        #expect(BudgetRule.fits(prices: [399], shopCount: 1, voucher: v))
        #expect(abs(v.groundTruthTotal - 399) < 1e-9)
    }

    // ShoppingBench §3.4: crayons, platform fixed 34 at threshold 170, budget 425, pav 419 → GT total 453.
    @Test func shoppingBenchCrayonsVoucher() {
        let v = Voucher(scope: .platform, threshold: 170, discount: .fixed(faceValue: 34), priceAfterVoucher: 419, budget: 425)
        #expect(v.groundTruthTotal == 453)
        #expect(BudgetRule.fits(prices: [453], shopCount: 1, voucher: v))
        #expect(!BudgetRule.fits(prices: [460], shopCount: 1, voucher: v))
    }

    // ShoppingBench §4.2: a GT id scores 1 with every field sub-score 1; a field the reward does not
    // constrain counts as 1 under the ShoppingBench profile.
    @Test func shoppingBenchFieldsOfGTAndUnconstrained() async throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let gt = Fixture.product("5035687794", title: "anything", price: 1)
        let x = Fixture.product("X", title: "Hosport bag", price: 200, attributes: [("brand", ["hosport"])])
        let scorer = Fixture.scorer([gt, x], profile: .shoppingBench, similarity: TableSimilarity(scores: ["Hosport bag": 0.55]))
        let g = await scorer.score(problem, envelope: Fixture.recommending(problem, "5035687794"))
        #expect(g.components.rule == 1 && g.components.gt == 1)
        #expect([g.components.title, g.components.price, g.components.service, g.components.skuAttrs] == [1, 1, 1, 1])
        let s = await scorer.score(problem, envelope: Fixture.recommending(problem, "X"))
        #expect(s.success)  // 0.55 ≥ 0.5 under ShoppingBench, would fail ORO's 0.7
        #expect(s.components.service == 1)
        let oro = await Fixture.scorer([x], similarity: TableSimilarity(scores: ["Hosport bag": 0.55]))
            .score(problem, envelope: Fixture.recommending(problem, "X"))
        #expect(!oro.success && oro.components.title == 0 && oro.components.service == 0)
    }

    // ShoppingBench §4.3 web: gt is a substring test; kw is the knowledge attribute in title or
    // description; title needs ≥ 0.8; rule = (kw + title)/2.
    @Test func shoppingBenchWebTask() async throws {
        let line = """
            {"query": "Who was the original keyboardist for the Band of Joy? I want an oversized T-shirt of this musician.",
             "Knowledge_Attribute": "Chris Brown",
             "reward": {"product_id": "4242", "shop_id": "9", "title": "ABT Tshirt Chris Brown Oversize", "price": 300.0,
                        "sold_count": 1, "service": [], "sku_options": {}, "attributes": {}}}
            """
        let problem = try Fixture.problem(line)
        #expect(problem.category == .web)
        let near = Fixture.product("5", title: "Oversize Tshirt chris brown print", price: 250)
        let inDescription = Fixture.product("6", title: "Oversize band tee", price: 250, description: "Chris Brown tour merch")
        let wrong = Fixture.product("7", title: "Oversize Tshirt plain", price: 250)
        let sims = TableSimilarity(scores: [near.title: 0.85, inDescription.title: 0.79, wrong.title: 0.9])
        let scorer = Fixture.scorer([near, inDescription, wrong], profile: .shoppingBench, similarity: sims)

        let gt = await scorer.score(problem, envelope: Fixture.recommending(problem, "x4242"))  // substring of id
        #expect(gt.components.gt == 1 && gt.components.keyword == 1 && gt.components.title == 1 && gt.success)

        let a = await scorer.score(problem, envelope: Fixture.recommending(problem, "5"))
        #expect(a.components.keyword == 1 && a.components.title == 1 && a.components.rule == 1 && a.success)

        let b = await scorer.score(problem, envelope: Fixture.recommending(problem, "6"))
        #expect(b.components.keyword == 1 && b.components.title == 0 && b.components.rule == 0.5 && !b.success)

        let c = await scorer.score(problem, envelope: Fixture.recommending(problem, "7"))
        #expect(c.components.keyword == 0 && c.components.title == 1 && c.components.rule == 0.5 && !c.success)
    }

    // ShoppingBench §5.1: "Avg" is the sample-weighted ASR over 250/150/250/250 problems:
    // GPT-4.1 48.2, SFT+RL Qwen3-4B 48.67.
    @Test(arguments: [([149, 93, 116, 76], 0.482), ([152, 70, 133, 83], 0.4867)])
    func shoppingBenchSampleWeightedAverage(successes: [Int], expected: Double) {
        let sizes: [(ProblemCategory, Int)] = [(.product, 250), (.web, 150), (.shop, 250), (.voucher, 250)]
        var problems: [Problem] = []
        var scores: [ProblemScore] = []
        for ((category, size), wins) in zip(sizes, successes) {
            for i in 0..<size {
                let id = "\(category.rawValue)-\(i)"
                problems.append(
                    Problem(id: id, query: id, category: category, rewards: [RewardItem(productID: id, titles: [])], original: .null))
                var s = ProblemScore(problemID: id, category: category, outcome: .scored, envelopeStatus: .success)
                s.success = i < wins
                scores.append(s)
            }
        }
        let agg = SuiteAggregate(scores: scores, suite: problems, denominator: .suite)
        #expect(PythonRounding.round(agg.sampleWeightedSuccessRate, expected == 0.482 ? 3 : 4) == expected)
        #expect(agg.byCategory.map(\.1.totalProblems) == [250, 250, 250, 150])
    }
}
