import ArenaModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only, memory-mapped search index (built by ``IndexBuilder``). Safe to share between tasks:
/// queries use per-call scratch space from a pool.
public final class SearchIndex: @unchecked Sendable {
    public let path: String
    public let documentCount: Int
    /// Documents with at least one indexed term (Lucene's `docCount`, the N of BM25's idf).
    public let fieldDocumentCount: Int
    public let sumTotalTermFreq: Int
    public let termCount: Int
    public let fileSize: Int
    /// BM25 parameters (Pyserini defaults).
    public let similarity: BM25
    /// `cache[norm]` for every norm byte.
    let normInverse: [Float]
    /// Whether the skip blocks' (max tf, min norm) bounds hold for `similarity`, so queries may prune
    /// (k1 > 0, 0 ≤ b ≤ 1: the term score grows with tf and shrinks with the norm byte).
    let canPrune: Bool

    private let base: UnsafeRawPointer
    private let header: IndexHeader
    let termBytes: UnsafeRawBufferPointer
    let termEntries: UnsafeRawBufferPointer
    let postings: UnsafeRawBufferPointer
    let termBlocks: UnsafeRawBufferPointer
    let norms: UnsafePointer<UInt8>
    let prices: UnsafePointer<UInt64>
    let soldCounts: UnsafePointer<Int64>
    let services: UnsafePointer<UInt8>
    let shopOrdinals: UnsafePointer<UInt32>
    let shopOffsets: UnsafePointer<UInt64>
    let shopBytes: UnsafeRawBufferPointer
    let idOffsets: UnsafePointer<UInt64>
    let idBytes: UnsafeRawBufferPointer
    let docsByID: UnsafePointer<UInt32>
    let idRank: UnsafePointer<UInt32>
    let storedOffsets: UnsafePointer<UInt64>
    let storedBytes: UnsafeRawBufferPointer
    let shopCount: Int
    let scratch: ScratchPool
    /// Kept open to read stored products with `pread` (so they never inflate resident memory).
    private let fd: Int32
    private let storedBase: Int

    /// Opens and checks an index file. With `verify` (the default) every section's checksum is checked
    /// with buffered reads (the mapping is not touched, so resident memory stays low).
    public static func open(path: String, verify: Bool = true, similarity: BM25 = BM25()) throws(IndexError) -> SearchIndex {
        try SearchIndex(path: path, verify: verify, similarity: similarity)
    }

    private init(path: String, verify: Bool, similarity: BM25) throws(IndexError) {
        self.path = path
        self.similarity = similarity
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw .io(path: path, reason: "cannot open: \(errnoText())")
        }
        var keepOpen = false
        defer { if !keepOpen { close(fd) } }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path: path, reason: "cannot stat: \(errnoText())") }
        let size = Int(st.st_size)
        var head = [UInt8](repeating: 0, count: min(size, IndexFormat.headerSize))
        let got = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        guard got == head.count else { throw .io(path: path, reason: "cannot read the header: \(errnoText())") }
        let header = try IndexHeader.decode(head, path: path, actualFileSize: size)
        self.header = header
        if verify { try Self.verifySections(fd: fd, header: header) }

        guard let map = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else {
            throw .io(path: path, reason: "mmap failed: \(errnoText())")
        }
        let base = UnsafeRawPointer(map)
        self.base = base
        fileSize = size
        documentCount = header.documentCount
        fieldDocumentCount = header.fieldDocumentCount
        sumTotalTermFreq = header.sumTotalTermFreq
        termCount = header.termCount
        shopCount = header.shopCount

        func section(_ s: IndexFormat.Section) -> UnsafeRawBufferPointer {
            let e = header.sections[s.rawValue]
            return UnsafeRawBufferPointer(start: base + e.offset, count: e.length)
        }
        let n = documentCount
        // Structural checks: every fixed-size section must have the size the counts imply.
        let expected: [(IndexFormat.Section, Int)] = [
            (.termEntries, (termCount + 1) * IndexFormat.termEntrySize), (.norms, n), (.prices, 8 * n),
            (.soldCounts, 8 * n), (.services, n), (.shopOrdinals, 4 * n), (.shopOffsets, 8 * (shopCount + 1)),
            (.idOffsets, 8 * (n + 1)), (.docsByID, 4 * n), (.idRank, 4 * n), (.storedOffsets, 8 * (n + 1)),
        ]
        for (s, bytes) in expected where header.sections[s.rawValue].length != bytes {
            munmap(map, size)
            throw .corrupt(reason: "section \(s) has \(header.sections[s.rawValue].length) bytes, expected \(bytes)")
        }
        let blockTotal = UInt64(littleEndian: section(.termEntries).loadUnaligned(
            fromByteOffset: termCount * IndexFormat.termEntrySize + 24, as: UInt64.self))
        if blockTotal > UInt64(Int.max / 64) || header.sections[IndexFormat.Section.termBlocks.rawValue].length
            != Int(blockTotal) * IndexFormat.blockEntrySize {
            munmap(map, size)
            throw .corrupt(reason: "section termBlocks does not match the term dictionary")
        }
        if fieldDocumentCount > n || sumTotalTermFreq < fieldDocumentCount {
            munmap(map, size)
            throw .corrupt(reason: "inconsistent document or term counts")
        }
        termBytes = section(.termBytes)
        termEntries = section(.termEntries)
        postings = section(.postings)
        termBlocks = section(.termBlocks)
        norms = section(.norms).baseAddress!.assumingMemoryBound(to: UInt8.self)
        prices = section(.prices).baseAddress!.assumingMemoryBound(to: UInt64.self)
        soldCounts = section(.soldCounts).baseAddress!.assumingMemoryBound(to: Int64.self)
        services = section(.services).baseAddress!.assumingMemoryBound(to: UInt8.self)
        shopOrdinals = section(.shopOrdinals).baseAddress!.assumingMemoryBound(to: UInt32.self)
        shopOffsets = section(.shopOffsets).baseAddress!.assumingMemoryBound(to: UInt64.self)
        shopBytes = section(.shopBytes)
        idOffsets = section(.idOffsets).baseAddress!.assumingMemoryBound(to: UInt64.self)
        idBytes = section(.idBytes)
        docsByID = section(.docsByID).baseAddress!.assumingMemoryBound(to: UInt32.self)
        idRank = section(.idRank).baseAddress!.assumingMemoryBound(to: UInt32.self)
        storedOffsets = section(.storedOffsets).baseAddress!.assumingMemoryBound(to: UInt64.self)
        storedBytes = section(.storedBytes)
        let avgdl = BM25.averageLength(sumTotalTermFreq: sumTotalTermFreq, docCount: fieldDocumentCount)
        normInverse = similarity.normCache(averageLength: avgdl)
        canPrune = similarity.k1 > 0 && similarity.k1.isFinite && similarity.b >= 0 && similarity.b <= 1
            && normInverse.allSatisfy { $0.isFinite && $0 > 0 }
            && zip(normInverse, normInverse.dropFirst()).allSatisfy { $0 >= $1 }
        scratch = ScratchPool(documentCount: n)
        self.fd = fd
        storedBase = header.sections[IndexFormat.Section.storedBytes.rawValue].offset
        keepOpen = true
        // Postings and columns are read at random; no read-ahead beyond the page asked for.
        madvise(map, size, MADV_RANDOM)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), fileSize)
        close(fd)
    }

    private static func verifySections(fd: Int32, header: IndexHeader) throws(IndexError) {
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        // Alignment padding between sections and at the end must be zero.
        var gapStart = IndexFormat.headerSize
        for s in header.sections + [.init(offset: header.fileSize, length: 0, checksum: 0)] {
            let gap = s.offset - gapStart
            if gap > 0 {
                guard gap <= 8 else { throw .corrupt(reason: "unexpected bytes between sections") }
                var pad = [UInt8](repeating: 0, count: gap)
                let n = pad.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, gap, off_t(gapStart)) }
                guard n == gap, pad.allSatisfy({ $0 == 0 }) else { throw .corrupt(reason: "damaged padding between sections") }
            }
            gapStart = s.offset + s.length
        }
        for (i, s) in header.sections.enumerated() {
            var sum = Checksum64()
            var done = 0
            while done < s.length {
                let want = min(buffer.count, s.length - done)
                let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, want, off_t(s.offset + done)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw .corrupt(reason: "cannot read section \(i)") }
                buffer.withUnsafeBytes { sum.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                done += n
            }
            guard sum.finalize() == s.checksum else {
                throw .corrupt(reason: "checksum mismatch in section \(IndexFormat.Section(rawValue: i).map { "\($0)" } ?? "\(i)")")
            }
        }
    }

    // MARK: Term dictionary

    struct TermInfo {
        var docFreq: Int
        var postings: UnsafeRawBufferPointer
        /// The term's skip blocks (`IndexFormat.blockEntrySize` bytes each; empty if the entry is damaged).
        var blocks: UnsafeRawBufferPointer
    }

    @inline(__always)
    private func entryU64(_ i: Int, _ field: Int) -> UInt64 {
        UInt64(littleEndian: termEntries.loadUnaligned(fromByteOffset: i * IndexFormat.termEntrySize + field, as: UInt64.self))
    }

    @inline(__always)
    private func entryU32(_ i: Int, _ field: Int) -> UInt32 {
        UInt32(littleEndian: termEntries.loadUnaligned(fromByteOffset: i * IndexFormat.termEntrySize + field, as: UInt32.self))
    }

    private func termText(_ i: Int) -> UnsafeRawBufferPointer? {
        let offset = Int(clamping: entryU64(i, 0)), length = Int(entryU32(i, 16))
        guard offset <= termBytes.count, length <= termBytes.count - offset else { return nil }
        return UnsafeRawBufferPointer(rebasing: termBytes[offset..<(offset + length)])
    }

    /// Looks a term up; nil when absent (or when the dictionary entry is out of bounds).
    func term(_ text: String) -> TermInfo? {
        var key = Array(text.utf8)
        return key.withUnsafeMutableBytes { k -> TermInfo? in
            let kb = UnsafeRawBufferPointer(k)
            var lo = 0, hi = termCount
            while lo < hi {
                let mid = (lo + hi) >> 1
                guard let t = termText(mid) else { return nil }
                let c = compareBytes(t, kb)
                if c == 0 {
                    let start = Int(clamping: entryU64(mid, 8)), end = Int(clamping: entryU64(mid + 1, 8))
                    guard start <= end, end <= postings.count else { return nil }
                    let b0 = Int(clamping: entryU64(mid, 24)), b1 = Int(clamping: entryU64(mid + 1, 24))
                    let size = IndexFormat.blockEntrySize
                    let blocks = b0 <= b1 && b1 <= termBlocks.count / size
                        ? UnsafeRawBufferPointer(rebasing: termBlocks[(b0 * size)..<(b1 * size)])
                        : UnsafeRawBufferPointer(rebasing: termBlocks[0..<0])
                    return TermInfo(docFreq: Int(entryU32(mid, 20)),
                                    postings: UnsafeRawBufferPointer(rebasing: postings[start..<end]), blocks: blocks)
                }
                if c < 0 { lo = mid + 1 } else { hi = mid }
            }
            return nil
        }
    }

    // MARK: Documents

    func idBuffer(_ doc: Int) -> UnsafeRawBufferPointer {
        let start = Int(clamping: idOffsets[doc]), end = Int(clamping: idOffsets[doc + 1])
        guard start <= end, end <= idBytes.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: idBytes[start..<end])
    }

    /// The product id of a document number.
    public func productID(ofDocument doc: Int) -> String {
        String(decoding: idBuffer(doc), as: UTF8.self)
    }

    /// The document number of a product id.
    public func document(id: String) -> Int? {
        var key = Array(id.utf8)
        return key.withUnsafeMutableBytes { k -> Int? in
            let kb = UnsafeRawBufferPointer(k)
            var lo = 0, hi = documentCount
            while lo < hi {
                let mid = (lo + hi) >> 1
                let d = Int(docsByID[mid])
                guard d < documentCount else { return nil }
                let c = compareBytes(idBuffer(d), kb)
                if c == 0 { return d }
                if c < 0 { lo = mid + 1 } else { hi = mid }
            }
            return nil
        }
    }

    /// Decodes the stored product of a document (nil if its bytes are damaged).
    public func storedProduct(ofDocument doc: Int) -> Product? {
        guard doc >= 0 && doc < documentCount else { return nil }
        let start = Int(clamping: storedOffsets[doc]), end = Int(clamping: storedOffsets[doc + 1])
        guard start <= end, end <= storedBytes.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: end - start)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(storedBase + start)) }
        guard n == end - start else { return nil }
        guard let json = try? buffer.withUnsafeBufferPointer({ b throws(JSONParseError) in try JSONParser.parse(bytes: b) }) else {
            return nil
        }
        return try? Product(json: json)
    }

    /// The shop ordinal of a shop id, nil when no product has it.
    func shopOrdinal(_ shopID: String) -> UInt32? {
        var key = Array(shopID.utf8)
        return key.withUnsafeMutableBytes { k -> UInt32? in
            let kb = UnsafeRawBufferPointer(k)
            var lo = 0, hi = shopCount
            while lo < hi {
                let mid = (lo + hi) >> 1
                let start = Int(clamping: shopOffsets[mid]), end = Int(clamping: shopOffsets[mid + 1])
                guard start <= end, end <= shopBytes.count else { return nil }
                let c = compareBytes(UnsafeRawBufferPointer(rebasing: shopBytes[start..<end]), kb)
                if c == 0 { return UInt32(mid) }
                if c < 0 { lo = mid + 1 } else { hi = mid }
            }
            return nil
        }
    }

    @inline(__always) func price(_ doc: Int) -> Double { Double(bitPattern: UInt64(littleEndian: prices[doc])) }
    @inline(__always) func soldCount(_ doc: Int) -> Int64 { Int64(littleEndian: soldCounts[doc]) }
}

/// memcmp-style comparison of two byte strings.
@inline(__always)
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0 {
        let c = memcmp(a.baseAddress!, b.baseAddress!, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}
