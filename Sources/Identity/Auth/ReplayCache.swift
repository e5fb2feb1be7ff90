/// Where ``RequestVerifier`` records `(hotkey, nonce)` pairs. ``ReplayCache`` is the in-memory one (one process
/// only); the Backend's `DatabaseNonceStore` keeps them in the database, so replicas sharing it refuse each
/// other's replays.
public protocol NonceStore: Sendable {
    /// Records the pair until `expiresAt` unless it is already live at `now`; atomic per pair.
    func record(hotkey: String, nonce: String, expiresAt: Int64, now: Int64) async -> NonceRecordResult
}

/// The outcome of ``NonceStore/record(hotkey:nonce:expiresAt:now:)``.
public enum NonceRecordResult: Sendable, Equatable {
    case recorded
    /// The pair is already live: a replay.
    case duplicate
    /// The store is full of live pairs and refuses new ones.
    case full
    /// The store could not be asked (e.g. its database is down); the request is refused rather than risk a replay.
    case unavailable
}

/// Remembers `(hotkey, nonce)` pairs until they can no longer be replayed, in bounded memory.
///
/// An actor, so concurrent requests check-and-insert atomically. Entries are kept in a dictionary
/// for lookup and a min-heap by expiry for purging; both are purged lazily on each insert. When
/// `capacity` live entries exist, new pairs are refused (``NonceRecordResult/full``) rather than evicting
/// live ones, because eviction would reopen a replay window.
public actor ReplayCache: NonceStore {
    private struct Key: Hashable {
        var hotkey: String
        var nonce: String
    }

    public let capacity: Int
    private var expiries: [Key: Int64] = [:]
    private var heap: [(expiry: Int64, key: Key)] = []

    /// `capacity`: the most live pairs held (each at most ~350 bytes with a 256-character nonce).
    public init(capacity: Int = 200_000) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public func record(hotkey: String, nonce: String, expiresAt: Int64, now: Int64) -> NonceRecordResult {
        purge(now: now)
        let key = Key(hotkey: hotkey, nonce: nonce)
        if let existing = expiries[key], existing > now { return .duplicate }
        guard expiries.count < capacity else { return .full }
        expiries[key] = expiresAt
        push((expiresAt, key))
        return .recorded
    }

    /// Number of pairs held (live or not yet purged).
    public var count: Int { expiries.count }

    /// Drops every entry whose expiry is ≤ `now`.
    private func purge(now: Int64) {
        while let top = heap.first, top.expiry <= now {
            pop()
            // A re-inserted key has a newer expiry in the dictionary; only drop the matching one.
            if expiries[top.key] == top.expiry { expiries[top.key] = nil }
        }
    }

    private func push(_ item: (expiry: Int64, key: Key)) {
        heap.append(item)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].expiry < heap[parent].expiry else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private func pop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < heap.count && heap[l].expiry < heap[smallest].expiry { smallest = l }
            if r < heap.count && heap[r].expiry < heap[smallest].expiry { smallest = r }
            if smallest == i { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
