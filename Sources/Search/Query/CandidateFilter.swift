/// The cheap per-document filters of `find_product` (shop, required services, price range), checked
/// before a candidate is scored.
struct CandidateFilter {
    var shopOrdinal: UInt32?
    var requiredServices: UInt8
    var low: Double
    var high: Double

    /// True when every document passes (no shop, no services, an unbounded price range).
    var isTrivial: Bool { shopOrdinal == nil && requiredServices == 0 && low == -.infinity && high == .infinity }

    @inline(__always)
    func passes(_ doc: Int, in index: SearchIndex) -> Bool {
        if let shopOrdinal, index.shopOrdinals[doc] != shopOrdinal { return false }
        if index.services[doc] & requiredServices != requiredServices { return false }
        let p = index.price(doc)
        return low <= p && p <= high
    }
}
