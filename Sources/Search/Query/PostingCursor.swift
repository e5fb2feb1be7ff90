/// A forward cursor over one term's postings that can skip whole blocks (document-at-a-time scoring).
///
/// Damaged postings or blocks (only possible with an unverified file) exhaust the cursor instead of
/// trapping: documents must stay in range and strictly increase.
struct PostingCursor {
    /// `doc` once the postings are exhausted.
    static let end = Int.max

    let bytes: UnsafePointer<UInt8>
    let count: Int
    /// The skip-block entries as little-endian words (`IndexFormat.blockEntrySize` / 4 per block).
    let blocks: UnsafePointer<UInt32>
    let blockCount: Int
    let documentCount: Int
    /// The term's BM25 weight (boost · idf).
    let weight: Float
    /// The position of the term in the query (scores are summed in this order, as Lucene does).
    let queryPosition: Int
    /// An upper bound of the term's score in any document.
    private(set) var maxScore: Float = 0
    /// The largest term frequency of any posting.
    private(set) var maxTf: UInt32 = 0

    private(set) var doc = -1
    private(set) var tf: UInt64 = 0
    private var p = 0
    /// A block at or before the one holding the current posting: `next()` does not keep it up to date
    /// (that would cost a load per posting); `advance(to:)` and `window(at:)` move it forward.
    private var block = 0
    /// The block last asked about by `window(at:)` (targets only grow), and its cached bound.
    private var shallow = 0
    private var shallowScored = -1
    private var shallowBound: Float = 0

    init?(info: SearchIndex.TermInfo, weight: Float, queryPosition: Int, documentCount: Int, normInverse: UnsafeBufferPointer<Float>) {
        guard let base = info.postings.baseAddress, info.postings.count > 0 else { return nil }
        bytes = base.assumingMemoryBound(to: UInt8.self)
        count = info.postings.count
        blockCount = info.blocks.count / IndexFormat.blockEntrySize
        // Sections are 8-byte aligned and entries 16 bytes long, so the words are aligned.
        guard blockCount > 0, let blockBase = info.blocks.baseAddress,
              Int(bitPattern: blockBase) % MemoryLayout<UInt32>.alignment == 0 else { return nil }
        blocks = blockBase.assumingMemoryBound(to: UInt32.self)
        self.documentCount = documentCount
        self.weight = weight
        self.queryPosition = queryPosition
        var best: Float = 0
        var tf: UInt32 = 0
        // A block whose (max tf, min norm) is dominated by the best block's (no larger tf, no shorter
        // length) cannot score higher: the float score is monotone in both. With documents numbered
        // shortest first almost every block is dominated, so few bounds are computed.
        var bestTf: UInt32 = 0
        var bestNorm = 0
        for b in 0..<blockCount {
            let blockTf = blockMaxTf(b)
            tf = max(tf, blockTf)
            let norm = blockMinNorm(b)
            if b > 0 && blockTf <= bestTf && norm >= bestNorm { continue }
            let bound = blockBound(b, normInverse)
            if b == 0 || bound > best {
                best = bound
                bestTf = blockTf
                bestNorm = norm
            }
        }
        maxScore = best
        maxTf = tf
    }

    @inline(__always) func lastDoc(_ b: Int) -> Int {
        Int(UInt32(littleEndian: blocks[b &<< 2]))
    }

    @inline(__always) func blockEnd(_ b: Int) -> Int {
        Int(UInt32(littleEndian: blocks[b &<< 2 &+ 1]))
    }

    @inline(__always) func blockMaxTf(_ b: Int) -> UInt32 {
        UInt32(littleEndian: blocks[b &<< 2 &+ 2])
    }

    /// The norm byte of the shortest document in block `b`.
    @inline(__always) func blockMinNorm(_ b: Int) -> Int {
        Int(UInt32(littleEndian: blocks[b &<< 2 &+ 3]) & 0xFF)
    }

    /// The score bound of block `b`: the term score at its largest tf and shortest length.
    @inline(__always) func blockBound(_ b: Int, _ normInverse: UnsafeBufferPointer<Float>) -> Float {
        BM25.termScore(weight: weight, termFrequency: Float(blockMaxTf(b)), normInverse: normInverse[blockMinNorm(b)])
    }

    @inline(__always) private mutating func varint() -> UInt64? {
        readVarint(bytes, &p, end: count)
    }

    @inline(__always) private mutating func exhaust() {
        doc = Self.end
        tf = 0
        p = count
    }

    /// Moves to the next posting.
    @inline(__always) mutating func next() {
        guard p < count else { return exhaust() }
        var v = UInt64(bytes[p])
        if v < 0x80 {
            // One-byte posting: a gap below 64 with tf 1 (most postings of common terms).
            p &+= 1
            if v & 1 == 1 {
                let d = doc &+ Int(truncatingIfNeeded: v >> 1)
                guard d > doc, d < documentCount else { return exhaust() }
                doc = d
                tf = 1
                return
            }
        } else {
            guard let long = varint() else { return exhaust() }
            v = long
        }
        let delta = Int(truncatingIfNeeded: v >> 1)
        var t: UInt64 = 1
        if v & 1 == 0 {
            guard let x = varint() else { return exhaust() }
            t = x
        }
        let d = doc &+ delta
        guard delta > 0 || doc < 0, d >= 0, d < documentCount, t > 0 else { return exhaust() }
        doc = d
        tf = t
    }

    /// The block that would hold `target` (≥ the current document), or nil past the last block.
    @inline(__always) func blockFor(_ target: Int) -> Int? {
        var b = block
        while b < blockCount && lastDoc(b) < target { b += 1 }
        return b < blockCount ? b : nil
    }

    /// The bound of the block that would hold `target`, its largest tf and the last document that block
    /// covers (`end` past the last block, with bound and tf 0). Targets must not decrease between calls.
    @inline(__always) mutating func window(at target: Int, _ normInverse: UnsafeBufferPointer<Float>) -> (bound: Float, maxTf: UInt32, last: Int) {
        if shallow < block { shallow = block }
        while shallow < blockCount && lastDoc(shallow) < target { shallow += 1 }
        guard shallow < blockCount else { return (0, 0, Self.end) }
        if shallowScored != shallow {
            shallowBound = blockBound(shallow, normInverse)
            shallowScored = shallow
        }
        return (shallowBound, blockMaxTf(shallow), lastDoc(shallow))
    }

    /// Moves to the first posting with a document ≥ `target`.
    @inline(__always) mutating func advance(to target: Int) {
        guard doc < target else { return }
        if block < blockCount && target > lastDoc(block) {
            guard let b = blockFor(target) else { return exhaust() }
            // Jump to the start of block b unless the cursor is already inside it (`block` may lag): its
            // deltas continue from the previous block's last document.
            let start = blockEnd(b - 1), previous = lastDoc(b - 1)
            if start > p {
                guard start <= count, previous >= doc else { return exhaust() }
                p = start
                doc = previous
            }
            block = b
        }
        repeat { next() } while doc < target
    }
}
