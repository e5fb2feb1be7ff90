/// The on-disk layout of a ShopArena search index (little-endian, every section 8-byte aligned).
///
/// ```
/// header (fixed 512 bytes)
///   magic "SHOPIDX1", formatVersion u32, sectionCount u32,
///   documentCount, fieldDocumentCount, sumTotalTermFreq, termCount, shopCount, fileSize (u64 each),
///   sections[sectionCount] { offset u64, length u64, checksum u64 },
///   headerChecksum u64 (over every header byte before it)
/// sections (see `Section`)
/// ```
/// Postings: per term, documents ascending; each posting is `varint(delta << 1 | (tf == 1))`, followed by
/// `varint(tf)` when tf ≠ 1 (delta from the previous document + 1, the first from -1).
///
/// Version 2 adds skip blocks for dynamic pruning: every `blockSize` postings of a term form a block with
/// an entry in `termBlocks` (see ``IndexFormat/blockEntrySize``), and each term entry says where its blocks start.
enum IndexFormat {
    static let magic: [UInt8] = Array("SHOPIDX1".utf8)
    static let version: UInt32 = 2
    /// Postings per skip block (the last block of a term may be shorter).
    static let blockSize = 64
    /// { lastDoc u32, endOffset u32 (bytes from the term's first posting), maxTf u32, minNorm u8, 3 zero bytes }:
    /// `maxTf` and `minNorm` bound the BM25 score of every posting in the block for any k1 > 0, 0 ≤ b ≤ 1.
    static let blockEntrySize = 16
    static let headerSize = 512
    static let fixedHeaderFields = 8 + 4 + 4 + 6 * 8
    static let sectionEntrySize = 24

    /// The sections, in file order.
    enum Section: Int, CaseIterable {
        /// Term bytes (UTF-8), concatenated in term order.
        case termBytes
        /// `termCount + 1` entries of { termOffset u64, postingsOffset u64, termLength u32, docFreq u32,
        /// firstBlock u64 }.
        case termEntries
        case postings
        /// Skip blocks of every term, in term order (`blockEntrySize` bytes each).
        case termBlocks
        /// One SmallFloat length byte per document.
        case norms
        /// Float64 per document.
        case prices
        /// Int64 per document.
        case soldCounts
        /// Service bit set per document (bit i = `Service.allCases[i]`).
        case services
        /// u32 per document: index into the sorted shop ids.
        case shopOrdinals
        /// `shopCount + 1` u64 offsets into `shopBytes`.
        case shopOffsets
        case shopBytes
        /// `documentCount + 1` u64 offsets into `idBytes`.
        case idOffsets
        case idBytes
        /// u32 per document: document numbers in ascending id (UTF-8 byte) order.
        case docsByID
        /// u32 per document: the position of the document in `docsByID` (the tie-break rank).
        case idRank
        /// `documentCount + 1` u64 offsets into `storedBytes`.
        case storedOffsets
        /// The product objects as compact JSON.
        case storedBytes
    }

    static let termEntrySize = 32
}

/// A fast 64-bit checksum (multiply-xor over 8-byte words), streamed.
struct Checksum64 {
    private var h: UInt64 = 0x6A09_E667_F3BC_C908
    private var pending: UInt64 = 0
    private var pendingCount = 0
    private var total: UInt64 = 0

    @inline(__always)
    private mutating func mix(_ w: UInt64) {
        h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        total &+= UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while pendingCount != 0 && i < n {
            pending |= UInt64(bytes[i]) << UInt64(pendingCount * 8)
            pendingCount += 1
            i += 1
            if pendingCount == 8 {
                mix(pending)
                pending = 0
                pendingCount = 0
            }
        }
        guard let base = bytes.baseAddress else { return }
        while i + 8 <= n {
            mix(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        while i < n {
            pending |= UInt64(bytes[i]) << UInt64(pendingCount * 8)
            pendingCount += 1
            i += 1
        }
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    func finalize() -> UInt64 {
        var copy = self
        if copy.pendingCount > 0 { copy.mix(copy.pending ^ 0xFF) }
        copy.mix(total)
        return copy.h
    }
}

/// Little-endian appends to a byte array.
extension Array where Element == UInt8 {
    mutating func appendLE<T: FixedWidthInteger>(_ v: T) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }
}
