import Foundation
import LLM
import Scoring

/// The title similarity a scoring command asked for by name: `lexical` (offline default), `exact` (a testing aid) or
/// `embeddings` (an OpenAI-compatible endpoint).
public struct TitleSimilarityChoice: Sendable {
    public var name: String = "lexical"
    public var embeddingsURL: String?
    public var embeddingsModel: String = "Qwen/Qwen3-Embedding-0.6B"
    public var embeddingsKey: String?
    public var embeddingsTimeoutSeconds: Int = 60

    public init(name: String = "lexical", embeddingsURL: String? = nil, embeddingsModel: String = "Qwen/Qwen3-Embedding-0.6B",
                embeddingsKey: String? = nil, embeddingsTimeoutSeconds: Int = 60) {
        self.name = name
        self.embeddingsURL = embeddingsURL
        self.embeddingsModel = embeddingsModel
        self.embeddingsKey = embeddingsKey
        self.embeddingsTimeoutSeconds = embeddingsTimeoutSeconds
    }

    public func make() throws -> any TitleSimilarity {
        switch name.lowercased() {
        case "lexical": return LexicalTitleSimilarity()
        case "exact": return ExactTitleSimilarity()
        case "embeddings", "embedding":
            guard let url = embeddingsURL else { throw ScoreFilesError.embeddingsNeedURL }
            let client = try EmbeddingsClient(configuration: .init(
                baseURL: url, apiKey: embeddingsKey, model: embeddingsModel, timeout: .seconds(embeddingsTimeoutSeconds)))
            return EmbeddingTitleSimilarity(embedder: HTTPTextEmbedder(client: client))
        default:
            throw ScoreFilesError.unknownSimilarity(name)
        }
    }
}

/// Adapts the LLM module's client to the scorer's embedder protocol.
public struct HTTPTextEmbedder: TextEmbedder {
    public let client: EmbeddingsClient

    public init(client: EmbeddingsClient) {
        self.client = client
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] { try await client.embed(texts) }
}
