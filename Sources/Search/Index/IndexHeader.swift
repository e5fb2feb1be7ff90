/// The decoded fixed header of an index file.
struct IndexHeader: Equatable {
    struct SectionEntry: Equatable {
        var offset: Int
        var length: Int
        var checksum: UInt64
    }

    var documentCount: Int
    var fieldDocumentCount: Int
    var sumTotalTermFreq: Int
    var termCount: Int
    var shopCount: Int
    var fileSize: Int
    var sections: [SectionEntry]

    func encoded() -> [UInt8] {
        var out: [UInt8] = IndexFormat.magic
        out.appendLE(IndexFormat.version)
        out.appendLE(UInt32(sections.count))
        for v in [documentCount, fieldDocumentCount, sumTotalTermFreq, termCount, shopCount, fileSize] {
            out.appendLE(UInt64(v))
        }
        for s in sections {
            out.appendLE(UInt64(s.offset))
            out.appendLE(UInt64(s.length))
            out.appendLE(s.checksum)
        }
        out.append(contentsOf: [UInt8](repeating: 0, count: IndexFormat.headerSize - 8 - out.count))
        var sum = Checksum64()
        sum.update(out)
        out.appendLE(sum.finalize())
        return out
    }

    /// Decodes and checks a header read from `path` (`bytes` are the first `headerSize` bytes or fewer).
    static func decode(_ bytes: [UInt8], path: String, actualFileSize: Int) throws(IndexError) -> IndexHeader {
        guard bytes.count >= 8, Array(bytes[0..<8]) == IndexFormat.magic else {
            if bytes.count < 8, IndexFormat.magic.starts(with: bytes) {
                throw .truncated(path: path, expected: IndexFormat.headerSize, found: bytes.count)
            }
            throw .badMagic(path: path)
        }
        func u32(_ o: Int) -> UInt32 {
            bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
        }
        func u64(_ o: Int) -> UInt64 {
            bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
        }
        guard bytes.count >= 12 else { throw .truncated(path: path, expected: IndexFormat.headerSize, found: bytes.count) }
        let version = u32(8)
        guard version == IndexFormat.version else { throw .versionMismatch(found: version, expected: IndexFormat.version) }
        guard bytes.count >= IndexFormat.headerSize else {
            throw .truncated(path: path, expected: IndexFormat.headerSize, found: bytes.count)
        }
        var sum = Checksum64()
        sum.update(Array(bytes[0..<(IndexFormat.headerSize - 8)]))
        guard sum.finalize() == u64(IndexFormat.headerSize - 8) else { throw .corrupt(reason: "header checksum mismatch") }
        let sectionCount = Int(u32(12))
        guard sectionCount == IndexFormat.Section.allCases.count else {
            throw .corrupt(reason: "header lists \(sectionCount) sections, expected \(IndexFormat.Section.allCases.count)")
        }
        var fields: [Int] = []
        for i in 0..<6 {
            let v = u64(16 + i * 8)
            guard v <= UInt64(Int.max / 64) else { throw .corrupt(reason: "header field \(i) out of range") }
            fields.append(Int(v))
        }
        let fileSize = fields[5]
        if actualFileSize < fileSize {
            throw .truncated(path: path, expected: fileSize, found: actualFileSize)
        }
        guard actualFileSize == fileSize else {
            throw .corrupt(reason: "file has \(actualFileSize) bytes, header says \(fileSize)")
        }
        var sections: [SectionEntry] = []
        var previousEnd = IndexFormat.headerSize
        for i in 0..<sectionCount {
            let base = IndexFormat.fixedHeaderFields + i * IndexFormat.sectionEntrySize
            let offset = u64(base), length = u64(base + 8)
            guard offset <= UInt64(fileSize), length <= UInt64(fileSize) - offset, Int(offset) >= previousEnd,
                  offset % 8 == 0
            else { throw .corrupt(reason: "section \(i) lies outside the file") }
            previousEnd = Int(offset + length)
            sections.append(SectionEntry(offset: Int(offset), length: Int(length), checksum: u64(base + 16)))
        }
        return IndexHeader(documentCount: fields[0], fieldDocumentCount: fields[1], sumTotalTermFreq: fields[2],
                           termCount: fields[3], shopCount: fields[4], fileSize: fileSize, sections: sections)
    }
}

/// The services of a product as a bit set (bit i = `Service.allCases[i]`); unknown tokens are ignored.
struct ServiceMask: OptionSet, Hashable {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init<S: Sequence>(_ tokens: S) where S.Element == String {
        var raw: UInt8 = 0
        for t in tokens {
            if let i = ServiceMask.tokens.firstIndex(of: t) { raw |= 1 << UInt8(i) }
        }
        rawValue = raw
    }

    static let tokens = ["official", "freeShipping", "COD", "flashsale"]
}
