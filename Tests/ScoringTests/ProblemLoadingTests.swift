import ArenaModel
import Testing
import TestSupport

@testable import Scoring

@Suite("Problem files: ORO suite v3 and ShoppingBench JSONL")
struct ProblemLoadingTests {
    static func oroSuite() throws -> ProblemSuite {
        try ProblemSuite(text: SharedData.text("oro_problem_suite_v3.json"), fileName: "oro_problem_suite_v3.json")
    }

    @Test func oroSuiteV3Loads() throws {
        let suite = try Self.oroSuite()
        #expect(suite.problems.count == 30)
        for category in [ProblemCategory.product, .shop, .voucher] {
            #expect(suite.problems.filter { $0.category == category }.count == 10)
        }
        #expect(suite.problems.allSatisfy { $0.category != .voucher || $0.voucher != nil })
        // Every reward title has its precomputed 1024-float embedding.
        for p in suite.problems {
            for r in p.rewards {
                for t in r.titles { #expect(p.titleEmbeddings[t]?.count == 1024, "\(p.id) \(t)") }
            }
        }
        let first = suite.problems[0]
        #expect(first.query.hasPrefix("Looking for a hosport brand waist bag"))
        #expect(first.rewards[0].price == [PriceConstraint(mode: .between, lower: 180, upper: 505)])
    }

    @Test func idsAreStableAcrossLoads() throws {
        let a = try Self.oroSuite().problems.map(\.id)
        let b = try Self.oroSuite().problems.map(\.id)
        #expect(a == b)
        #expect(Set(a).count == 30)
        #expect(a.allSatisfy { $0.count == 36 && Array($0)[14] == "8" })  // version-8 UUIDs
    }

    @Test func agentViewNeverContainsTheAnswer() throws {
        for p in try Self.oroSuite().problems {
            let view = p.agentView
            for key in ["reward", "voucher", "reward_title_embeddings"] { #expect(view[key] == nil) }
            #expect(view["query"]?.stringValue == p.query)
            #expect(view["problem_id"]?.stringValue == p.id)
            #expect(view["category"]?.stringValue == p.category.rawValue)
            let text = JSONWriter().string(view)
            for r in p.rewards { #expect(!text.contains(r.productID)) }
        }
    }

    static let jsonl = """
        {"query":"Looking for a 12 inch heavy-duty rubber wheel for a pushcart.","reward":{"product_id":"4410867766","title":["Heavy Duty Pushcart Solid Rubber Wheel 6/8/10/12 Inches"],"sku_options":[{"size":"12 inch"}]}}
        {"query":"Find shops offering terno shorts with LazFlash deals above 96 PHP, and BULLS dresses over 58 pesos.","reward":[{"product_id":"4120394826","title":["terno short"],"service":["flashsale"],"price":[{"greater than":[96,null]}]},{"product_id":"4106489249","title":["BULLS DRESS"],"price":[{"greater than":[58,null]}]}]}
        {"query":"Looking for oil-based crayons.\\n\\nMy budget is only `425`, but I have a voucher with the following rules: ...","reward":[{"product_id":"3829481471","title":["Sakura Craypas Junior artist 50 colors"],"attributes":[{"type_of_inks":["oil-based"]}]}],"voucher":{"voucher_type":"platform","threshold":170,"discount_type":"fixed","face_value":34,"discount":null,"cap":null,"price_after_voucher":419.0,"budget":425}}
        {"query":"In which year and month did Europe approve nirsevimab? I want a fashion magazine issue from then.","Knowledge_Attribute":"November 2022","reward":{"product_id":"2900000001","shop_id":"77","brand":"Vogue","category":"Books","title":"Vogue Philippines Magazine November 2022 Issue","short_description":"","description":"","specification":"","price":450.0,"sold_count":3,"sku_options":{},"attributes":{},"main_image_url":"","product_url":"","service":[]}}
        {"query":"A problem with its own id","problem_id":"given-id-1","reward":{"product_id":"1","title":["x"]}}
        """

    @Test func shoppingBenchLinesOfEachKind() throws {
        let suite = try ProblemSuite(text: Self.jsonl, fileName: "sb.jsonl")
        #expect(suite.problems.map(\.category) == [.product, .shop, .voucher, .web, .product])
        #expect(suite.problems[0].rewards[0].skuOptions == [[Product.KeyValue("size", "12 inch")]])
        #expect(suite.problems[1].rewards.map(\.service) == [["flashsale"], []])
        #expect(suite.problems[2].voucher?.groundTruthTotal == 453)
        let web = suite.problems[3]
        #expect(web.knowledgeAttribute == "November 2022")
        #expect(web.rewards[0].fullProduct?.shopID == "77")
        #expect(web.rewards[0].titles == ["Vogue Philippines Magazine November 2022 Issue"])
        #expect(web.agentView["Knowledge_Attribute"] == nil)
        #expect(suite.problems[4].id == "given-id-1")
        let again = try ProblemSuite(text: Self.jsonl, fileName: "sb.jsonl")
        #expect(again.problems.map(\.id) == suite.problems.map(\.id))
        #expect(Set(suite.problems.map(\.id)).count == 5)
    }

    @Test func duplicateQueriesNameBothLines() {
        let text = """
            {"query":"same","reward":{"product_id":"1","title":["a"]}}

            {"query":"same","reward":{"product_id":"2","title":["b"]}}
            """
        #expect {
            try ProblemSuite(text: text, fileName: "dup.jsonl")
        } throws: { error in
            guard let e = error as? ProblemSuiteError, case .duplicateQuery(let first, let second, _) = e else { return false }
            return first.line == 1 && second.line == 3 && e.description.contains("dup.jsonl:1") && e.description.contains("dup.jsonl:3")
        }
    }
}
