import ArenaModel
import Testing

@testable import Scoring

@Suite("Suite report JSON")
struct ReportTests {
    @Test func reportCarriesAggregatesAndPerProblemComponents() async throws {
        let shop = try Fixture.problem(
            """
            {"query": "pair", "category": "Shop", "problem_id": "shop-1",
             "reward": [{"product_id": "A", "title": ["a"]}, {"product_id": "B", "title": ["b title"]}]}
            """)
        let product = try Fixture.problem(
            #"{"query": "one", "problem_id": "prod-1", "reward": {"product_id": "C", "title": ["c"]}}"#)
        let products = [
            Fixture.product("A", shop: "S", title: "a", price: 1), Fixture.product("B2", shop: "S", title: "b title", price: 2),
            Fixture.product("C", title: "c", price: 3),
        ]
        let result = await SuiteScorer(scorer: Fixture.scorer(products))
            .score(suite: [shop, product], envelopes: [Fixture.recommending(shop, "A,B2"), Fixture.recommending(product, "C")])
        // The shop problem succeeds with one GT id of two: it counts for success, not for the gt rate.
        #expect(result.problems.map(\.success) == [true, true])
        #expect(result.aggregate.overall.groundTruthRate == 0.5)
        #expect(result.aggregate.overall.successRate == 1)

        let json = try JSONParser.parse(JSONWriter().string(result.json))
        #expect(json["profile"] == "oro" && json["denominator"] == "suite")
        let overall = try #require(json["aggregate"]?["overall"])
        for key in ["ground_truth_rate", "success_rate", "format_score", "field_matching", "total_problems",
            "successful_problems", "scored_problems"]
        {
            #expect(overall[key] != nil, "\(key)")
        }
        #expect(json["aggregate"]?["by_category"]?["Shop"]?["success_rate"] == 1.0)
        let first = try #require(json["problems"]?.arrayValue?.first)
        #expect(first["problem_id"] == "shop-1" && first["status"] == "SUCCESS" && first["score"] == 1.0)
        #expect(first["components"]?.objectValue?.map(\.0) == [
            "length", "format", "product", "gt", "rule", "title", "price", "service", "sku & attrs", "shop",
        ])
        #expect(first["components"]?["gt"] == 0.5)
        #expect(first["slots"]?.arrayValue?[1]["recommended_id"] == "B2")
        #expect(first["recommended"] == ["A", "B2"])
    }
}
