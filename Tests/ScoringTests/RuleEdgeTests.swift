import ArenaModel
import Testing

@testable import Scoring

@Suite("Rule edges: prices, ids, slots, shops, vouchers")
struct RuleEdgeTests {
    static func priceProblem(_ mode: String, _ lo: String, _ hi: String) throws -> Problem {
        try Fixture.problem(
            """
            {"query": "price \(mode) \(lo) \(hi)", "category": "Product",
             "reward": {"product_id": "GT", "title": ["Thing"], "price": [{"\(mode)": [\(lo), \(hi)]}]}}
            """)
    }

    @Test(
        "price bounds are inclusive and open ends unbounded",
        arguments: [
            ("between", "180", "505", 180.0, true), ("between", "180", "505", 505.0, true),
            ("between", "180", "505", 179.99, false), ("between", "180", "505", 505.01, false),
            ("greater than", "6", "null", 6.0, true), ("greater than", "6", "null", 5.99, false),
            ("greater than", "6", "null", 1e9, true), ("less than", "null", "300", 300.0, true),
            ("less than", "null", "300", 300.5, false), ("less than", "0", "300", 0.0, true),
            ("between", "100", "null", 1e7, true), ("between", "null", "50", 0.01, true),
        ])
    func priceBounds(mode: String, lo: String, hi: String, price: Double, hit: Bool) async throws {
        let problem = try Self.priceProblem(mode, lo, hi)
        let p = Fixture.product("X", title: "Thing", price: price)
        let s = await Fixture.scorer([p]).score(problem, envelope: Fixture.recommending(problem, "X"))
        #expect(s.components.price == (hit ? 1 : 0))
        #expect(s.success == hit)
    }

    @Test func idsAreTrimmedDeduplicatedAndEmptiesDroppedUnderORO() async throws {
        #expect(Recommendation.split(" A , A,B ,, ,C", rule: .trimmed) == ["A", "B", "C"])
        #expect(Recommendation.split(" A , A,B", rule: .plain) == [" A ", " A", "B"])
        #expect(Recommendation.split("", rule: .trimmed) == [])
        let problem = try Fixture.problem(
            """
            {"query": "shop pair", "category": "Shop",
             "reward": [{"product_id": "A", "title": ["a"]}, {"product_id": "B", "title": ["b"]}]}
            """)
        let a = Fixture.product("A", shop: "S", title: "a", price: 1)
        let b = Fixture.product("B", shop: "S", title: "b", price: 1)
        let oro = await Fixture.scorer([a, b]).score(problem, envelope: Fixture.recommending(problem, " A , A, B "))
        #expect(oro.recommended == ["A", "B"])
        #expect(oro.success && oro.components.gt == 1)
        // ShoppingBench does not trim: " A " is not in the catalog, and the repeat takes slot 2.
        let sb = await Fixture.scorer([a, b], profile: .shoppingBench)
            .score(problem, envelope: Fixture.recommending(problem, " A , A, B "))
        #expect(sb.recommended == [" A ", " A", " B "])
        #expect(!sb.success && sb.components.product == 0)
        #expect(sb.issues.filter { $0.code == "unknown_product" }.count == 2)
    }

    static let shopProblem = """
        {"query": "three from one shop", "category": "Shop",
         "reward": [{"product_id": "A", "title": ["a"]}, {"product_id": "B", "title": ["b"]}, {"product_id": "C", "title": ["c"]}]}
        """

    @Test func extraIdsAreIgnoredAndMissingIdsScoreZero() async throws {
        let problem = try Fixture.problem(Self.shopProblem)
        let products = ["A", "B", "C", "D"].map { Fixture.product($0, shop: "S", title: $0.lowercased(), price: 10) }
        let scorer = Fixture.scorer(products)
        let extra = await scorer.score(problem, envelope: Fixture.recommending(problem, "A,B,C,D"))
        #expect(extra.success && extra.slots.count == 3)
        let missing = await scorer.score(problem, envelope: Fixture.recommending(problem, "A,B"))
        #expect(missing.components.product == 2.0 / 3.0)
        #expect(missing.components.rule == 2.0 / 3.0)
        #expect(missing.components.shop == 0)
        #expect(!missing.success)
        #expect(missing.issues.contains { $0.code == "missing_slot" })
        // Order matters: B in slot A's place is judged against A's constraints.
        let swapped = await scorer.score(problem, envelope: Fixture.recommending(problem, "B,A,C"))
        #expect(swapped.components.gt == 1.0 / 3.0)
    }

    @Test func unknownProductsScoreNothingForTheirSlot() async throws {
        let problem = try Fixture.problem(Self.shopProblem)
        let products = ["A", "C"].map { Fixture.product($0, shop: "S", title: $0.lowercased(), price: 10) }
        let s = await Fixture.scorer(products).score(problem, envelope: Fixture.recommending(problem, "A,B,C"))
        #expect(s.components.product == 2.0 / 3.0)
        #expect(s.components.gt == 2.0 / 3.0)
        #expect(s.components.shop == 0)
        #expect(!s.success)
        #expect(s.issues.contains(ScoreIssue(code: "unknown_product", message: "recommended id 'B' (slot 2) is not in the catalog")))
        // A GT id that the catalog lacks is not found either: all 0 for a product task.
        let single = try Fixture.problem(Fixture.hosportProduct)
        let none = await Fixture.scorer([]).score(single, envelope: Fixture.recommending(single, "5035687794"))
        #expect(none.components.gt == 0 && none.components.product == 0 && !none.success)
    }

    @Test func shopMismatchFailsTheShopRule() async throws {
        let problem = try Fixture.problem(Self.shopProblem)
        let products = [
            Fixture.product("A", shop: "S", title: "a", price: 10), Fixture.product("B", shop: "S", title: "b", price: 10),
            Fixture.product("C", shop: "T", title: "c", price: 10),
        ]
        let s = await Fixture.scorer(products).score(problem, envelope: Fixture.recommending(problem, "A,B,C"))
        #expect(s.components.rule == 1)
        #expect(s.components.shop == 0)
        #expect(!s.success)
    }

    @Test func shopHitsNeedPositiveRuleUnderOROButOnlyResolutionUnderShoppingBench() async throws {
        let problem = try Fixture.problem(
            """
            {"query": "pair", "category": "Shop",
             "reward": [{"product_id": "A", "title": ["a"]}, {"product_id": "B", "title": ["b"], "service": ["COD"]}]}
            """)
        let a = Fixture.product("A", shop: "S", title: "a", price: 10)
        let x = Fixture.product("X", shop: "S", title: "unrelated", price: 10)  // title 0, no COD → rule 0
        let oro = await Fixture.scorer([a, x]).score(problem, envelope: Fixture.recommending(problem, "A,X"))
        #expect(oro.slots[1].rule == 0 && oro.components.shop == 0)
        let sb = await Fixture.scorer([a, x], profile: .shoppingBench).score(problem, envelope: Fixture.recommending(problem, "A,X"))
        #expect(sb.components.shop == 1 && !sb.success)
    }

    @Test func skuPairsMustComeFromOneVariantAndCrossMatchAttributes() async throws {
        let problem = try Fixture.problem(
            """
            {"query": "sku", "category": "Product",
             "reward": {"product_id": "GT", "title": ["Shirt"], "sku_options": [{"color_family": "red", "size": "m"}],
                        "attributes": [{"material": ["cotton"]}]}}
            """)
        // red and m exist, but in different variants → best variant has 1 of 2 SKU pairs.
        let split = Fixture.product(
            "X", title: "Shirt", price: 1, sku: [[("color_family", "red"), ("size", "s")], [("color_family", "blue"), ("size", "m")]],
            attributes: [("material", ["cotton"])])
        // size m comes from the attributes, red from a variant, cotton from a variant's pairs.
        let crossed = Fixture.product(
            "Y", title: "Shirt", price: 1, sku: [[("color_family", "red"), ("material", "cotton")]], attributes: [("size", ["m"])])
        let scorer = Fixture.scorer([split, crossed])
        let a = await scorer.score(problem, envelope: Fixture.recommending(problem, "X"))
        #expect(a.slots[0].hits == 3 && a.slots[0].constraints == 4)
        #expect(a.components.skuAttrs == 2.0 / 3.0)
        #expect(!a.success)
        let b = await scorer.score(problem, envelope: Fixture.recommending(problem, "Y"))
        #expect(b.success && b.components.skuAttrs == 1)
    }

    static func voucherProblem(scope: String, threshold: Int, discount: String, budget: Int, items: Int = 2) throws -> Problem {
        let rewards = (0..<items).map { #"{"product_id": "G\#($0)", "title": ["t\#($0)"]}"# }.joined(separator: ",")
        return try Fixture.problem(
            """
            {"query": "voucher \(scope) \(threshold) \(discount.utf8.count) \(budget)", "category": "Voucher", "reward": [\(rewards)],
             "voucher": {"voucher_type": "\(scope)", "threshold": \(threshold), \(discount), "price_after_voucher": 1.0, "budget": \(budget)}}
            """)
    }

    static let fixed20 = #""discount_type": "fixed", "face_value": 20, "discount": null, "cap": null"#
    static let pct50cap30 = #""discount_type": "percentage", "face_value": null, "discount": 0.5, "cap": 30"#
    static let pct10cap100 = #""discount_type": "percentage", "face_value": null, "discount": 0.1, "cap": 100"#

    /// Scores recommending G0, G1 at the given prices and shops.
    static func budget(_ problem: Problem, prices: [Double], shops: [String]) async -> ProblemScore {
        let products = zip(prices, shops).enumerated().map { (i, ps) in
            Fixture.product("G\(i)", shop: ps.1, title: "t\(i)", price: ps.0)
        }
        let ids = products.map(\.productID).joined(separator: ",")
        return await Fixture.scorer(products).score(problem, envelope: Fixture.recommending(problem, ids))
    }

    @Test(
        "voucher budget edges",
        arguments: [
            // (scope, threshold, discount, budget, prices, shops, expected budget)
            ("platform", 100, fixed20, 100, [50.0, 50.0], ["S", "T"], 1.0),  // = budget outright
            ("platform", 200, fixed20, 100, [60.0, 60.0], ["S", "S"], 0.0),  // over budget, below threshold
            ("platform", 100, fixed20, 100, [60.0, 60.0], ["S", "T"], 1.0),  // 120 ≥ 100 → 100 ≤ 100
            ("platform", 100, fixed20, 100, [61.0, 60.0], ["S", "S"], 0.0),  // 121 → 101 > 100: over budget
            ("platform", 120, fixed20, 100, [60.0, 60.0], ["S", "S"], 1.0),  // total = threshold is enough (≥)
            ("platform", 100, pct50cap30, 100, [70.0, 60.0], ["S", "T"], 1.0),  // max(65, 100) = 100: cap binds
            ("platform", 100, pct50cap30, 99, [70.0, 60.0], ["S", "T"], 0.0),  // cap binding just over
            ("platform", 100, pct10cap100, 117, [70.0, 60.0], ["S", "T"], 1.0),  // max(117, 30): rate binds
            ("shop", 100, fixed20, 100, [60.0, 60.0], ["S", "T"], 0.0),  // shop voucher across two shops
            ("shop", 100, fixed20, 100, [60.0, 60.0], ["S", "S"], 1.0),  // same shop
            ("shop", 100, fixed20, 100, [40.0, 40.0], ["S", "T"], 1.0),  // two shops but ≤ budget outright
            ("platform", 150, fixed20, 120, [60.0, 60.0], ["S", "S"], 1.0),  // budget below threshold, ≤ budget
            ("platform", 150, fixed20, 120, [65.0, 65.0], ["S", "S"], 0.0),  // between budget and threshold
            ("platform", 150, pct50cap30, 120, [75.0, 75.0], ["S", "S"], 1.0),  // ≥ threshold after discount
        ])
    func voucherEdges(
        scope: String, threshold: Int, discount: String, budget: Int, prices: [Double], shops: [String], expected: Double
    ) async throws {
        let problem = try Self.voucherProblem(scope: scope, threshold: threshold, discount: discount, budget: budget)
        let s = await Self.budget(problem, prices: prices, shops: shops)
        #expect(s.components.budget == expected)
        #expect(s.components.rule == 1)
        #expect(s.success == (expected == 1))
    }

    @Test func budgetNeedsEveryItemResolved() async throws {
        let problem = try Self.voucherProblem(scope: "platform", threshold: 100, discount: Self.fixed20, budget: 1000)
        let p = Fixture.product("G0", title: "t0", price: 5)
        let s = await Fixture.scorer([p]).score(problem, envelope: Fixture.recommending(problem, "G0"))
        #expect(s.components.budget == 0)
    }

    @Test func theLastRecommendCallWins() async throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let gt = Fixture.product("5035687794", title: "bag", price: 200)
        let steps: [JSONValue] = [
            Fixture.recommendStep("5035687794", step: 1), Fixture.recommendStep("nope", step: 2), Fixture.terminateStep(step: 3),
        ]
        let s = await Fixture.scorer([gt]).score(problem, envelope: Fixture.envelope(problem, steps: steps))
        #expect(s.recommended == ["nope"])
        #expect(!s.success)
    }

    @Test func lengthIsOneOverStepsWhenTheLastStepTerminates() async throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let gt = Fixture.product("5035687794", title: "bag", price: 200)
        let scorer = Fixture.scorer([gt])
        let terminated = await scorer.score(problem, envelope: Fixture.recommending(problem, "5035687794"))
        #expect(terminated.components.length == 0.5)
        let open = await scorer.score(
            problem,
            envelope: Fixture.envelope(problem, steps: [Fixture.terminateStep(step: 1), Fixture.recommendStep("5035687794", step: 2)]))
        #expect(open.components.length == 0)
        #expect(open.success)
    }

    @Test func titlesThatCannotBeJudgedAreNotCounted() async throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let x = Fixture.product("X", title: "Some bag", price: 299, attributes: [("brand", ["hosport"])])
        let s = await Fixture.scorer([x], similarity: NoTitleSimilarity()).score(problem, envelope: Fixture.recommending(problem, "X"))
        #expect(s.slots[0].constraints == 2)
        #expect(s.success)
        #expect(s.issues.contains { $0.code == "title_not_judged" })
    }

    @Test func aFailingSimilarityBackendCountsTitlesAsMisses() async throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let x = Fixture.product("X", title: "Some bag", price: 299, attributes: [("brand", ["hosport"])])
        let s = await Fixture.scorer([x], similarity: FailingSimilarity()).score(problem, envelope: Fixture.recommending(problem, "X"))
        #expect(s.slots[0].constraints == 3 && s.slots[0].hits == 2)
        #expect(!s.success)
        #expect(s.issues.contains { $0.code == "title_similarity_failed" && $0.message.contains("connection refused") })
    }

    @Test func runsThatDidNotSucceedAreFailuresWithTheirReason() async throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let gt = Fixture.product("5035687794", title: "bag", price: 200)
        var e = Fixture.recommending(problem, "5035687794")
        e.status = .timedOut
        e.error = EnvelopeError(type: "TimeoutError", message: "Execution exceeded timeout of 300.0s")
        let s = await Fixture.scorer([gt]).score(problem, envelope: e)
        #expect(s.outcome == .runNotSuccessful && !s.success && s.components == ScoreComponents())
        #expect(s.issues.first?.message.contains("TIMED_OUT: TimeoutError") == true)
        let none = await Fixture.scorer([gt]).score(problem, envelope: nil)
        #expect(none.outcome == .notRolledOut && !none.success)
    }
}
