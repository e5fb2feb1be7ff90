/// Receives the fully scored candidates of a ``MaxScoreScan`` and tells it how good a document must be
/// to matter.
protocol ScanSink {
    /// Documents whose score is certainly below this may be skipped (−∞: nothing may be skipped).
    var threshold: Float { get }
    /// Takes a scored candidate (`key` as ``SearchIndex/key(_:_:)``); false stops the scan.
    mutating func offer(_ key: UInt64) -> Bool
}

/// The best `k` keys (smallest first when sorted), in a max-heap.
struct TopKSink: ScanSink {
    let k: Int
    private(set) var heap: [UInt64] = []
    private(set) var threshold: Float = -.infinity

    init(k: Int) {
        self.k = k
        heap.reserveCapacity(k)
    }

    mutating func offer(_ key: UInt64) -> Bool {
        if heap.count < k {
            heap.append(key)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) >> 1
                if heap[parent] >= heap[i] { break }
                heap.swapAt(parent, i)
                i = parent
            }
        } else if key < heap[0] {
            heap[0] = key
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var largest = i
                if l < heap.count && heap[l] > heap[largest] { largest = l }
                if r < heap.count && heap[r] > heap[largest] { largest = r }
                if largest == i { break }
                heap.swapAt(i, largest)
                i = largest
            }
        } else {
            return true
        }
        if heap.count == k { threshold = SearchIndex.score(ofKey: heap[0]) }
        return true
    }

    /// The kept keys, best first.
    var sorted: [UInt64] { heap.sorted() }
}

/// Counts documents ranked before `key`, stopping at `limit`.
struct CountBeforeSink: ScanSink {
    let key: UInt64
    let limit: Int
    let threshold: Float
    private(set) var count = 0

    init(key: UInt64, limit: Int) {
        self.key = key
        self.limit = limit
        threshold = SearchIndex.score(ofKey: key)
    }

    mutating func offer(_ k: UInt64) -> Bool {
        if k < key { count += 1 }
        return count < limit
    }
}
