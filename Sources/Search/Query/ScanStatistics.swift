/// What a pruned scan did: how much of the postings it looked at and how much it skipped.
public struct ScanStatistics: Sendable, Equatable {
    /// Documents taken from the essential terms' postings (each at most once).
    public var documentsVisited = 0
    /// Visited documents whose score bound, at their own length and the other terms' block bounds,
    /// could still reach the threshold, and which were therefore scored in full.
    public var documentsScored = 0
    /// Runs of documents skipped whole because the block bounds of every term together were too low.
    public var windowsSkipped = 0
    /// Times the top-50 threshold rose.
    public var thresholdRaises = 0
    /// Terms still essential when the scan ended (every term at the start).
    public var essentialTermsAtEnd = 0
    /// Scans run: 1, or 2 when a second counting scan proved a filtered query's candidate cap.
    public var scans = 0

    public init() {}

    mutating func add(_ other: ScanStatistics) {
        documentsVisited += other.documentsVisited
        documentsScored += other.documentsScored
        windowsSkipped += other.windowsSkipped
        thresholdRaises += other.thresholdRaises
        essentialTermsAtEnd = other.essentialTermsAtEnd
        scans += other.scans
    }
}

/// How `find_product` answered one request: the query terms with their statistics and what the pruned
/// scan did (``SearchIndex/profile(_:candidateCap:)``).
public struct SearchProfile: Sendable {
    /// One analysed query term.
    public struct Term: Sendable {
        public var text: String
        /// 0 when the term is not in the index.
        public var documentFrequency: Int
        /// BM25 weight (query count · idf).
        public var weight: Float
        /// The largest score the term reaches in any document (from its skip blocks).
        public var maxScore: Float
    }

    public var terms: [Term]
    /// nil when the request is invalid (the answer is `[]` without a search).
    public var statistics: ScanStatistics?
    /// True when pruning could not prove its answer and the exhaustive walk answered.
    public var fellBackToExhaustive: Bool
    /// Kept documents (at most 50) before paging.
    public var kept: Int
}
