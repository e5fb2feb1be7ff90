/// Reads gzip files (RFC 1952) holding DEFLATE data (RFC 1951): stored, fixed-Huffman and dynamic-Huffman
/// blocks, several members in a row, CRC-checked.
///
/// Problem logs arrive gzip-compressed from validators — ours write stored blocks, other gzip writers
/// (Python's `gzip`, `zcat`-compatible tools) compress — and Foundation on Linux has no inflate. A canonical
/// Huffman decoder in the manner of zlib's reference `puff` is small and fast enough for logs of a few
/// hundred kilobytes; output is capped so a hostile upload cannot exhaust memory.
enum Gunzip {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case notGzip
        case truncated
        case corrupt(String)
        case tooLarge(limit: Int)

        var description: String {
            switch self {
            case .notGzip: return "not gzip data"
            case .truncated: return "the gzip data ends early"
            case .corrupt(let why): return "corrupt gzip data: \(why)"
            case .tooLarge(let limit): return "the log expands to more than \(limit) bytes"
            }
        }
    }

    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The concatenated contents of every gzip member in `bytes`, at most `limit` bytes.
    static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) throws(Failure) -> [UInt8] {
        guard isGzip(bytes) else { throw .notGzip }
        var output: [UInt8] = []
        var position = 0
        while position < bytes.count {
            guard bytes.count - position >= 18 else { throw .truncated }
            guard bytes[position] == 0x1F, bytes[position + 1] == 0x8B else {
                // Trailing zero padding after the last member is tolerated, anything else is not.
                if bytes[position...].allSatisfy({ $0 == 0 }) { break }
                throw .corrupt("garbage after a gzip member")
            }
            guard bytes[position + 2] == 8 else { throw .corrupt("compression method \(bytes[position + 2]) is not DEFLATE") }
            let flags = bytes[position + 3]
            var cursor = position + 10
            if flags & 0x04 != 0 {  // FEXTRA
                guard cursor + 2 <= bytes.count else { throw .truncated }
                cursor += 2 + Int(bytes[cursor]) + Int(bytes[cursor + 1]) << 8
            }
            for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
                while cursor < bytes.count, bytes[cursor] != 0 { cursor += 1 }
                cursor += 1
            }
            if flags & 0x02 != 0 { cursor += 2 }  // FHCRC
            guard cursor <= bytes.count else { throw .truncated }
            let start = output.count
            var inflater = Inflater(bytes: bytes, position: cursor, limit: limit)
            try inflater.run(into: &output)
            cursor = inflater.reader.bytePosition
            guard cursor + 8 <= bytes.count else { throw .truncated }
            let crc = UInt32(bytes[cursor]) | UInt32(bytes[cursor + 1]) << 8 | UInt32(bytes[cursor + 2]) << 16
                | UInt32(bytes[cursor + 3]) << 24
            let size = UInt32(bytes[cursor + 4]) | UInt32(bytes[cursor + 5]) << 8 | UInt32(bytes[cursor + 6]) << 16
                | UInt32(bytes[cursor + 7]) << 24
            let member = Array(output[start...])
            guard UInt32(truncatingIfNeeded: member.count) == size else { throw .corrupt("length check failed") }
            guard CRC32.of(member) == crc else { throw .corrupt("CRC check failed") }
            position = cursor + 8
        }
        return output
    }
}

/// CRC-32 (IEEE 802.3), as gzip's trailer uses.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func of(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// Bits of a byte array, least significant bit first (DEFLATE's order).
struct BitReader {
    let bytes: [UInt8]
    var bytePosition: Int
    private var buffer: UInt64 = 0
    private var count = 0

    init(bytes: [UInt8], position: Int) {
        self.bytes = bytes
        self.bytePosition = position
    }

    /// The next `n` (≤ 32) bits as an integer.
    mutating func bits(_ n: Int) throws(Gunzip.Failure) -> Int {
        while count < n {
            guard bytePosition < bytes.count else { throw .truncated }
            buffer |= UInt64(bytes[bytePosition]) << UInt64(count)
            bytePosition += 1
            count += 8
        }
        let value = Int(buffer & ((1 << UInt64(n)) - 1))
        buffer >>= UInt64(n)
        count -= n
        return value
    }

    /// Drops the bits left in the current byte (stored blocks start on a byte boundary).
    mutating func alignToByte() {
        buffer = 0
        count = 0
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct HuffmanCode {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int]

    init(lengths: [Int]) throws(Gunzip.Failure) {
        for length in lengths { counts[length] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            if left < 0 { throw .corrupt("over-subscribed Huffman code") }
        }
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        symbols = [Int](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[length]] = symbol
            offsets[length] += 1
        }
    }

    func decode(_ reader: inout BitReader) throws(Gunzip.Failure) -> Int {
        var code = 0, first = 0, index = 0
        for length in 1...15 {
            code |= try reader.bits(1)
            let count = counts[length]
            if code - count < first { return symbols[index + code - first] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw .corrupt("invalid Huffman code")
    }
}

/// Decodes one DEFLATE stream.
struct Inflater {
    var reader: BitReader
    let limit: Int

    init(bytes: [UInt8], position: Int, limit: Int) {
        reader = BitReader(bytes: bytes, position: position)
        self.limit = limit
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                             131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                               2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
                                13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Appends the stream's bytes to `output` and leaves `reader` at the byte after the stream.
    mutating func run(into output: inout [UInt8]) throws(Gunzip.Failure) {
        let start = output.count
        var last = false
        while !last {
            last = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0: try stored(into: &output)
            case 1: try codes(into: &output, start: start, literals: Self.fixedLiterals, distances: Self.fixedDistances)
            case 2:
                let (literals, distances) = try dynamicCodes()
                try codes(into: &output, start: start, literals: literals, distances: distances)
            default: throw .corrupt("reserved block type")
            }
        }
        reader.alignToByte()
    }

    mutating func stored(into output: inout [UInt8]) throws(Gunzip.Failure) {
        reader.alignToByte()
        let length = try reader.bits(16)
        let complement = try reader.bits(16)
        guard length == ~complement & 0xFFFF else { throw .corrupt("stored block length check failed") }
        let from = reader.bytePosition
        guard from + length <= reader.bytes.count else { throw .truncated }
        guard output.count + length <= limit else { throw .tooLarge(limit: limit) }
        output.append(contentsOf: reader.bytes[from..<(from + length)])
        reader.bytePosition = from + length
    }

    static let fixedLiterals: HuffmanCode = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return try! HuffmanCode(lengths: lengths)  // a valid code by construction (RFC 1951 §3.2.6)
    }()
    static let fixedDistances: HuffmanCode = try! HuffmanCode(lengths: [Int](repeating: 5, count: 30))

    mutating func dynamicCodes() throws(Gunzip.Failure) -> (HuffmanCode, HuffmanCode) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .corrupt("too many codes") }
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengths[Self.codeLengthOrder[i]] = try reader.bits(3) }
        let lengthCode = try HuffmanCode(lengths: codeLengths)
        var lengths: [Int] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try lengthCode.decode(&reader)
            switch symbol {
            case 0..<16: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw .corrupt("repeat with no previous length") }
                let extra = try reader.bits(2)
                lengths += [Int](repeating: previous, count: 3 + extra)
            case 17:
                let extra = try reader.bits(3)
                lengths += [Int](repeating: 0, count: 3 + extra)
            default:
                let extra = try reader.bits(7)
                lengths += [Int](repeating: 0, count: 11 + extra)
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw .corrupt("code lengths overrun") }
        guard lengths[256] != 0 else { throw .corrupt("no end-of-block code") }
        return (try HuffmanCode(lengths: Array(lengths[0..<literalCount])),
                try HuffmanCode(lengths: Array(lengths[literalCount...])))
    }

    mutating func codes(into output: inout [UInt8], start: Int, literals: HuffmanCode, distances: HuffmanCode)
        throws(Gunzip.Failure)
    {
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
                let lengthExtra = try reader.bits(Self.lengthExtra[index])
                let length = Self.lengthBase[index] + lengthExtra
                let distanceSymbol = try distances.decode(&reader)
                guard distanceSymbol < 30 else { throw .corrupt("invalid distance symbol") }
                let distanceExtra = try reader.bits(Self.distanceExtra[distanceSymbol])
                let distance = Self.distanceBase[distanceSymbol] + distanceExtra
                guard distance <= output.count - start else { throw .corrupt("distance too far back") }
                guard output.count + length <= limit else { throw .tooLarge(limit: limit) }
                var from = output.count - distance
                for _ in 0..<length {
                    output.append(output[from])
                    from += 1
                }
            }
        }
    }
}
