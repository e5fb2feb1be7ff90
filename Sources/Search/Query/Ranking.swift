/// One scored document, in Lucene's order (score descending, then product id ascending).
public struct SearchHit: Sendable, Hashable {
    /// The document number in the index.
    public var document: Int
    public var productID: String
    public var score: Float
}

/// A query term: its text, how often it occurs in the query (Anserini boosts a repeated term by its
/// count) and its postings.
struct QueryTerm {
    var text: String
    var count: Int
    var info: SearchIndex.TermInfo?
}

extension SearchIndex {
    /// Lucene's bag-of-words query for `text`: distinct analysed terms in first-occurrence order.
    func queryTerms(_ text: String) -> [QueryTerm] {
        var out: [QueryTerm] = []
        var position: [String: Int] = [:]
        for t in EnglishAnalyzer().terms(text) {
            if let i = position[t] {
                out[i].count += 1
            } else {
                position[t] = out.count
                out.append(QueryTerm(text: t, count: 1, info: nil))
            }
        }
        for i in out.indices { out[i].info = term(out[i].text) }
        return out
    }

    /// The BM25 weight `boost · idf` of a query term (float, as Lucene).
    func weight(of term: QueryTerm) -> Float {
        guard let info = term.info else { return 0 }
        return Float(term.count) * BM25.idf(docFreq: info.docFreq, docCount: fieldDocumentCount)
    }

    /// Scores every document matching a term into the accumulator, term at a time.
    func accumulate(_ terms: [QueryTerm], into scratch: Scratch) {
        let scores = scratch.scores
        let n = documentCount
        normInverse.withUnsafeBufferPointer { cache in
            for term in terms {
                guard let info = term.info, let base = info.postings.baseAddress else { continue }
                let w = weight(of: term)
                guard w > 0 && w.isFinite else { continue }  // only a damaged document frequency does this
                // Scores for tf = 1 by norm, computed with the same float operations as termScore.
                var single = [Float](repeating: 0, count: 256)
                for i in 0..<256 { single[i] = BM25.termScore(weight: w, termFrequency: 1, normInverse: cache[i]) }
                let touched = scratch.touchedBuffer
                var touchedCount = scratch.touchedCount
                defer { scratch.touchedCount = touchedCount }
                let bytes = base.assumingMemoryBound(to: UInt8.self)
                let end = info.postings.count
                var p = 0
                var doc = -1
                @inline(__always) func varint() -> UInt64? { readVarint(bytes, &p, end: end) }
                while p < end {
                    guard let v = varint() else { break }
                    doc += Int(truncatingIfNeeded: v >> 1)
                    var tf: UInt64 = 1
                    if v & 1 == 0 {
                        guard let t = varint() else { break }
                        tf = t
                    }
                    guard doc >= 0 && doc < n && tf > 0 else { break }  // damaged postings: stop this term
                    let norm = Int(norms[doc])
                    let s = tf == 1 ? single[norm]
                        : BM25.termScore(weight: w, termFrequency: Float(tf), normInverse: cache[norm])
                    if scores[doc] == 0 {
                        guard touchedCount < n else { break }
                        touched[touchedCount] = UInt32(doc)
                        touchedCount += 1
                    }
                    scores[doc] += Double(s)
                }
            }
        }
    }

    /// The sort key of a touched document: ascending key = Lucene's order.
    @inline(__always)
    func key(_ doc: UInt32, _ scores: UnsafeMutablePointer<Double>) -> UInt64 {
        Self.key(score: Float(scores[Int(doc)]), idRank: idRank[Int(doc)])
    }

    /// Score descending, then id rank ascending, as one ascending integer (scores are ≥ 0).
    @inline(__always)
    static func key(score: Float, idRank: UInt32) -> UInt64 {
        UInt64(UInt32.max - score.bitPattern) << 32 | UInt64(idRank)
    }

    @inline(__always)
    static func score(ofKey key: UInt64) -> Float {
        Float(bitPattern: UInt32.max - UInt32(key >> 32))
    }

    /// Visits the hits of `query` in Lucene's order, at most `cap` of them, until `visit` returns false.
    /// Hits are selected lazily in growing batches, never by sorting every match.
    func walkHits(query: String, cap: Int, visit: (_ document: Int, _ score: Float) -> Bool) {
        let terms = queryTerms(query)
        guard terms.contains(where: { $0.info != nil }), cap > 0 else { return }
        scratch.withScratch { scratch in
            accumulate(terms, into: scratch)
            let limit = min(cap, scratch.touched.count)
            var walked = 0
            var batch = 64
            var lastKey: UInt64? = nil
            while walked < limit {
                let take = min(batch, limit - walked)
                let keys = selectSmallest(take, after: lastKey, scratch: scratch)
                for k in keys {
                    let rank = Int(k & 0xFFFF_FFFF)
                    guard rank < documentCount else { return }
                    let doc = Int(docsByID[rank])
                    guard doc < documentCount else { return }
                    walked += 1
                    if !visit(doc, Float(bitPattern: UInt32.max - UInt32(k >> 32))) { return }
                }
                guard let last = keys.last else { return }
                lastKey = last
                batch *= 4
            }
        }
    }

    /// The `count` smallest keys greater than `after`, sorted. Every document whose score is above the
    /// last walked one was already walked, so a batch first finds the `count`-th best remaining float
    /// score with a small min-heap, then builds sort keys (which need the id rank) only at or above it.
    private func selectSmallest(_ count: Int, after: UInt64?, scratch: Scratch) -> [UInt64] {
        let scores = scratch.scores
        let lastScore: Float = after.map { Float(bitPattern: UInt32.max - UInt32($0 >> 32)) } ?? .infinity
        @inline(__always) func eligible(_ d: UInt32, _ f: Float) -> Bool {
            if f < lastScore { return true }
            if f > lastScore { return false }
            guard let after else { return true }
            return key(d, scores) > after
        }
        var heap: [Float] = []
        heap.reserveCapacity(count)
        for d in scratch.touched {
            let f = Float(scores[Int(d)])
            if heap.count == count && f <= heap[0] { continue }
            guard eligible(d, f) else { continue }
            if heap.count < count {
                heap.append(f)
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) >> 1
                    if heap[parent] <= heap[i] { break }
                    heap.swapAt(parent, i)
                    i = parent
                }
            } else {
                heap[0] = f
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var smallest = i
                    if l < heap.count && heap[l] < heap[smallest] { smallest = l }
                    if r < heap.count && heap[r] < heap[smallest] { smallest = r }
                    if smallest == i { break }
                    heap.swapAt(i, smallest)
                    i = smallest
                }
            }
        }
        let threshold = heap.count < count ? -Float.infinity : heap[0]
        var keys: [UInt64] = []
        keys.reserveCapacity(count + 16)
        for d in scratch.touched {
            let f = Float(scores[Int(d)])
            if f >= threshold && eligible(d, f) { keys.append(key(d, scores)) }
        }
        keys.sort()
        if keys.count > count { keys.removeSubrange(count...) }
        return keys
    }

    /// The top `limit` hits with their scores (for parity checks against Lucene).
    public func rank(query: String, limit: Int) -> [SearchHit] {
        var hits: [SearchHit] = []
        walkHits(query: query, cap: limit) { doc, score in
            hits.append(SearchHit(document: doc, productID: productID(ofDocument: doc), score: score))
            return true
        }
        return hits
    }
}
