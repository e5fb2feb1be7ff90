/// Document-at-a-time BM25 with block-max MaxScore pruning: terms are ordered by their score bound;
/// the lowest ones whose bounds together cannot reach the sink's threshold are "non-essential" and only
/// probed (with their block bounds first) for documents found in the essential ones; runs of documents
/// where the terms' block bounds together cannot reach the threshold are skipped whole. Every document the
/// sink could want is scored exactly as ``SearchIndex/accumulate(_:into:)`` does (float term scores
/// summed in double in query order, then rounded to float).
struct MaxScoreScan {
    private var cursors: [PostingCursor]
    /// `prefix[i]`: the sum of the first i cursors' bounds.
    private let prefix: [Double]
    private let queryTermCount: Int
    /// Documents visited while every term was essential.
    private(set) var unionVisited = 0
    /// True when the scan ran to the end with every term essential: `unionVisited` is then the number of
    /// matching documents.
    private(set) var everyTermStayedEssential = false
    /// What the last `run` did.
    private(set) var statistics = ScanStatistics()

    /// Non-essential terms with at most this many skip blocks are advanced to each window's first document.
    static let rareTermBlocks = 16

    init(cursors: [PostingCursor], queryTermCount: Int) {
        let sorted = cursors.sorted { ($0.maxScore, $0.queryPosition) < ($1.maxScore, $1.queryPosition) }
        self.cursors = sorted
        var prefix: [Double] = [0]
        for c in sorted { prefix.append(prefix.last! + Double(c.maxScore)) }
        self.prefix = prefix
        self.queryTermCount = queryTermCount
    }

    /// True when a document whose score is at most `bound` cannot reach `threshold`. The bound is
    /// widened by a relative 1e-9 so summation order can never matter.
    @inline(__always)
    private static func below(_ bound: Double, _ threshold: Float) -> Bool {
        Float(bound * (1 + 1e-9)) < threshold
    }

    /// Scans with the shop filter checked before scoring and the other filters after.
    ///
    /// With `competitors` (only allowed without a shop filter), the keys of every scored document that
    /// passed the threshold at that moment are collected whether or not it passes the filter, and those
    /// below the rising threshold are dropped now and then. Every document that outranks the final
    /// threshold's holder is among them: a skipped document's bound is below a threshold that never
    /// decreases.
    mutating func run<S: ScanSink>(index: SearchIndex, filter: CandidateFilter?, sink: inout S,
                                   competitors: UnsafeMutablePointer<[UInt64]>? = nil, compactionStart: Int = 4096) {
        precondition(competitors == nil || filter?.shopOrdinal == nil, "competitors need every candidate scored")
        var compactAt = max(1, compactionStart)
        let m = cursors.count
        guard m > 0 else { return }
        var contributions = [Float](repeating: 0, count: queryTermCount)
        let prefix = self.prefix
        var visited = 0
        var allEssential = true
        var completed = false
        var stats = ScanStatistics()
        stats.scans = 1
        var firstEssential = 0
        defer {
            unionVisited = visited
            everyTermStayedEssential = allEssential && completed
            stats.essentialTermsAtEnd = m - firstEssential
            statistics = stats
        }
        // Term scores at tf = 1 for every norm byte, per cursor (the common case, without a division).
        let singles = UnsafeMutablePointer<Float>.allocate(capacity: m * 256)
        defer { singles.deallocate() }
        // All terms of a document share its length, so a term's score there is at most its score at
        // the term's largest tf and that length: `lengthPrefix[n * (m + 1) + i]` sums these bounds (capped
        // by the global ones) over the first i cursors for norm byte n.
        let lengthPrefix = UnsafeMutablePointer<Double>.allocate(capacity: 256 * (m + 1))
        defer { lengthPrefix.deallocate() }
        // The current block-max window (documents where every term stays in one block): each cursor's
        // block bound and largest tf, and `windowPrefix[i]` = the sum of the first i cursors' block bounds.
        // They bound every document up to `windowLast`. Until the first window is taken they are +∞ (no
        // bound): the threshold is then −∞ and nothing is rejected; once it rises, every document is in a
        // window taken under it (a raise resets `windowLast`).
        let windowBound = UnsafeMutablePointer<Float>.allocate(capacity: m)
        windowBound.initialize(repeating: .infinity, count: m)
        defer { windowBound.deallocate() }
        let windowMaxTf = UnsafeMutablePointer<UInt32>.allocate(capacity: m)
        windowMaxTf.initialize(repeating: .max, count: m)
        defer { windowMaxTf.deallocate() }
        let windowPrefix = UnsafeMutablePointer<Double>.allocate(capacity: m + 1)
        windowPrefix.initialize(repeating: .infinity, count: m + 1)
        defer { windowPrefix.deallocate() }
        index.normInverse.withUnsafeBufferPointer { cache in
            for i in 0..<m {
                for n in 0..<256 {
                    singles[i * 256 + n] = BM25.termScore(weight: cursors[i].weight, termFrequency: 1, normInverse: cache[n])
                }
            }
            for n in 0..<256 {
                var sum: Double = 0
                lengthPrefix[n * (m + 1)] = 0
                for i in 0..<m {
                    let b = BM25.termScore(weight: cursors[i].weight, termFrequency: Float(cursors[i].maxTf), normInverse: cache[n])
                    sum += Double(min(b, cursors[i].maxScore))
                    lengthPrefix[n * (m + 1) + i + 1] = sum
                }
            }
        }
        index.normInverse.withUnsafeBufferPointer { cache in
            contributions.withUnsafeMutableBufferPointer { contrib in
                cursors.withUnsafeMutableBufferPointer { c in
                    for i in 0..<m { c[i].next() }
                    var threshold = sink.threshold
                    while firstEssential < m && Self.below(prefix[firstEssential + 1], threshold) { firstEssential += 1 }
                    // The last document of the current block-max window already found competitive.
                    var windowLast = -1
                    let shop = filter?.shopOrdinal
                    let norms = index.norms
                    /// Cursor `i`'s score at its current posting, in a document of norm byte `norm`.
                    @inline(__always) func termScore(_ i: Int, _ norm: Int) -> Float {
                        c[i].tf == 1 ? singles[i &* 256 &+ norm]
                            : BM25.termScore(weight: c[i].weight, termFrequency: Float(c[i].tf), normInverse: cache[norm])
                    }
                    while firstEssential < m {
                        if firstEssential > 0 { allEssential = false }
                        if firstEssential == m - 1 {
                            // One essential term (the common state once the threshold has risen): pass
                            // over its documents that cannot reach the threshold even with the other
                            // terms' bounds in the current window, without the general bookkeeping.
                            let e = m - 1
                            let rest = windowPrefix[e]
                            while c[e].doc <= windowLast {
                                let d = c[e].doc
                                let norm = Int(norms[d])
                                let s = termScore(e, norm)
                                guard Self.below(Double(s) + min(lengthPrefix[norm &* (m &+ 1) &+ e], rest), threshold) else { break }
                                if e == 0 { visited += 1 }
                                stats.documentsVisited &+= 1
                                c[e].next()
                            }
                        }
                        var d = PostingCursor.end
                        for i in firstEssential..<m where c[i].doc < d { d = c[i].doc }
                        if d == PostingCursor.end {
                            completed = true
                            break
                        }
                        if threshold > -.infinity && d > windowLast {
                            // Block-max: skip the window where every term stays in one block if even the
                            // block bounds together cannot reach the threshold.
                            var sum: Double = 0
                            var last = PostingCursor.end
                            windowPrefix[0] = 0
                            for i in 0..<m {
                                // A rare non-essential term is cheap to bring up to d.
                                if i < firstEssential && c[i].doc < d && c[i].blockCount <= Self.rareTermBlocks { c[i].advance(to: d) }
                                // A term whose next posting lies beyond d has none in d..<next: it adds
                                // nothing there (a rare term's one block would otherwise bound every window).
                                let w = c[i].doc > d
                                    ? (bound: Float(0), maxTf: UInt32(0), last: c[i].doc == PostingCursor.end ? PostingCursor.end : c[i].doc - 1)
                                    : c[i].window(at: d, cache)
                                windowBound[i] = w.bound
                                windowMaxTf[i] = w.maxTf
                                sum += Double(w.bound)
                                windowPrefix[i + 1] = sum
                                if w.last < last { last = w.last }
                            }
                            if Self.below(sum, threshold) {
                                allEssential = false
                                stats.windowsSkipped &+= 1
                                if last == PostingCursor.end { break }
                                for i in firstEssential..<m { c[i].advance(to: last + 1) }
                                continue
                            }
                            windowLast = last
                        }
                        if firstEssential == 0 { visited += 1 }
                        stats.documentsVisited &+= 1
                        // The shop filter is selective and cheap: check it before scoring; the other
                        // filters only for documents that score high enough.
                        if let shop, index.shopOrdinals[d] != shop {
                            for i in firstEssential..<m where c[i].doc == d { c[i].next() }
                            continue
                        }
                        let norm = Int(norms[d])
                        let normInverse = cache[norm]
                        var partial: Double = 0
                        for i in firstEssential..<m where c[i].doc == d {
                            let s = termScore(i, norm)
                            contrib[c[i].queryPosition] = s
                            partial += Double(s)
                            c[i].next()
                        }
                        var competitive = true
                        var i = firstEssential - 1
                        let bounds = lengthPrefix + norm &* (m &+ 1)
                        while i >= 0 {
                            // The remaining terms' bounds at this length, or their window's block bounds.
                            if Self.below(partial + min(bounds[i + 1], windowPrefix[i + 1]), threshold) { competitive = false; break }
                            // The window's block bound for this term, and its largest tf at this document's length.
                            let atLength = BM25.termScore(weight: c[i].weight, termFrequency: Float(windowMaxTf[i]), normInverse: normInverse)
                            let b = min(windowBound[i], atLength)
                            if Self.below(partial + Double(b) + min(bounds[i], windowPrefix[i]), threshold) { competitive = false; break }
                            c[i].advance(to: d)
                            if c[i].doc == d {
                                let s = termScore(i, norm)
                                contrib[c[i].queryPosition] = s
                                partial += Double(s)
                            }
                            i -= 1
                        }
                        if competitive {
                            stats.documentsScored &+= 1
                            var sum: Double = 0
                            for q in 0..<contrib.count where contrib[q] != 0 { sum += Double(contrib[q]) }
                            let score = Float(sum)
                            // Below the threshold the id rank cannot matter (and is not loaded).
                            if let competitors, score >= threshold {
                                competitors.pointee.append(SearchIndex.key(score: score, idRank: index.idRank[d]))
                                if competitors.pointee.count >= compactAt {
                                    let t = threshold
                                    competitors.pointee.removeAll { SearchIndex.score(ofKey: $0) < t }
                                    compactAt = max(compactAt, 2 * competitors.pointee.count)
                                }
                            }
                            if score >= threshold && (filter.map { $0.passes(d, in: index) } ?? true) {
                                let key = SearchIndex.key(score: score, idRank: index.idRank[d])
                                if !sink.offer(key) { break }
                                let t = sink.threshold
                                if t != threshold {
                                    stats.thresholdRaises &+= 1
                                    threshold = t
                                    windowLast = -1
                                    while firstEssential < m && Self.below(prefix[firstEssential + 1], threshold) { firstEssential += 1 }
                                }
                            }
                        }
                        for q in 0..<contrib.count { contrib[q] = 0 }
                    }
                }
            }
        }
    }
}
