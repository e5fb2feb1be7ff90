import ArenaModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the builder reports while it works.
public struct IndexBuildProgress: Sendable {
    public enum Phase: String, Sendable { case indexing, sorting, renumbering, writing, done }
    public var phase: Phase
    public var documents: Int
    public var terms: Int
}

/// Numbers about a finished build.
public struct IndexBuildSummary: Sendable {
    public var documents: Int
    public var terms: Int
    public var postings: Int
    public var bytes: Int
}

/// Builds an index file from catalog documents, streamed: only the postings, the per-document columns
/// (norm, price, sold count, services, shop, id) and offsets stay in memory; product JSON goes to a side
/// file as it arrives. Writes `<path>.partial` and renames it into place at the end. Documents are
/// renumbered shortest first unless another ``IndexDocumentOrder`` is asked for.
///
/// ```swift
/// var builder = try IndexBuilder(path: "catalog.idx")
/// while let doc = try reader.next() { try builder.add(doc) }
/// let summary = try builder.finish()
/// ```
public struct IndexBuilder: ~Copyable {
    public let path: String
    private let partialPath: String
    private let storedPath: String
    private let stored: FileSink
    private let progress: ((IndexBuildProgress) -> Void)?
    private let progressEvery: Int
    private let analyzer = EnglishAnalyzer()
    private let order: IndexDocumentOrder

    private var termIDs: [String: Int32] = [:]
    private var terms: [String] = []
    private var postings: [[UInt8]] = []
    private var lastDoc: [Int32] = []
    private var docFreq: [UInt32] = []
    private var postingCount = 0

    private var norms: [UInt8] = []
    private var prices: [Double] = []
    private var soldCounts: [Int64] = []
    private var services: [UInt8] = []
    private var shopOrdinals: [UInt32] = []
    private var shopIDs: [String: UInt32] = [:]
    private var shopNames: [String] = []
    private var idBytes: [UInt8] = []
    private var idOffsets: [UInt64] = [0]
    private var storedOffsets: [UInt64] = [0]
    private var fieldDocumentCount = 0
    private var sumTotalTermFreq = 0
    private var finished = false

    /// Starts a build into `path`. `progress` is called every `progressEvery` documents and per phase.
    public init(path: String, order: IndexDocumentOrder = .shortestFirst, progressEvery: Int = 100_000,
                progress: ((IndexBuildProgress) -> Void)? = nil) throws(IndexError) {
        self.path = path
        self.order = order
        partialPath = path + ".partial"
        storedPath = path + ".stored.partial"
        stored = try FileSink(path: storedPath)
        self.progress = progress
        self.progressEvery = max(1, progressEvery)
    }

    deinit {
        if !finished {
            unlink(storedPath)
            unlink(partialPath)
        }
    }

    public var documentCount: Int { norms.count }

    /// Adds one document (its `contents` is indexed as stored; its product is stored).
    public mutating func add(_ document: CatalogDocument) throws(IndexError) {
        let doc = Int32(norms.count)
        guard norms.count < Int(Int32.max) else { throw .badCatalog(reason: "too many documents") }
        let analysed = analyzer.terms(document.contents)
        var ids: [Int32] = []
        ids.reserveCapacity(analysed.count)
        for term in analysed {
            if let id = termIDs[term] {
                ids.append(id)
            } else {
                let id = Int32(terms.count)
                termIDs[term] = id
                terms.append(term)
                postings.append([])
                lastDoc.append(-1)
                docFreq.append(0)
                ids.append(id)
            }
        }
        ids.sort()
        var i = 0
        while i < ids.count {
            var j = i + 1
            while j < ids.count && ids[j] == ids[i] { j += 1 }
            let t = Int(ids[i])
            let tf = UInt64(j - i)
            postings[t].appendPosting(delta: UInt64(doc - lastDoc[t]), tf: tf)
            lastDoc[t] = doc
            docFreq[t] += 1
            postingCount += 1
            i = j
        }
        if !analysed.isEmpty {
            fieldDocumentCount += 1
            sumTotalTermFreq += analysed.count
        }
        norms.append(SmallFloat.intToByte4(analysed.count))

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
        let json = Array(JSONWriter().string(product.json).utf8)
        try stored.write(json)
        storedOffsets.append(UInt64(stored.position))
        if norms.count % progressEvery == 0 {
            progress?(IndexBuildProgress(phase: .indexing, documents: norms.count, terms: terms.count))
        }
    }

    /// Sorts, writes the file, syncs it and renames it into place.
    public consuming func finish() throws(IndexError) -> IndexBuildSummary {
        let docCount = norms.count
        try stored.closeSynced()
        let permutation = DocumentPermutation(order: order, norms: norms)
        if !permutation.isIdentity {
            progress?(IndexBuildProgress(phase: .renumbering, documents: docCount, terms: terms.count))
            renumber(permutation)
        }
        progress?(IndexBuildProgress(phase: .sorting, documents: docCount, terms: terms.count))

        // Terms in UTF-8 byte order.
        let termUTF8 = terms.map { Array($0.utf8) }
        let termOrder = (0..<terms.count).sorted { termUTF8[$0].lexicographicallyPrecedes(termUTF8[$1]) }

        // Documents in id byte order; duplicates are refused.
        let idBytes = self.idBytes
        let idOffsets = self.idOffsets
        func idSlice(_ d: Int) -> ArraySlice<UInt8> { idBytes[Int(idOffsets[d])..<Int(idOffsets[d + 1])] }
        let docsByID = (0..<docCount).sorted { idSlice($0).lexicographicallyPrecedes(idSlice($1)) }
        var idRank = [UInt32](repeating: 0, count: docCount)
        for (rank, d) in docsByID.enumerated() {
            idRank[d] = UInt32(rank)
            if rank > 0 && idSlice(docsByID[rank - 1]) == idSlice(d) {
                throw .badCatalog(reason: "duplicate product id '\(String(decoding: idSlice(d), as: UTF8.self))'")
            }
        }

        // Shops in byte order.
        let shopOrder = (0..<shopNames.count).sorted { Array(shopNames[$0].utf8).lexicographicallyPrecedes(Array(shopNames[$1].utf8)) }
        var shopRemap = [UInt32](repeating: 0, count: shopNames.count)
        for (newOrdinal, old) in shopOrder.enumerated() { shopRemap[old] = UInt32(newOrdinal) }
        let shopOrdinals = self.shopOrdinals.map { shopRemap[Int($0)] }
        var shopBytes: [UInt8] = []
        var shopOffsets: [UInt64] = [0]
        for old in shopOrder {
            shopBytes.append(contentsOf: shopNames[old].utf8)
            shopOffsets.append(UInt64(shopBytes.count))
        }

        progress?(IndexBuildProgress(phase: .writing, documents: docCount, terms: terms.count))
        let sink = try FileSink(path: partialPath)
        try sink.write([UInt8](repeating: 0, count: IndexFormat.headerSize))
        var sections: [(offset: Int, length: Int, checksum: UInt64)] = []
        func begin() throws(IndexError) -> Int {
            try sink.align()
            sink.checksum = Checksum64()
            return sink.position
        }
        func end(_ start: Int) {
            sections.append((start, sink.position - start, sink.checksum.finalize()))
        }

        // termBytes
        var start = try begin()
        var termOffsets: [UInt64] = []
        termOffsets.reserveCapacity(terms.count + 1)
        var termOffset: UInt64 = 0
        for t in termOrder {
            termOffsets.append(termOffset)
            try sink.write(termUTF8[t])
            termOffset += UInt64(termUTF8[t].count)
        }
        end(start)
        // termEntries
        start = try begin()
        var entries: [UInt8] = []
        entries.reserveCapacity((terms.count + 1) * IndexFormat.termEntrySize)
        var postingsOffset: UInt64 = 0
        var blockOffset: UInt64 = 0
        for (rank, t) in termOrder.enumerated() {
            entries.appendLE(termOffsets[rank])
            entries.appendLE(postingsOffset)
            entries.appendLE(UInt32(termUTF8[t].count))
            entries.appendLE(docFreq[t])
            entries.appendLE(blockOffset)
            postingsOffset += UInt64(postings[t].count)
            blockOffset += UInt64((Int(docFreq[t]) + IndexFormat.blockSize - 1) / IndexFormat.blockSize)
        }
        entries.appendLE(termOffset)
        entries.appendLE(postingsOffset)
        entries.appendLE(UInt32(0))
        entries.appendLE(UInt32(0))
        entries.appendLE(blockOffset)
        try sink.write(entries)
        end(start)
        // postings
        start = try begin()
        for t in termOrder { try sink.write(postings[t]) }
        end(start)
        // termBlocks
        start = try begin()
        var blocks: [UInt8] = []
        for t in termOrder {
            guard postings[t].count <= Int(UInt32.max) else { throw .badCatalog(reason: "a postings list exceeds 4 GiB") }
            Self.appendBlocks(of: postings[t], norms: norms, to: &blocks)
            if blocks.count >= 1 << 20 {
                try sink.write(blocks)
                blocks.removeAll(keepingCapacity: true)
            }
        }
        try sink.write(blocks)
        end(start)
        postings = []

        start = try begin(); try sink.write(norms); end(start)
        start = try begin(); try sink.write(array: prices.map { $0.bitPattern }); end(start)
        start = try begin(); try sink.write(array: soldCounts); end(start)
        start = try begin(); try sink.write(services); end(start)
        start = try begin(); try sink.write(array: shopOrdinals); end(start)
        start = try begin(); try sink.write(array: shopOffsets); end(start)
        start = try begin(); try sink.write(shopBytes); end(start)
        start = try begin(); try sink.write(array: idOffsets); end(start)
        start = try begin(); try sink.write(idBytes); end(start)
        start = try begin(); try sink.write(array: docsByID.map { UInt32($0) }); end(start)
        start = try begin(); try sink.write(array: idRank); end(start)
        start = try begin(); try sink.write(array: renumberedStoredOffsets(order: permutation.oldOf)); end(start)
        // storedBytes: copied from the side file in document order.
        start = try begin()
        try copyStoredProducts(order: permutation.oldOf, to: sink)
        end(start)
        try sink.align()
        let fileSize = sink.position

        let header = IndexHeader(
            documentCount: docCount, fieldDocumentCount: fieldDocumentCount, sumTotalTermFreq: sumTotalTermFreq,
            termCount: terms.count, shopCount: shopNames.count, fileSize: fileSize,
            sections: sections.map { IndexHeader.SectionEntry(offset: $0.offset, length: $0.length, checksum: $0.checksum) })
        try sink.overwrite(at: 0, header.encoded())
        try sink.closeSynced()
        unlink(storedPath)
        guard rename(partialPath, path) == 0 else {
            throw .io(path: path, reason: "cannot rename \(partialPath): \(errnoText())")
        }
        finished = true
        progress?(IndexBuildProgress(phase: .done, documents: docCount, terms: terms.count))
        return IndexBuildSummary(documents: docCount, terms: terms.count, postings: postingCount, bytes: fileSize)
    }

    /// Puts every per-document column and every postings list into the permutation's order. The stored
    /// products stay in the side file in catalog order until they are copied.
    private mutating func renumber(_ permutation: DocumentPermutation) {
        for t in postings.indices { postings[t] = permutation.apply(postings: postings[t]) }
        norms = permutation.apply(norms)
        prices = permutation.apply(prices)
        soldCounts = permutation.apply(soldCounts)
        services = permutation.apply(services)
        shopOrdinals = permutation.apply(shopOrdinals)
        (idBytes, idOffsets) = permutation.apply(bytes: idBytes, offsets: idOffsets)
    }

    /// Offsets of the stored products once copied in `order` (old document numbers, new order).
    private func renumberedStoredOffsets(order: [Int32]) -> [UInt64] {
        var out: [UInt64] = [0]
        out.reserveCapacity(order.count + 1)
        var position: UInt64 = 0
        for old in order {
            position += storedOffsets[Int(old) + 1] - storedOffsets[Int(old)]
            out.append(position)
        }
        return out
    }

    /// Copies the stored products from the side file (catalog order) in `order`, one `pread` each (a
    /// mapping would count the whole side file as resident memory of the build).
    private func copyStoredProducts(order: [Int32], to sink: FileSink) throws(IndexError) {
        let input = open(storedPath, O_RDONLY)
        guard input >= 0 else { throw .io(path: storedPath, reason: "cannot reopen: \(errnoText())") }
        defer { close(input) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        for old in order {
            let start = Int(storedOffsets[Int(old)]), length = Int(storedOffsets[Int(old) + 1]) - start
            if length > buffer.count { buffer = [UInt8](repeating: 0, count: length) }
            var done = 0
            while done < length {
                let n = buffer.withUnsafeMutableBytes { pread(input, $0.baseAddress! + done, length - done, off_t(start + done)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw .io(path: storedPath, reason: n == 0 ? "ended early" : "read failed: \(errnoText())") }
                done += n
            }
            try buffer.withUnsafeBytes { b in
                Result { () throws(IndexError) in try sink.write(UnsafeRawBufferPointer(rebasing: b[0..<length])) }
            }.get()
        }
    }

    /// Appends the skip-block entries of one term's postings (see ``IndexFormat/blockEntrySize``).
    static func appendBlocks(of postings: [UInt8], norms: [UInt8], to out: inout [UInt8]) {
        var reader = PostingsReader(postings)
        var inBlock = 0
        var maxTf: UInt32 = 0
        var minNorm: UInt8 = 255
        while let (doc, tf) = reader.next() {
            maxTf = max(maxTf, UInt32(clamping: tf))
            minNorm = min(minNorm, norms[doc])
            inBlock += 1
            if inBlock == IndexFormat.blockSize || reader.offset == postings.count {
                out.appendLE(UInt32(doc))
                out.appendLE(UInt32(reader.offset))
                out.appendLE(maxTf)
                out.append(contentsOf: [minNorm, 0, 0, 0])
                inBlock = 0
                maxTf = 0
                minNorm = 255
            }
        }
    }

    /// Builds an index from any sequence of documents.
    public static func build<S: Sequence>(
        documents: S, into path: String, order: IndexDocumentOrder = .shortestFirst,
        progress: ((IndexBuildProgress) -> Void)? = nil
    ) throws(IndexError) -> IndexBuildSummary where S.Element == CatalogDocument {
        var builder = try IndexBuilder(path: path, order: order, progress: progress)
        for d in documents { try builder.add(d) }
        return try builder.finish()
    }
}
