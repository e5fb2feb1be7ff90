/// Why stored log bytes could not be read as gzip.
public enum GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    case notGzip
    case truncated
    case corrupt(String)
    case checksumMismatch
    /// The data expands to more than the caller's limit (a zip bomb, or a log far larger than any real one).
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .notGzip: return "the bytes are not a gzip member (no 1f 8b header)"
        case .truncated: return "the gzip data ends early"
        case .corrupt(let why): return "the deflate data is corrupt: \(why)"
        case .checksumMismatch: return "the gzip CRC-32 or size does not match the data"
        case .tooLarge(let limit): return "the gzip data expands to more than \(limit) bytes"
        }
    }
}

/// A gzip reader (RFC 1952 around RFC 1951 deflate: stored, fixed and dynamic Huffman blocks; concatenated members),
/// so the backend reads the logs validators upload — ShopArena's (stored blocks) and any other gzip writer's —
/// without a zlib dependency.
public enum GzipReader {
    /// Whether `bytes` start with the gzip magic.
    public static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The decompressed bytes of every member, checked against each member's CRC-32 and size, at most `limit` bytes
    /// (the logs come from validators: an upload that inflates beyond it is refused, never held in memory).
    public static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) throws(GzipError) -> [UInt8] {
        guard isGzip(bytes) else { throw .notGzip }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3)
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 18 else {
                if bytes[offset...].allSatisfy({ $0 == 0 }) { break }  // zero padding after the last member
                throw .truncated
            }
            guard bytes[offset] == 0x1F, bytes[offset + 1] == 0x8B, bytes[offset + 2] == 8 else { throw .notGzip }
            let flags = bytes[offset + 3]
            var p = offset + 10
            if flags & 4 != 0 {
                guard p + 2 <= bytes.count else { throw .truncated }
                p += 2 + Int(bytes[p]) + Int(bytes[p + 1]) << 8
            }
            for bit in [UInt8(8), 16] where flags & bit != 0 {
                while p < bytes.count, bytes[p] != 0 { p += 1 }
                p += 1
            }
            if flags & 2 != 0 { p += 2 }
            guard p <= bytes.count else { throw .truncated }
            let start = output.count
            var reader = BitReader(bytes: bytes, position: p)
            try Inflater.inflate(&reader, into: &output, limit: limit)
            p = reader.alignedPosition
            guard p + 8 <= bytes.count else { throw .truncated }
            let crc = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
            let size = UInt32(bytes[p + 4]) | UInt32(bytes[p + 5]) << 8 | UInt32(bytes[p + 6]) << 16 | UInt32(bytes[p + 7]) << 24
            guard CRC32.of(output[start...]) == crc, UInt32(truncatingIfNeeded: output.count - start) == size else {
                throw .checksumMismatch
            }
            offset = p + 8
        }
        return output
    }
}

/// Bits of a byte array, least significant first (deflate's order).
struct BitReader {
    let bytes: [UInt8]
    var position: Int
    var buffer: UInt64 = 0
    var count = 0

    init(bytes: [UInt8], position: Int) {
        self.bytes = bytes
        self.position = position
    }

    mutating func bits(_ n: Int) throws(GzipError) -> Int {
        while count < n {
            guard position < bytes.count else { throw .truncated }
            buffer |= UInt64(bytes[position]) << UInt64(count)
            position += 1
            count += 8
        }
        let value = Int(buffer & ((1 << UInt64(n)) - 1))
        buffer >>= UInt64(n)
        count -= n
        return value
    }

    /// Drops the bits left of the current byte.
    mutating func alignToByte() {
        buffer = 0
        count = 0
    }

    /// The byte position after the bits consumed so far (whole unread bytes in the buffer are given back).
    var alignedPosition: Int { position - count / 8 }
}

/// A canonical Huffman code: symbols by code length, decoded one bit at a time.
struct Huffman {
    var counts: [Int]
    var symbols: [Int]

    init(lengths: [Int]) throws(GzipError) {
        counts = Array(repeating: 0, count: 16)
        for length in lengths { counts[length] += 1 }
        var left = 1
        for length in 1..<16 {
            left <<= 1
            left -= counts[length]
            if left < 0 { throw .corrupt("over-subscribed code lengths") }
        }
        var offsets = Array(repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        symbols = Array(repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[length]] = symbol
            offsets[length] += 1
        }
        counts[0] = 0
    }

    func decode(_ reader: inout BitReader) throws(GzipError) -> Int {
        var code = 0
        var first = 0
        var index = 0
        for length in 1..<16 {
            code |= try reader.bits(1)
            let count = counts[length]
            if code - first < count { return symbols[index + code - first] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw .corrupt("invalid Huffman code")
    }
}

enum Inflater {
    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                               4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    static func inflate(_ reader: inout BitReader, into output: inout [UInt8], limit: Int) throws(GzipError) {
        var last = false
        while !last {
            last = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0:
                try stored(&reader, into: &output)
                guard output.count <= limit else { throw .tooLarge(limit: limit) }
            case 1:
                let lit = try Huffman(lengths: Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112)
                    + Array(repeating: 7, count: 24) + Array(repeating: 8, count: 8))
                let dist = try Huffman(lengths: Array(repeating: 5, count: 30))
                try codes(&reader, lit, dist, into: &output, limit: limit)
            case 2:
                let (lit, dist) = try dynamicTables(&reader)
                try codes(&reader, lit, dist, into: &output, limit: limit)
            default: throw .corrupt("reserved block type")
            }
        }
    }

    static func stored(_ reader: inout BitReader, into output: inout [UInt8]) throws(GzipError) {
        reader.position = reader.alignedPosition
        reader.alignToByte()
        let p = reader.position
        guard p + 4 <= reader.bytes.count else { throw .truncated }
        let length = Int(reader.bytes[p]) | Int(reader.bytes[p + 1]) << 8
        let complement = Int(reader.bytes[p + 2]) | Int(reader.bytes[p + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw .corrupt("stored block length check") }
        guard p + 4 + length <= reader.bytes.count else { throw .truncated }
        output.append(contentsOf: reader.bytes[(p + 4)..<(p + 4 + length)])
        reader.position = p + 4 + length
    }

    static func dynamicTables(_ reader: inout BitReader) throws(GzipError) -> (Huffman, Huffman) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeCount = try reader.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .corrupt("too many codes") }
        var codeLengths = Array(repeating: 0, count: 19)
        for i in 0..<codeCount { codeLengths[codeLengthOrder[i]] = try reader.bits(3) }
        let lengthCode = try Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try lengthCode.decode(&reader)
            switch symbol {
            case 0..<16: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw .corrupt("repeat with no previous length") }
                lengths += Array(repeating: previous, count: 3 + (try reader.bits(2)))
            case 17: lengths += Array(repeating: 0, count: 3 + (try reader.bits(3)))
            default: lengths += Array(repeating: 0, count: 11 + (try reader.bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw .corrupt("code lengths overrun") }
        guard lengths[256] != 0 else { throw .corrupt("no end-of-block code") }
        return (try Huffman(lengths: Array(lengths[0..<literalCount])), try Huffman(lengths: Array(lengths[literalCount...])))
    }

    static func codes(_ reader: inout BitReader, _ literals: Huffman, _ distances: Huffman,
                      into output: inout [UInt8], limit: Int) throws(GzipError) {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                guard output.count < limit else { throw .tooLarge(limit: limit) }
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < 29 else { throw .corrupt("invalid length symbol") }
                let length = lengthBase[index] + (try reader.bits(lengthExtra[index]))
                let d = try distances.decode(&reader)
                guard d < 30 else { throw .corrupt("invalid distance symbol") }
                let distance = distanceBase[d] + (try reader.bits(distanceExtra[d]))
                guard distance <= output.count else { throw .corrupt("distance too far back") }
                let from = output.count - distance
                guard output.count + length <= limit else { throw .tooLarge(limit: limit) }
                for i in 0..<length { output.append(output[from + i]) }
            }
        }
    }
}

/// CRC-32 (IEEE 802.3), as the gzip trailer uses; eight bytes per step with eight derived tables ("slicing by 8").
enum CRC32 {
    /// `tables[0]` is the byte-wise table; `tables[k][i]` advances `tables[k-1][i]` by one more zero byte.
    static let tables: [[UInt32]] = {
        var t0 = [UInt32](repeating: 0, count: 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t0[n] = c
        }
        var all = [t0]
        for k in 1..<8 {
            all.append((0..<256).map { i in (all[k - 1][i] >> 8) ^ t0[Int(all[k - 1][i] & 0xFF)] })
        }
        return all
    }()
    static let flat: [UInt32] = tables.flatMap { $0 }

    static func of(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            flat.withUnsafeBufferPointer { t in
                var c: UInt32 = 0xFFFF_FFFF
                var i = 0
                let n = buffer.count
                while i + 8 <= n {
                    let lo = c ^ (UInt32(buffer[i]) | UInt32(buffer[i + 1]) << 8 | UInt32(buffer[i + 2]) << 16 | UInt32(buffer[i + 3]) << 24)
                    c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)] ^ t[5 * 256 + Int((lo >> 16) & 0xFF)]
                        ^ t[4 * 256 + Int(lo >> 24)] ^ t[3 * 256 + Int(buffer[i + 4])] ^ t[2 * 256 + Int(buffer[i + 5])]
                        ^ t[256 + Int(buffer[i + 6])] ^ t[Int(buffer[i + 7])]
                    i += 8
                }
                while i < n {
                    c = t[Int((c ^ UInt32(buffer[i])) & 0xFF)] ^ (c >> 8)
                    i += 1
                }
                return c ^ 0xFFFF_FFFF
            }
        }
    }
}
