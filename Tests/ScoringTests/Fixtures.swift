import ArenaModel
import Scoring

/// A similarity backend with scores chosen by the test: `scores[candidate title]`, identical titles 1,
/// anything else `fallback`. Embedding scale, so the profiles' embedding thresholds (0.7 / 0.5 / 0.8) apply.
struct TableSimilarity: InstantTitleSimilarity {
    var scores: [String: Double]
    var fallback: Double? = 0.0
    var scale: SimilarityScale { .embedding }
    func similarity(_ c: TitleComparison) -> Double? {
        if let s = scores[c.candidate] { return s }
        return c.candidate == c.reference ? 1 : fallback
    }
}

/// A backend that always fails, like an unreachable embeddings server.
struct FailingSimilarity: TitleSimilarity {
    struct Down: Error, CustomStringConvertible { var description: String { "connection refused" } }
    var scale: SimilarityScale { .embedding }
    func similarities(_ comparisons: [TitleComparison]) async throws -> [Double?] { throw Down() }
}

enum Fixture {
    static func problem(_ json: String) throws -> Problem {
        try Problem(json: try JSONParser.parse(json))
    }

    static func product(
        _ id: String, shop: String = "shop-1", title: String, price: Double, service: [String] = [],
        sku: [[(String, String)]] = [], attributes: [(String, [String])] = [], description: String = ""
    ) -> Product {
        Product(
            productID: id, shopID: shop, title: title, description: description, price: price,
            skuOptions: sku.map { $0.map { Product.KeyValue($0.0, $0.1) } },
            attributes: attributes.map { Product.Attribute($0.0, $0.1) }, service: service)
    }

    static func scorer(
        _ products: [Product], profile: ScoringProfile = .oro, similarity: any TitleSimilarity = TableSimilarity(scores: [:])
    ) -> OutcomeScorer {
        OutcomeScorer(profile: profile, products: ProductDictionary(products), similarity: similarity)
    }

    /// An envelope whose dialogue is the given raw steps.
    static func envelope(_ problem: Problem, steps: [JSONValue], status: EnvelopeStatus = .success) -> Envelope {
        Envelope(problemID: problem.id, status: status, dialogue: .array(steps))
    }

    /// A well-formed step calling `recommend_product` with exactly `productIDs`.
    static func recommendStep(_ productIDs: JSONValue, step: Int = 1, timestamp: Int64? = 1_700_000_000_000) -> JSONValue {
        DialogueStep.make(
            think: "recommend", toolCalls: [.object([("name", "recommend_product"), ("parameters", .object([("product_ids", productIDs)]))])],
            query: "q", step: step, timestamp: timestamp
        ).raw
    }

    static func terminateStep(step: Int, timestamp: Int64? = 1_700_000_001_000) -> JSONValue {
        DialogueStep.make(
            think: "done", toolCalls: [DialogueStep.call("terminate", [("status", "success")])], response: "ok", query: "q",
            step: step, timestamp: timestamp
        ).raw
    }

    /// recommend(ids) then terminate.
    static func recommending(_ problem: Problem, _ ids: String) -> Envelope {
        envelope(problem, steps: [recommendStep(.string(ids)), terminateStep(step: 2)])
    }

    /// A raw step with the given `message` object.
    static func step(message: JSONValue, timestamp: JSONValue? = 1_700_000_000_000) -> JSONValue {
        var extra: [(String, JSONValue)] = [("step", 1), ("query", "q")]
        if let timestamp { extra.append(("timestamp", timestamp)) }
        return .object([
            ("completion", .object([("content", ""), ("message", message)])), ("extra_info", .object(extra)),
        ])
    }

    static let hosportProduct = """
        {"query": "Looking for a hosport brand waist bag for motorcycles, priced from 180 to 505 PHP.",
         "reward": {"product_id": "5035687794", "title": ["Waterproof Waist Leg Bag Motorcycle"],
                    "attributes": [{"brand": ["hosport"]}], "price": [{"between": [180, 505]}]},
         "category": "Product", "difficulty": "easy", "title": "Product 1"}
        """
}
