import ArenaModel

extension CatalogGenerator {
    /// One encoded run of consecutive products.
    struct EncodedChunk: Sendable {
        var bytes: [UInt8] = []
        var manifestLines: [String] = []
        var report = GenerationReport()
        var shops: [String] = []
    }

    static let chunkSize = 8192

    func encodeChunk(_ k: Int, total: Int) -> EncodedChunk {
        var chunk = EncodedChunk()
        let encoder = DocumentEncoder()
        let range = (k * CatalogGenerator.chunkSize)..<min((k + 1) * CatalogGenerator.chunkSize, total)
        chunk.bytes.reserveCapacity(range.count * 1100)
        var shops = Set<String>()
        for index in range {
            let (product, entry) = self.entry(at: index)
            encoder.encode(CatalogDocument(product: product), into: &chunk.bytes)
            chunk.bytes.append(0x0A)
            shops.insert(product.shopID)
            if let entry {
                chunk.manifestLines.append(entry.jsonLine)
                chunk.report.count(entry)
            } else if index < coreCount {
                chunk.report.companions += 1
            } else {
                chunk.report.filler += 1
            }
        }
        chunk.shops = Array(shops)
        return chunk
    }

    /// Like ``generate(into:manifest:progress:)`` but encodes chunks of products on `parallelism`
    /// concurrent tasks; the output is byte-identical (chunks are written in index order).
    public func generate(into writer: CatalogWriter, manifest: CatalogWriter? = nil, parallelism: Int,
                         progress: (Int, Int) -> Void = { _, _ in }) async throws -> GenerationReport {
        let total = count
        let chunks = (total + CatalogGenerator.chunkSize - 1) / CatalogGenerator.chunkSize
        let window = max(1, parallelism) * 2
        var report = GenerationReport()
        report.warnings = warnings
        var shops = Set<String>()
        var written = 0
        var lastProgress = 0
        try await withThrowingTaskGroup(of: (Int, EncodedChunk).self) { group in
            var next = 0
            var pending: [Int: EncodedChunk] = [:]
            var writeIndex = 0
            while next < min(window, chunks) {
                let k = next
                group.addTask { (k, self.encodeChunk(k, total: total)) }
                next += 1
            }
            while let (k, chunk) = try await group.next() {
                pending[k] = chunk
                while let ready = pending.removeValue(forKey: writeIndex) {
                    try writer.writeChunk(bytes: ready.bytes, lines: (writeIndex * CatalogGenerator.chunkSize)..<min((writeIndex + 1) * CatalogGenerator.chunkSize, total))
                    for line in ready.manifestLines { try manifest?.writeLine(line) }
                    report.merge(ready.report)
                    shops.formUnion(ready.shops)
                    written = min((writeIndex + 1) * CatalogGenerator.chunkSize, total)
                    if written - lastProgress >= 100_000 {
                        progress(written, total)
                        lastProgress = written
                    }
                    writeIndex += 1
                    if next < chunks {
                        let k = next
                        group.addTask { (k, self.encodeChunk(k, total: total)) }
                        next += 1
                    }
                }
            }
        }
        try writer.close()
        try manifest?.close()
        progress(total, total)
        report.products = total
        report.shops = shops.count
        return report
    }
}

extension GenerationReport {
    mutating func count(_ entry: ManifestEntry) {
        switch entry.layer {
        case .anchor: anchors += 1
        case .decoy: decoys += 1
        case .alternate: alternates += 1
        case .negative:
            negatives += 1
            if let v = entry.violates { negativesByConstraint[v, default: 0] += 1 }
        }
    }

    mutating func merge(_ other: GenerationReport) {
        anchors += other.anchors
        negatives += other.negatives
        alternates += other.alternates
        decoys += other.decoys
        companions += other.companions
        filler += other.filler
        for (k, v) in other.negativesByConstraint { negativesByConstraint[k, default: 0] += v }
    }
}
