import ArenaModel

extension SearchIndex: ProductSearching {
    /// `find_product` with ShoppingBench's candidate cap.
    public func findProduct(_ request: FindProductRequest) -> [Product] {
        findProduct(request, candidateCap: FindProductLimits.defaultCandidateCap)
    }

    /// `find_product`: walk the BM25 hits in order (at most `candidateCap` of them), keep those that pass
    /// the shop, price and service filters until 50 are kept, stable-sort those 50, return one page of 10.
    public func findProduct(_ request: FindProductRequest, candidateCap: Int) -> [Product] {
        guard let query = FindProductQuery(request) else { return [] }
        let kept = keptDocuments(query, candidateCap: candidateCap)
        let start = (query.page - 1) * FindProductLimits.pageSize
        guard start < kept.count else { return [] }
        return kept[start..<min(kept.count, start + FindProductLimits.pageSize)].compactMap { storedProduct(ofDocument: $0) }
    }

    /// The (at most 50) kept documents of a validated query, in their final order. With `pruning` (the
    /// default) the survivors come from a pruned top-k scan and equal those of the exhaustive walk.
    public func keptDocuments(_ query: FindProductQuery, candidateCap: Int = FindProductLimits.defaultCandidateCap,
                              pruning: Bool = true) -> [Int] {
        guard let filter = candidateFilter(query), candidateCap > 0 else { return [] }
        let kept = (pruning ? prunedSurvivors(query.text, filter: filter, candidateCap: candidateCap) : nil)
            ?? exhaustiveSurvivors(query.text, filter: filter, candidateCap: candidateCap)
        switch query.sort {
        case .relevance:
            return kept
        case .priceAscending:
            return stableSorted(kept) { price($0) < price($1) }
        case .priceDescending:
            return stableSorted(kept) { price($0) > price($1) }
        case .soldCountDescending:
            return stableSorted(kept) { soldCount($0) > soldCount($1) }
        }
    }

    /// The shop, price and service filter of a validated query; nil when its shop is not in the index
    /// (nothing can pass).
    func candidateFilter(_ query: FindProductQuery) -> CandidateFilter? {
        var filter = CandidateFilter(shopOrdinal: nil, requiredServices: ServiceMask(query.services).rawValue,
                                     low: query.minPrice ?? -.infinity, high: query.maxPrice ?? .infinity)
        if let shop = query.shopID {
            guard let ordinal = self.shopOrdinal(shop) else { return nil }
            filter.shopOrdinal = ordinal
        }
        return filter
    }

    /// The first 50 filter survivors among the top `candidateCap` hits, by walking every hit in order.
    func exhaustiveSurvivors(_ text: String, filter: CandidateFilter, candidateCap: Int) -> [Int] {
        var kept: [Int] = []
        walkHits(query: text, cap: candidateCap) { doc, _ in
            guard filter.passes(doc, in: self) else { return true }
            kept.append(doc)
            return kept.count < FindProductLimits.maxResults
        }
        return kept
    }

    /// The same survivors by a pruned top-50 scan over the survivors only; nil when pruning cannot prove
    /// the result equal (the last survivor may lie beyond the candidate cap, or the similarity does not
    /// allow block bounds), so the caller walks exhaustively.
    func prunedSurvivors(_ text: String, filter: CandidateFilter, candidateCap: Int, compactionStart: Int = 4096) -> [Int]? {
        var ignored = ScanStatistics()
        return prunedSurvivors(text, filter: filter, candidateCap: candidateCap, compactionStart: compactionStart,
                               statistics: &ignored)
    }

    /// ``prunedSurvivors(_:filter:candidateCap:compactionStart:)`` that also reports what its scans did.
    func prunedSurvivors(_ text: String, filter: CandidateFilter, candidateCap: Int, compactionStart: Int = 4096,
                         statistics: inout ScanStatistics) -> [Int]? {
        guard canPrune else { return nil }
        let terms = queryTerms(text)
        var cursors: [PostingCursor] = []
        var docFreqSum = 0
        normInverse.withUnsafeBufferPointer { cache in
            for (position, term) in terms.enumerated() {
                guard let info = term.info else { continue }
                let w = weight(of: term)
                guard w > 0 && w.isFinite else { continue }
                if let c = PostingCursor(info: info, weight: w, queryPosition: position, documentCount: documentCount,
                                         normInverse: cache) {
                    cursors.append(c)
                    docFreqSum += info.docFreq
                }
            }
        }
        guard !cursors.isEmpty else { return [] }
        let trivial = filter.isTrivial
        var scan = MaxScoreScan(cursors: cursors, queryTermCount: terms.count)
        // Unfiltered: the survivors are the hits, so the cap only limits how many.
        var top = TopKSink(k: trivial ? min(FindProductLimits.maxResults, candidateCap) : FindProductLimits.maxResults)
        // Without a shop filter every competitive document is scored, so the scan can also collect the
        // documents that might outrank the last survivor.
        let collect = !trivial && filter.shopOrdinal == nil && docFreqSum > candidateCap
        var competitors: [UInt64] = []
        withUnsafeMutablePointer(to: &competitors) { p in
            scan.run(index: self, filter: trivial ? nil : filter, sink: &top, competitors: collect ? p : nil,
                     compactionStart: compactionStart)
        }
        statistics.add(scan.statistics)
        let keys = top.sorted
        if !trivial, let last = keys.last {
            // Every survivor must rank within the cap among all hits; the last one is enough to check.
            let matches = scan.everyTermStayedEssential ? scan.unionVisited : docFreqSum
            if collect {
                if competitors.lazy.filter({ $0 < last }).count >= candidateCap { return nil }
            } else if matches > candidateCap {
                var counter = MaxScoreScan(cursors: cursors, queryTermCount: terms.count)
                var before = CountBeforeSink(key: last, limit: candidateCap)
                counter.run(index: self, filter: nil, sink: &before)
                statistics.add(counter.statistics)
                if before.count >= candidateCap { return nil }
            }
        }
        var docs: [Int] = []
        docs.reserveCapacity(keys.count)
        for k in keys {
            let rank = Int(k & 0xFFFF_FFFF)
            guard rank < documentCount else { return nil }
            let doc = Int(docsByID[rank])
            guard doc < documentCount else { return nil }
            docs.append(doc)
        }
        return docs
    }

    private func stableSorted(_ docs: [Int], by before: (Int, Int) -> Bool) -> [Int] {
        docs.enumerated().sorted { a, b in
            if before(a.element, b.element) { return true }
            if before(b.element, a.element) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }

    public func viewProductInformation(productIDs: String) -> [Product] {
        productsRaw(productIDs: productIDs)
    }

    public func productsRaw(productIDs: String) -> [Product] {
        productIDs.split(separator: ",", omittingEmptySubsequences: false).compactMap { raw in
            guard let id = String(raw).trimmingPythonWhitespace(), !id.isEmpty else { return nil }
            return product(id: id)
        }
    }

    public func product(id: String) -> Product? {
        document(id: id).flatMap { storedProduct(ofDocument: $0) }
    }
}
