/// How ``IndexBuilder`` numbers the documents of the index it writes.
///
/// Document numbers are internal: ties between equal scores are broken by product id (the `idRank`
/// section), never by document number, so every order answers every query identically. The order only
/// changes how well the block-max bounds of the skip blocks can prune.
public enum IndexDocumentOrder: String, Sendable, CaseIterable {
    /// The catalog's order.
    case catalog
    /// Shortest `contents` first (by Lucene's one-byte length norm, then catalog order). Blocks of 64
    /// postings then hold documents of nearly one length, so a block of long documents has a low score
    /// bound and whole runs of them are skipped once the top 50 are full of short, complete matches —
    /// the slowest queries (titles made only of common words) become the cheapest to prune.
    case shortestFirst = "shortest-first"
}

/// A renumbering of documents: `newOf[old]` and `oldOf[new]`.
struct DocumentPermutation {
    let newOf: [Int32]
    let oldOf: [Int32]

    var count: Int { oldOf.count }

    /// The order `order` asks for, over documents with these norms (a stable counting sort).
    init(order: IndexDocumentOrder, norms: [UInt8]) {
        let n = norms.count
        switch order {
        case .catalog:
            oldOf = (0..<Int32(n)).map { $0 }
            newOf = oldOf
        case .shortestFirst:
            // SmallFloat norm bytes grow with the length, so ascending bytes = shortest first.
            var start = [Int](repeating: 0, count: 257)
            for b in norms { start[Int(b) + 1] += 1 }
            for i in 1...256 { start[i] += start[i - 1] }
            var old = [Int32](repeating: 0, count: n)
            var new = [Int32](repeating: 0, count: n)
            for d in 0..<n {
                let slot = start[Int(norms[d])]
                start[Int(norms[d])] += 1
                old[slot] = Int32(d)
                new[d] = Int32(slot)
            }
            oldOf = old
            newOf = new
        }
    }

    var isIdentity: Bool {
        oldOf.indices.allSatisfy { oldOf[$0] == Int32($0) }
    }

    /// A per-document column in the new order.
    func apply<T>(_ column: [T]) -> [T] {
        oldOf.map { column[Int($0)] }
    }

    /// Variable-length per-document values (`offsets` has `count + 1` entries into `bytes`) in the new
    /// order, with their new offsets.
    func apply(bytes: [UInt8], offsets: [UInt64]) -> (bytes: [UInt8], offsets: [UInt64]) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var outOffsets: [UInt64] = [0]
        outOffsets.reserveCapacity(offsets.count)
        for old in oldOf {
            out.append(contentsOf: bytes[Int(offsets[Int(old)])..<Int(offsets[Int(old) + 1])])
            outOffsets.append(UInt64(out.count))
        }
        return (out, outOffsets)
    }
}
