import ArenaModel

/// The documents of several segments numbered as one catalog (segment k's document d becomes
/// `bases[k] + d`), with one term numbering and one shop numbering. Columns are concatenated here; the
/// postings stay in the segments until ``postings(termOrder:newOf:norms:)`` merges them.
struct SegmentMerge: Sendable {
    let segments: [IndexSegment]
    /// `bases[k]` is the first merged document of segment k; `bases.last` is the document count.
    let bases: [Int]
    private(set) var terms: [String] = []
    private(set) var docFreq: [UInt32] = []
    /// `localTerms[k][g]`: segment k's number for merged term g, or -1 when its documents lack the term.
    private(set) var localTerms: [[Int32]] = []
    private(set) var norms: [UInt8] = []
    private(set) var prices: [Double] = []
    private(set) var soldCounts: [Int64] = []
    private(set) var services: [UInt8] = []
    private(set) var shopOrdinals: [UInt32] = []
    private(set) var shopNames: [String] = []
    private(set) var idBytes: [UInt8] = []
    private(set) var idOffsets: [UInt64] = [0]
    let fieldDocumentCount: Int
    let sumTotalTermFreq: Int
    let postingCount: Int

    init(_ segments: [IndexSegment]) {
        self.segments = segments
        var bases = [0]
        for s in segments { bases.append(bases[bases.count - 1] + s.documentCount) }
        self.bases = bases
        fieldDocumentCount = segments.reduce(0) { $0 + $1.fieldDocumentCount }
        sumTotalTermFreq = segments.reduce(0) { $0 + $1.sumTotalTermFreq }
        postingCount = segments.reduce(0) { $0 + $1.postingCount }
        for segment in segments { segment.seal() }
        mergeTerms()
        mergeColumns()
        for segment in segments { segment.releaseMerged() }
    }

    /// Puts every per-document column into the permutation's order, in place (the postings are renumbered
    /// when ``postings(termOrder:newOf:norms:)`` merges them).
    mutating func renumber(_ permutation: DocumentPermutation) {
        norms = permutation.apply(norms)
        prices = permutation.apply(prices)
        soldCounts = permutation.apply(soldCounts)
        services = permutation.apply(services)
        shopOrdinals = permutation.apply(shopOrdinals)
        (idBytes, idOffsets) = permutation.apply(bytes: idBytes, offsets: idOffsets)
    }

    var documentCount: Int { bases[bases.count - 1] }

    private mutating func mergeTerms() {
        guard let first = segments.first else { return }
        terms = first.terms
        docFreq = first.docFreq
        localTerms = [Array(0..<Int32(first.terms.count))]
        guard segments.count > 1 else { return }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(first.terms.count * 2)
        for (g, term) in terms.enumerated() { ids[term] = Int32(g) }
        for k in 1..<segments.count {
            let segment = segments[k]
            var map = [Int32](repeating: -1, count: terms.count)
            for (local, term) in segment.terms.enumerated() {
                let g: Int32
                if let known = ids[term] {
                    g = known
                    docFreq[Int(g)] += segment.docFreq[local]
                } else {
                    g = Int32(terms.count)
                    ids[term] = g
                    terms.append(term)
                    docFreq.append(segment.docFreq[local])
                    for j in localTerms.indices { localTerms[j].append(-1) }
                    map.append(-1)
                }
                map[Int(g)] = Int32(local)
            }
            localTerms.append(map)
        }
    }

    private mutating func mergeColumns() {
        var shopIDs: [String: UInt32] = [:]
        norms.reserveCapacity(documentCount)
        prices.reserveCapacity(documentCount)
        soldCounts.reserveCapacity(documentCount)
        services.reserveCapacity(documentCount)
        shopOrdinals.reserveCapacity(documentCount)
        idOffsets.reserveCapacity(documentCount + 1)
        for segment in segments {
            norms += segment.norms
            prices += segment.prices
            soldCounts += segment.soldCounts
            services += segment.services
            let remap = segment.shopNames.map { name -> UInt32 in
                if let known = shopIDs[name] { return known }
                let ordinal = UInt32(shopNames.count)
                shopIDs[name] = ordinal
                shopNames.append(name)
                return ordinal
            }
            shopOrdinals += segment.shopOrdinals.map { remap[Int($0)] }
            let shift = UInt64(idBytes.count)
            idBytes += segment.idBytes
            idOffsets += segment.idOffsets.dropFirst().map { $0 + shift }
        }
    }

    /// The segment holding merged document `doc`, and its number there.
    func locate(_ doc: Int) -> (segment: Int, local: Int) {
        var k = 0
        while doc >= bases[k + 1] { k += 1 }
        return (k, doc - bases[k])
    }

    /// Every term's merged postings (and skip blocks) in `termOrder`, in chunks built on all cores.
    /// `newOf` renumbers documents (nil: merged catalog order); `norms` are the final order's norms.
    func postings(termOrder: [Int], newOf: [Int32]?, norms: [UInt8]) -> [MergedPostings] {
        let chunk = 2048
        let count = (termOrder.count + chunk - 1) / chunk
        return concurrentMap(count) { c in
            var merged = MergedPostings()
            var entries: [UInt64] = []
            for rank in (c * chunk)..<min((c + 1) * chunk, termOrder.count) {
                merge(term: termOrder[rank], newOf: newOf, norms: norms, entries: &entries, into: &merged)
            }
            return merged
        }
    }

    /// Appends merged term `g`'s postings and skip blocks to `out`.
    private func merge(term g: Int, newOf: [Int32]?, norms: [UInt8], entries: inout [UInt64], into out: inout MergedPostings) {
        var parts: [PostingsPart] = []
        for k in segments.indices {
            let local = Int(localTerms[k][g])
            guard local >= 0 else { continue }
            let starts = segments[k].postingStarts
            parts.append(PostingsPart(bytes: segments[k].postingBytes, range: starts[local]..<starts[local + 1], base: bases[k]))
        }
        Self.merge(parts, newOf: newOf, norms: norms, entries: &entries, into: &out)
    }

    /// One segment's postings of a term, and the merged number of that segment's first document.
    struct PostingsPart {
        var bytes: [UInt8]
        var range: Range<Int>
        var base: Int
    }

    /// Appends one term's postings, from `parts` in document order, renumbered by `newOf` and sorted by
    /// document, and its skip blocks; `entries` is scratch space.
    static func merge(_ parts: [PostingsPart], newOf: [Int32]?, norms: [UInt8], entries: inout [UInt64],
                      into out: inout MergedPostings) {
        entries.removeAll(keepingCapacity: true)
        for part in parts {
            var reader = PostingsReader(part.bytes, range: part.range)
            while let (doc, tf) = reader.next() {
                let merged = part.base + doc
                let numbered = newOf.map { Int($0[merged]) } ?? merged
                entries.append(UInt64(UInt32(numbered)) << 32 | UInt64(UInt32(clamping: tf)))
            }
        }
        if newOf != nil { entries.sort() }
        let start = out.bytes.count
        var blocks = SkipBlockWriter()
        var last: Int64 = -1
        for e in entries {
            let doc = Int64(e >> 32), tf = e & 0xFFFF_FFFF
            out.bytes.appendPosting(delta: UInt64(doc - last), tf: tf)
            last = doc
            blocks.add(doc: Int(doc), tf: UInt32(tf), norm: norms[Int(doc)], end: out.bytes.count - start, into: &out.blocks)
        }
        blocks.finish(into: &out.blocks)
        out.lengths.append(out.bytes.count - start)
    }
}

/// A run of consecutive terms' postings as written to the index: their bytes, their skip-block entries,
/// and each term's byte length.
struct MergedPostings: Sendable {
    var bytes: [UInt8] = []
    var blocks: [UInt8] = []
    var lengths: [Int] = []
}

/// Writes the skip-block entries of one term's postings while they are encoded (see
/// ``IndexFormat/blockEntrySize``): per block of ``IndexFormat/blockSize`` postings, its last document, the
/// byte offset just after it (from the term's first posting), its largest tf and its smallest norm byte.
struct SkipBlockWriter {
    private var inBlock = 0
    private var lastDoc = 0
    private var lastEnd = 0
    private var maxTf: UInt32 = 0
    private var minNorm: UInt8 = 255

    mutating func add(doc: Int, tf: UInt32, norm: UInt8, end: Int, into out: inout [UInt8]) {
        maxTf = max(maxTf, tf)
        minNorm = min(minNorm, norm)
        lastDoc = doc
        lastEnd = end
        inBlock += 1
        if inBlock == IndexFormat.blockSize { flush(into: &out) }
    }

    /// Writes the last, partial block.
    mutating func finish(into out: inout [UInt8]) {
        if inBlock > 0 { flush(into: &out) }
    }

    private mutating func flush(into out: inout [UInt8]) {
        out.appendLE(UInt32(lastDoc))
        out.appendLE(UInt32(lastEnd))
        out.appendLE(maxTf)
        out.append(contentsOf: [minNorm, 0, 0, 0])
        inBlock = 0
        maxTf = 0
        minNorm = 255
    }
}
