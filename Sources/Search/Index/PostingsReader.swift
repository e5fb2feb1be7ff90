/// Reads a term's postings as the builder wrote them (see ``IndexFormat``), trusting them: for build
/// time only. Query time reads through ``PostingCursor``, which checks every posting.
struct PostingsReader: IteratorProtocol {
    let bytes: [UInt8]
    /// The byte offset just after the last posting read.
    private var offset: Int
    private let end: Int
    private var doc = -1

    /// Reads the postings in `bytes[range]` (all of `bytes` by default).
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        offset = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    mutating func next() -> (doc: Int, tf: UInt64)? {
        guard offset < end else { return nil }
        let v = varint()
        doc += Int(v >> 1)
        return (doc, v & 1 == 1 ? 1 : varint())
    }

    private mutating func varint() -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends one posting: `varint(delta << 1 | (tf == 1))`, then `varint(tf)` when tf ≠ 1.
    mutating func appendPosting(delta: UInt64, tf: UInt64) {
        appendVarint(delta << 1 | (tf == 1 ? 1 : 0))
        if tf != 1 { appendVarint(tf) }
    }
}

/// Reads the varint at `p` in `bytes[..<end]` and moves `p` past it: nil when it runs past `end` or
/// past 64 bits (only damaged postings do). The query-time decoder of ``PostingCursor`` and
/// ``SearchIndex/accumulate(_:into:)``.
@inline(__always)
func readVarint(_ bytes: UnsafePointer<UInt8>, _ p: inout Int, end: Int) -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while p < end {
        let byte = bytes[p]
        p += 1
        result |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return result }
        shift += 7
        if shift > 56 { return nil }
    }
    return nil
}
