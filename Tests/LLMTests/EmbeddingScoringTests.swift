import ArenaModel
import LLM
import Scoring
import Testing

/// The scorer's embeddings backend over HTTP: candidate titles go to the endpoint, ground-truth
/// titles use the suite's precomputed vectors.
@Suite("Scoring with the HTTP embeddings backend")
struct EmbeddingScoringTests {
    struct HTTPEmbedder: TextEmbedder {
        let client: EmbeddingsClient
        func embed(_ texts: [String]) async throws -> [[Float]] { try await client.embed(texts) }
    }

    @Test func titlesAreJudgedByCosineAgainstPrecomputedVectors() async throws {
        try await StubServer.withServer { port in
            let client = try EmbeddingsClient(
                configuration: .init(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "sk-test", model: "stub-model"))
            var problem = try Problem(
                json: try JSONParser.parse(
                    #"{"query": "a bag", "reward": {"product_id": "GT", "title": ["Waist bag"], "price": [{"between": [1, 500]}]}}"#))
            // The stub embeds "abc" as [3, 97, 1]; a precomputed reference of [3, 97, 1] gives cosine 1,
            // one of [97, -3, 0] gives cosine 0.
            let products = ProductDictionary([
                Product(productID: "X", shopID: "s", title: "abc", price: 100),
            ])
            let scorer = OutcomeScorer(
                profile: .oro, products: products, similarity: EmbeddingTitleSimilarity(embedder: HTTPEmbedder(client: client)))
            let envelope = Envelope(
                problemID: problem.id, status: .success,
                dialogue: [
                    DialogueStep.make(
                        think: "t", toolCalls: [DialogueStep.call("recommend_product", [("product_ids", "X")])], query: "a bag", step: 1,
                        timestamp: 1
                    ).raw
                ])
            problem.titleEmbeddings = ["Waist bag": [3, 97, 1]]
            let same = await scorer.score(problem, envelope: envelope)
            #expect(same.success && abs((same.slots[0].titleSimilarities[0] ?? 0) - 1) < 1e-6)
            problem.titleEmbeddings = ["Waist bag": [97, -3, 0]]
            let different = await scorer.score(problem, envelope: envelope)
            #expect(!different.success && different.slots[0].title == 0)
        }
    }
}
