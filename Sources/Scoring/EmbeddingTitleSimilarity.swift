/// Turns texts into embedding vectors (an OpenAI-compatible `/v1/embeddings` client, a local model…).
public protocol TextEmbedder: Sendable {
    /// One vector per text, in order.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

/// Why the embeddings backend could not score a problem's titles.
public enum EmbeddingSimilarityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The embedder returned a different number of vectors than texts.
    case vectorCount(expected: Int, got: Int)
    /// Two vectors to compare have different lengths (e.g. a suite's precomputed vectors are from another model).
    case dimensionMismatch(candidate: Int, reference: Int)

    public var description: String {
        switch self {
        case .vectorCount(let expected, let got):
            return "the embeddings backend returned \(got) vectors for \(expected) texts"
        case .dimensionMismatch(let c, let r):
            return "embedding sizes differ (candidate \(c), reference \(r)); are the suite's reward_title_embeddings "
                + "from the same model as the embeddings endpoint?"
        }
    }
}

/// Title similarity as the references compute it: cosine of sentence embeddings. Ground-truth
/// vectors come from the suite's `reward_title_embeddings` when present (ORO precomputes them with
/// Qwen3-Embedding-0.6B); everything else is embedded in one batch per problem.
///
/// The cosine is computed in `Float` (float32), like `sentence_transformers.util.cos_sim`.
public struct EmbeddingTitleSimilarity: TitleSimilarity {
    public let embedder: any TextEmbedder

    public init(embedder: any TextEmbedder) {
        self.embedder = embedder
    }

    public var scale: SimilarityScale { .embedding }

    public func similarities(_ comparisons: [TitleComparison]) async throws -> [Double?] {
        if comparisons.isEmpty { return [] }
        // Texts to embed, each once, in first-seen order.
        var index: [String: Int] = [:]
        var texts: [String] = []
        func need(_ t: String) {
            if index[t] == nil {
                index[t] = texts.count
                texts.append(t)
            }
        }
        for c in comparisons {
            need(c.candidate)
            if c.referenceEmbedding == nil { need(c.reference) }
        }
        let vectors = try await embedder.embed(texts)
        guard vectors.count == texts.count else {
            throw EmbeddingSimilarityError.vectorCount(expected: texts.count, got: vectors.count)
        }
        return try comparisons.map { c in
            let a = vectors[index[c.candidate]!]
            let b = c.referenceEmbedding ?? vectors[index[c.reference]!]
            guard a.count == b.count else {
                throw EmbeddingSimilarityError.dimensionMismatch(candidate: a.count, reference: b.count)
            }
            return Double(EmbeddingTitleSimilarity.cosine(a, b))
        }
    }

    /// Cosine similarity in float32; 0 when either vector is all zeros.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0
        var na: Float = 0
        var nb: Float = 0
        for i in 0..<min(a.count, b.count) {
            dot += a[i] * b[i]
            na += a[i] * a[i]
            nb += b[i] * b[i]
        }
        let denominator = na.squareRoot() * nb.squareRoot()
        return denominator > 0 ? dot / denominator : 0
    }
}
