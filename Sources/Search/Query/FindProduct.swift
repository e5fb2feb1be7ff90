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

    /// The (at most 50) kept documents of a validated query, in their final order.
    public func keptDocuments(_ query: FindProductQuery, candidateCap: Int = FindProductLimits.defaultCandidateCap) -> [Int] {
        var shopOrdinal: UInt32? = nil
        if let shop = query.shopID {
            guard let ordinal = self.shopOrdinal(shop) else { return [] }
            shopOrdinal = ordinal
        }
        let required = ServiceMask(query.services).rawValue
        let low = query.minPrice ?? -.infinity
        let high = query.maxPrice ?? .infinity
        var kept: [Int] = []
        walkHits(query: query.text, cap: candidateCap) { doc, _ in
            if let shopOrdinal, shopOrdinals[doc] != shopOrdinal { return true }
            if services[doc] & required != required { return true }
            let p = price(doc)
            if !(low <= p && p <= high) { return true }
            kept.append(doc)
            return kept.count < FindProductLimits.maxResults
        }
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
