import ArenaModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of consecutive catalog documents, analysed into postings and per-document columns with its own
/// term numbering and document numbers from 0. ``IndexBuilder`` merges segments in the order it is given
/// them, so segments filled on separate threads (one per core) build the same index as one segment fed
/// the whole catalog.
///
/// A segment is used by one thread at a time: it is handed to ``IndexBuilder/finish(segments:into:order:progress:)``
/// only once its filler is done (hence `@unchecked Sendable`). Product JSON goes to a side file next to the
/// index as it arrives; it is removed when the build finishes or the segment is dropped.
public final class IndexSegment: @unchecked Sendable {
    let storedPath: String
    let stored: FileSink
    private let analyzer = EnglishAnalyzer()
    private var stemmer = PorterStemmer()
    private let productEncoder = ProductJSONEncoder()
    private var storedJSON: [UInt8] = []
    /// Each token already seen (before lower-casing and stemming) with its term number, -1 for a stop word:
    /// the analysis of a token depends on the token alone, and most tokens recur, so most are analysed once.
    private var tokenTerms: [String: Int32] = [:]
    /// Tokens remembered at most (a bound on the cache's memory; later tokens are analysed each time).
    private let tokenCacheLimit: Int
    private var finished = false

    private var termIDs: [String: Int32] = [:]
    private(set) var terms: [String] = []
    /// Each term's postings while documents arrive; ``seal()`` moves them into ``postingBytes``.
    private var postings: [[UInt8]] = []
    /// After ``seal()``: term t's postings are `postingBytes[postingStarts[t]..<postingStarts[t + 1]]`.
    private(set) var postingBytes: [UInt8] = []
    private(set) var postingStarts: [Int] = []
    private var sealed = false
    private var lastDoc: [Int32] = []
    private(set) var docFreq: [UInt32] = []
    private(set) var postingCount = 0

    private(set) var norms: [UInt8] = []
    private(set) var prices: [Double] = []
    private(set) var soldCounts: [Int64] = []
    private(set) var services: [UInt8] = []
    private(set) var shopOrdinals: [UInt32] = []
    private var shopIDs: [String: UInt32] = [:]
    private(set) var shopNames: [String] = []
    private(set) var idBytes: [UInt8] = []
    private(set) var idOffsets: [UInt64] = [0]
    /// Offsets of each document's product JSON in the side file (`count + 1` entries).
    private(set) var storedOffsets: [UInt64] = [0]
    private(set) var fieldDocumentCount = 0
    private(set) var sumTotalTermFreq = 0

    /// A segment whose stored products go to the side file `storedPath` (created, truncated). It remembers
    /// the analysis of up to `tokenCacheLimit` distinct tokens (the default costs about 40 MB at most).
    public init(storedPath: String, tokenCacheLimit: Int = 400_000) throws(IndexError) {
        self.storedPath = storedPath
        self.tokenCacheLimit = tokenCacheLimit
        stored = try FileSink(path: storedPath)
    }

    deinit {
        if !finished { unlink(storedPath) }
    }

    /// Documents added so far.
    public var documentCount: Int { storedOffsets.count - 1 }

    /// Adds one document (its `contents` is indexed as stored; its product is stored).
    public func add(_ document: CatalogDocument) throws(IndexError) {
        precondition(!sealed, "IndexSegment.add after seal()")
        let doc = Int32(documentCount)
        guard documentCount < Int(Int32.max) else { throw .badCatalog(reason: "too many documents") }
        var ids: [Int32] = []
        analyzer.tokens(document.contents) { token in
            if let known = tokenTerms[token] {
                if known >= 0 { ids.append(known) }
                return
            }
            let id = EnglishAnalyzer.term(ofToken: token, stemmer: &stemmer).map(termID) ?? -1
            if tokenTerms.count < tokenCacheLimit { tokenTerms[token] = id }
            if id >= 0 { ids.append(id) }
        }
        let termCount = ids.count
        ids.sort()
        var i = 0
        while i < ids.count {
            var j = i + 1
            while j < ids.count && ids[j] == ids[i] { j += 1 }
            let t = Int(ids[i])
            postings[t].appendPosting(delta: UInt64(doc - lastDoc[t]), tf: UInt64(j - i))
            lastDoc[t] = doc
            docFreq[t] += 1
            postingCount += 1
            i = j
        }
        if termCount > 0 {
            fieldDocumentCount += 1
            sumTotalTermFreq += termCount
        }
        norms.append(SmallFloat.intToByte4(termCount))

        let product = document.product
        prices.append(product.price)
        soldCounts.append(Int64(product.soldCount))
        services.append(ServiceMask(product.service).rawValue)
        if let ordinal = shopIDs[product.shopID] {
            shopOrdinals.append(ordinal)
        } else {
            let ordinal = UInt32(shopNames.count)
            shopIDs[product.shopID] = ordinal
            shopNames.append(product.shopID)
            shopOrdinals.append(ordinal)
        }
        idBytes.append(contentsOf: document.id.utf8)
        idOffsets.append(UInt64(idBytes.count))
        storedJSON.removeAll(keepingCapacity: true)
        productEncoder.encode(product, into: &storedJSON)
        try stored.write(storedJSON)
        storedOffsets.append(UInt64(stored.position))
    }

    /// The number of `term`, given on first sight.
    private func termID(_ term: String) -> Int32 {
        if let id = termIDs[term] { return id }
        let id = Int32(terms.count)
        termIDs[term] = id
        terms.append(term)
        postings.append([])
        lastDoc.append(-1)
        docFreq.append(0)
        return id
    }

    /// Flushes and closes the side file (a scratch file: not synced); called once, by the merge.
    func closeStored() throws(IndexError) { try stored.finishWriting(sync: false) }

    /// Removes the side file once its products are copied into the index.
    func removeStored() {
        unlink(storedPath)
        finished = true
    }

    /// Ends the segment: drops the lookup tables only ``add(_:)`` needs and packs the postings into one buffer
    /// (no per-term array headers or growth slack), term by term so memory never holds both forms. The
    /// thread that filled the segment calls it; the merge calls it again, which does nothing.
    public func seal() {
        guard !sealed else { return }
        sealed = true
        tokenTerms = [:]
        termIDs = [:]
        lastDoc = []
        postingBytes.reserveCapacity(postings.reduce(0) { $0 + $1.count })
        postingStarts.reserveCapacity(postings.count + 1)
        postingStarts.append(0)
        for t in postings.indices {
            postingBytes += postings[t]
            postings[t] = []
            postingStarts.append(postingBytes.count)
        }
        postings = []
    }

    /// Drops what the merge has copied (terms and per-document columns); the side file's offsets stay.
    func releaseMerged() {
        terms = []
        docFreq = []
        norms = []
        prices = []
        soldCounts = []
        services = []
        shopOrdinals = []
        shopNames = []
        idBytes = []
        idOffsets = []
    }

    /// Drops the packed postings once the merge has rewritten them.
    func releasePostings() {
        postingBytes = []
        postingStarts = []
    }
}
