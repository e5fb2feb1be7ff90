/// The scale a similarity backend's scores live on, which decides the threshold a profile applies.
public enum SimilarityScale: String, Sendable, Hashable {
    /// Cosine of sentence embeddings (the references use Qwen3-Embedding-0.6B).
    case embedding
    /// ``LexicalTitleSimilarity``'s score.
    case lexical
    /// ``ExactTitleSimilarity``: 1 for equal normalised titles, else 0 (a testing aid).
    case exact
}

/// One title comparison the scorer needs: a recommended product's title against a ground-truth title.
public struct TitleComparison: Sendable, Hashable {
    /// The recommended product's title.
    public var candidate: String
    /// The ground-truth title from the reward.
    public var reference: String
    /// The reference title's precomputed embedding, when the suite carries `reward_title_embeddings`.
    public var referenceEmbedding: [Float]?

    public init(candidate: String, reference: String, referenceEmbedding: [Float]? = nil) {
        self.candidate = candidate
        self.reference = reference
        self.referenceEmbedding = referenceEmbedding
    }
}

/// Scores how alike two product titles are. The scorer asks once per problem with every comparison
/// that problem needs, so a backend can batch (one embeddings request per problem).
///
/// A nil score means "cannot judge" and, as in the reference when no model is available, the title
/// is then not counted as a constraint. A thrown error is recorded on the problem and the titles
/// count as misses (a backend failure never makes a problem easier).
public protocol TitleSimilarity: Sendable {
    var scale: SimilarityScale { get }
    /// One score per comparison, in order.
    func similarities(_ comparisons: [TitleComparison]) async throws -> [Double?]
}

/// A similarity that needs no I/O; the scorer then runs without suspending.
public protocol InstantTitleSimilarity: TitleSimilarity {
    func similarity(_ comparison: TitleComparison) -> Double?
}

extension InstantTitleSimilarity {
    public func similarities(_ comparisons: [TitleComparison]) async throws -> [Double?] {
        comparisons.map(similarity)
    }
}

/// A backend that never judges: every title is left uncounted (ORO without a model).
public struct NoTitleSimilarity: InstantTitleSimilarity {
    public init() {}
    public var scale: SimilarityScale { .embedding }
    public func similarity(_ comparison: TitleComparison) -> Double? { nil }
}
