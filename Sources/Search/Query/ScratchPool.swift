import Foundation

/// Per-query working memory: a dense score accumulator (double, as Lucene sums clause scores) and the
/// list of documents it touched, so only those are reset afterwards.
final class Scratch {
    let scores: UnsafeMutablePointer<Double>
    /// Documents with a non-zero score, in the order they were first scored (`touchedCount` of them).
    let touchedBuffer: UnsafeMutablePointer<UInt32>
    var touchedCount = 0
    let count: Int

    init(documentCount: Int) {
        count = documentCount
        scores = .allocate(capacity: max(documentCount, 1))
        scores.initialize(repeating: 0, count: max(documentCount, 1))
        touchedBuffer = .allocate(capacity: max(documentCount, 1))
    }

    deinit {
        scores.deallocate()
        touchedBuffer.deallocate()
    }

    var touched: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: touchedBuffer, count: touchedCount) }

    func reset() {
        for d in touched { scores[Int(d)] = 0 }
        touchedCount = 0
    }
}

/// A small thread-safe pool of ``Scratch`` buffers, so concurrent queries never share one and a query
/// never pays for allocating and zeroing a full accumulator.
final class ScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Scratch] = []
    private let documentCount: Int

    init(documentCount: Int) { self.documentCount = documentCount }

    func withScratch<R>(_ body: (Scratch) -> R) -> R {
        lock.lock()
        let s = free.popLast() ?? Scratch(documentCount: documentCount)
        lock.unlock()
        let result = body(s)
        s.reset()
        lock.lock()
        if free.count < 16 { free.append(s) }
        lock.unlock()
        return result
    }
}
