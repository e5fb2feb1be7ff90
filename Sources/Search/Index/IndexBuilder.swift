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
///
/// To use every core, fill one ``IndexSegment`` per run of consecutive documents on its own thread
/// (side files from ``segmentStoredPath(for:segment:)``), then call ``finish(segments:into:order:progress:)``:
/// the file is the same as one builder fed every document in order.
public struct IndexBuilder: ~Copyable {
    public let path: String
    private let segment: IndexSegment
    private let progress: ((IndexBuildProgress) -> Void)?
    private let progressEvery: Int
    private let order: IndexDocumentOrder

    /// Starts a build into `path`. `progress` is called every `progressEvery` documents and per phase.
    public init(path: String, order: IndexDocumentOrder = .shortestFirst, progressEvery: Int = 100_000,
                progress: ((IndexBuildProgress) -> Void)? = nil) throws(IndexError) {
        self.path = path
        self.order = order
        segment = try IndexSegment(storedPath: Self.segmentStoredPath(for: path, segment: 0))
        self.progress = progress
        self.progressEvery = max(1, progressEvery)
    }

    public var documentCount: Int { segment.documentCount }

    /// Adds one document (its `contents` is indexed as stored; its product is stored).
    public mutating func add(_ document: CatalogDocument) throws(IndexError) {
        try segment.add(document)
        if segment.documentCount % progressEvery == 0 {
            progress?(IndexBuildProgress(phase: .indexing, documents: segment.documentCount, terms: segment.terms.count))
        }
    }

    /// Sorts, writes the file, syncs it and renames it into place.
    public consuming func finish() throws(IndexError) -> IndexBuildSummary {
        try Self.finish(segments: [segment], into: path, order: order, progress: progress)
    }

    /// Where segment `k` of a build into `path` keeps its products until the merge copies them.
    public static func segmentStoredPath(for path: String, segment k: Int) -> String {
        path + ".stored-\(k).partial"
    }

    /// Merges `segments` (their documents in this order), writes the index file at `path`, syncs it and
    /// renames it into place. The postings are merged and renumbered on every core. The segments' side
    /// files are removed once copied; on failure nothing is left under `path` or `path.partial`.
    public static func finish(segments: [IndexSegment], into path: String, order: IndexDocumentOrder = .shortestFirst,
                              progress: ((IndexBuildProgress) -> Void)? = nil) throws(IndexError) -> IndexBuildSummary {
        let partialPath = path + ".partial"
        do throws(IndexError) {
            let summary = try write(segments: segments, partialPath: partialPath, order: order, progress: progress)
            guard rename(partialPath, path) == 0 else {
                throw .io(path: path, reason: "cannot rename \(partialPath): \(errnoText())")
            }
            progress?(IndexBuildProgress(phase: .done, documents: summary.documents, terms: summary.terms))
            return summary
        } catch {
            unlink(partialPath)
            throw error
        }
    }

    private static func write(segments: [IndexSegment], partialPath: String, order: IndexDocumentOrder,
                              progress: ((IndexBuildProgress) -> Void)?) throws(IndexError) -> IndexBuildSummary {
        for segment in segments { try segment.closeStored() }
        var merge = SegmentMerge(segments)
        let docCount = merge.documentCount
        let termCount = merge.terms.count
        let permutation = DocumentPermutation(order: order, norms: merge.norms)
        let permuted = !permutation.isIdentity
        progress?(IndexBuildProgress(phase: .sorting, documents: docCount, terms: termCount))
        if permuted { merge.renumber(permutation) }
        let idBytes = merge.idBytes, idOffsets = merge.idOffsets

        // Terms in UTF-8 byte order.
        let (termBytes, termStarts) = ByteStringOrder.concatenated(merge.terms)
        let termOrder = ByteStringOrder.sortedIndices(bytes: termBytes, offsets: termStarts).map { Int($0) }
        func termLength(_ t: Int) -> Int { Int(termStarts[t + 1] - termStarts[t]) }

        // Documents in id byte order; duplicates are refused.
        func idSlice(_ d: Int) -> ArraySlice<UInt8> { idBytes[Int(idOffsets[d])..<Int(idOffsets[d + 1])] }
        let docsByID = ByteStringOrder.sortedIndices(bytes: idBytes, offsets: idOffsets).map { Int($0) }
        var idRank = [UInt32](repeating: 0, count: docCount)
        for (rank, d) in docsByID.enumerated() {
            idRank[d] = UInt32(rank)
            if rank > 0 && idSlice(docsByID[rank - 1]) == idSlice(d) {
                throw .badCatalog(reason: "duplicate product id '\(String(decoding: idSlice(d), as: UTF8.self))'")
            }
        }

        // Shops in byte order.
        let shopNames = merge.shopNames
        let (shopNameBytes, shopNameStarts) = ByteStringOrder.concatenated(shopNames)
        let shopOrder = ByteStringOrder.sortedIndices(bytes: shopNameBytes, offsets: shopNameStarts).map { Int($0) }
        var shopRemap = [UInt32](repeating: 0, count: shopNames.count)
        for (newOrdinal, old) in shopOrder.enumerated() { shopRemap[old] = UInt32(newOrdinal) }
        let shopOrdinals = merge.shopOrdinals.map { shopRemap[Int($0)] }
        var shopBytes: [UInt8] = []
        var shopOffsets: [UInt64] = [0]
        for old in shopOrder {
            shopBytes.append(contentsOf: shopNames[old].utf8)
            shopOffsets.append(UInt64(shopBytes.count))
        }

        progress?(IndexBuildProgress(phase: .renumbering, documents: docCount, terms: termCount))
        let chunks = merge.postings(termOrder: termOrder, newOf: permuted ? permutation.newOf : nil, norms: merge.norms)
        for segment in segments { segment.releasePostings() }

        progress?(IndexBuildProgress(phase: .writing, documents: docCount, terms: termCount))
        let sink = try FileSink(path: partialPath, writebackEvery: 128 << 20)
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
        termOffsets.reserveCapacity(termCount + 1)
        var termOffset: UInt64 = 0
        try termBytes.withUnsafeBytes { bytes in
            Result { () throws(IndexError) in
                for t in termOrder {
                    termOffsets.append(termOffset)
                    try sink.write(UnsafeRawBufferPointer(rebasing: bytes[Int(termStarts[t])..<Int(termStarts[t + 1])]))
                    termOffset += UInt64(termLength(t))
                }
            }
        }.get()
        end(start)
        // termEntries
        start = try begin()
        var entries: [UInt8] = []
        entries.reserveCapacity((termCount + 1) * IndexFormat.termEntrySize)
        var postingsOffset: UInt64 = 0
        var blockOffset: UInt64 = 0
        var rank = 0
        for chunk in chunks {
            for length in chunk.lengths {
                guard length <= Int(UInt32.max) else { throw .badCatalog(reason: "a postings list exceeds 4 GiB") }
                let t = termOrder[rank]
                entries.appendLE(termOffsets[rank])
                entries.appendLE(postingsOffset)
                entries.appendLE(UInt32(termLength(t)))
                entries.appendLE(merge.docFreq[t])
                entries.appendLE(blockOffset)
                postingsOffset += UInt64(length)
                blockOffset += UInt64((Int(merge.docFreq[t]) + IndexFormat.blockSize - 1) / IndexFormat.blockSize)
                rank += 1
            }
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
        for chunk in chunks { try sink.write(chunk.bytes) }
        end(start)
        // termBlocks
        start = try begin()
        for chunk in chunks { try sink.write(chunk.blocks) }
        end(start)

        start = try begin(); try sink.write(merge.norms); end(start)
        start = try begin(); try sink.write(array: merge.prices.map { $0.bitPattern }); end(start)
        start = try begin(); try sink.write(array: merge.soldCounts); end(start)
        start = try begin(); try sink.write(merge.services); end(start)
        start = try begin(); try sink.write(array: shopOrdinals); end(start)
        start = try begin(); try sink.write(array: shopOffsets); end(start)
        start = try begin(); try sink.write(shopBytes); end(start)
        start = try begin(); try sink.write(array: idOffsets); end(start)
        start = try begin(); try sink.write(idBytes); end(start)
        start = try begin(); try sink.write(array: docsByID.map { UInt32($0) }); end(start)
        start = try begin(); try sink.write(array: idRank); end(start)
        start = try begin(); try sink.write(array: storedOffsets(of: merge, order: permutation.oldOf)); end(start)
        // storedBytes: copied from the side files in document order.
        start = try begin()
        try copyStoredProducts(of: merge, order: permutation.oldOf, to: sink)
        end(start)
        try sink.align()
        let fileSize = sink.position

        let header = IndexHeader(
            documentCount: docCount, fieldDocumentCount: merge.fieldDocumentCount, sumTotalTermFreq: merge.sumTotalTermFreq,
            termCount: termCount, shopCount: shopNames.count, fileSize: fileSize,
            sections: sections.map { IndexHeader.SectionEntry(offset: $0.offset, length: $0.length, checksum: $0.checksum) })
        try sink.overwrite(at: 0, header.encoded())
        try sink.closeSynced()
        for segment in segments { segment.removeStored() }
        return IndexBuildSummary(documents: docCount, terms: termCount, postings: merge.postingCount, bytes: fileSize)
    }

    /// Offsets of the stored products once copied in `order` (merged document numbers, new order).
    private static func storedOffsets(of merge: SegmentMerge, order: [Int32]) -> [UInt64] {
        var out: [UInt64] = [0]
        out.reserveCapacity(order.count + 1)
        var position: UInt64 = 0
        for old in order {
            let (k, d) = merge.locate(Int(old))
            let offsets = merge.segments[k].storedOffsets
            position += offsets[d + 1] - offsets[d]
            out.append(position)
        }
        return out
    }

    /// Copies the stored products from the segments' side files in `order`, one `pread` each (a mapping
    /// would count the whole side files as resident memory of the build).
    private static func copyStoredProducts(of merge: SegmentMerge, order: [Int32], to sink: FileSink) throws(IndexError) {
        var inputs: [Int32] = []
        defer { for fd in inputs { close(fd) } }
        for segment in merge.segments {
            let fd = open(segment.storedPath, O_RDONLY)
            guard fd >= 0 else { throw .io(path: segment.storedPath, reason: "cannot reopen: \(errnoText())") }
            inputs.append(fd)
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        for old in order {
            let (k, d) = merge.locate(Int(old))
            let offsets = merge.segments[k].storedOffsets
            let start = Int(offsets[d]), length = Int(offsets[d + 1]) - start
            if length > buffer.count { buffer = [UInt8](repeating: 0, count: length) }
            var done = 0
            while done < length {
                let n = buffer.withUnsafeMutableBytes { pread(inputs[k], $0.baseAddress! + done, length - done, off_t(start + done)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw .io(path: merge.segments[k].storedPath, reason: n == 0 ? "ended early" : "read failed: \(errnoText())")
                }
                done += n
            }
            try buffer.withUnsafeBytes { b in
                Result { () throws(IndexError) in try sink.write(UnsafeRawBufferPointer(rebasing: b[0..<length])) }
            }.get()
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
