import ArenaModel

extension SearchIndex {
    /// Runs one `find_product` request through the pruned scan and reports its terms and what the scan
    /// did (for `shoparena search query --profile`; the answer itself is `findProduct`'s).
    public func profile(_ request: FindProductRequest,
                        candidateCap: Int = FindProductLimits.defaultCandidateCap) -> SearchProfile {
        guard let query = FindProductQuery(request) else {
            return SearchProfile(terms: [], statistics: nil, fellBackToExhaustive: false, kept: 0)
        }
        let queryTerms = queryTerms(query.text)
        let terms = normInverse.withUnsafeBufferPointer { cache in
            queryTerms.enumerated().map { position, term in
                let w = weight(of: term)
                let cursor = term.info.flatMap {
                    PostingCursor(info: $0, weight: w, queryPosition: position, documentCount: documentCount, normInverse: cache)
                }
                return SearchProfile.Term(text: term.text, documentFrequency: term.info?.docFreq ?? 0, weight: w,
                                          maxScore: cursor?.maxScore ?? 0)
            }
        }
        guard let filter = candidateFilter(query), candidateCap > 0 else {
            return SearchProfile(terms: terms, statistics: nil, fellBackToExhaustive: false, kept: 0)
        }
        var statistics = ScanStatistics()
        if let kept = prunedSurvivors(query.text, filter: filter, candidateCap: candidateCap, statistics: &statistics) {
            return SearchProfile(terms: terms, statistics: statistics, fellBackToExhaustive: false, kept: kept.count)
        }
        let kept = exhaustiveSurvivors(query.text, filter: filter, candidateCap: candidateCap)
        return SearchProfile(terms: terms, statistics: statistics, fellBackToExhaustive: true, kept: kept.count)
    }
}
