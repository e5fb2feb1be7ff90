import ArenaModel
import Foundation
import TestSupport
@testable import Catalog

/// Helpers shared by the generator tests.
enum GeneratorFixture {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-\(UUID().uuidString)-\(name)").path
    }

    static func oroSuite() throws -> [Problem] {
        let url = try SharedData.url("oro_problem_suite_v3.json")
        return try ProblemSuite(text: String(contentsOf: url, encoding: .utf8), fileName: url.lastPathComponent).problems
    }

    /// Every product and manifest entry of a generator, in index order (small catalogs only).
    static func materialize(_ generator: CatalogGenerator) -> (products: [Product], manifest: [ManifestEntry]) {
        var products: [Product] = []
        var manifest: [ManifestEntry] = []
        for i in 0..<generator.count {
            let (product, entry) = generator.entry(at: i)
            products.append(product)
            if let entry { manifest.append(entry) }
        }
        return (products, manifest)
    }

    /// The budget rule of the ORO/ShoppingBench scorer, restated independently of the generator.
    static func budgetPasses(_ v: Voucher, prices: [Double], shops: [String]) -> Bool {
        let total = prices.reduce(0, +)
        if total <= v.budget { return true }
        if v.scope == .shop, Set(shops).count != 1 { return false }
        return total >= v.threshold && v.discounted(total) <= v.budget
    }

    static func cents(_ d: Double) -> Int { Int((d * 100).rounded()) }

    /// A ShoppingBench-style JSONL cover: product, shop, voucher (shop and platform) and web lines;
    /// 900000001 is shared by the product, shop and platform-voucher problems.
    static let shoppingBenchCover = """
    {"query": "Looking for a 12 inch steel widget with cash on delivery above 100 pesos.", "reward": {"product_id": "900000001", "title": ["Alpha Heavy Duty Widget Steel Body 12 Inch"], "sku_options": [{"size": "12 inch"}], "attributes": [{"material": ["steel"]}], "service": ["COD"], "price": [{"greater than": [100, null]}]}}
    {"query": "Find a shop selling a blue gel pen set and a red 12 inch widget priced between 120 and 400 PHP.", "reward": [{"product_id": "900000002", "title": ["Gel Pen 0.5mm Blue Set of 10"], "attributes": [{"stationery_line_point": ["0.5mm"]}], "service": ["flashsale", "official"]}, {"product_id": "900000001", "title": ["Alpha Heavy Duty Widget Steel Body 12 Inch"], "sku_options": [{"color_family": "red"}], "price": [{"between": [120, 400]}]}]}
    {"query": "I need a towel and a pillow from one shop.\\n\\nMy budget is only `380`, but I have a voucher with the following rules:\\n1. The voucher only applies to the products from the same shop.\\n2. It is valid only when the total price of the products exceeds `300`.\\n3. It provides a percentage discount of `20%` with a cap of `50`.", "reward": [{"product_id": "900000003", "title": ["Hotel Face Towel 100% Cotton"], "attributes": [{"towel_size": ["face towel"]}]}, {"product_id": "900000004", "title": ["Memory Foam Pillow Orthopedic"], "sku_options": [{"size": "large", "color_family": "white"}]}], "voucher": {"voucher_type": "shop", "threshold": 300, "discount_type": "percentage", "face_value": null, "discount": 0.2, "cap": 50, "price_after_voucher": 360.0, "budget": 380}}
    {"query": "A widget and a lamp.\\n\\nMy budget is only `470`, but I have a voucher with the following rules:\\n1. The voucher applies to all products.\\n2. It is valid only when the total price of the products exceeds `200`.\\n3. It provides a fixed discount of `40`.", "reward": [{"product_id": "900000001", "title": ["Alpha Heavy Duty Widget Steel Body 12 Inch"]}, {"product_id": "900000005", "title": ["Solar Garden Lamp Warm White"], "service": ["freeShipping"]}], "voucher": {"voucher_type": "platform", "threshold": 200, "discount_type": "fixed", "face_value": 40, "discount": null, "cap": null, "price_after_voucher": 460.37, "budget": 470}}
    {"query": "In which month did Vogue Philippines publish its 2022 November issue? I want to buy that issue.", "Knowledge_Attribute": "November 2022", "reward": {"product_id": "4999999999", "shop_id": "55", "brand": "Vogue", "category": "Media, Music & Books > Magazines", "title": "Vogue Philippines Magazine November 2022 Issue", "short_description": "", "description": "The November 2022 issue.", "specification": "", "price": 350.0, "sold_count": 4, "sku_options": {}, "attributes": {"brand": ["vogue"]}, "main_image_url": "", "product_url": "", "service": ["COD"]}}
    """
}
