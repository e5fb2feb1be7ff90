import Dispatch

/// Runs `count` independent jobs on every core and returns their results in job order: CPU-bound work in
/// synchronous code (index builds), where a task group would need an async caller. Each job writes only its
/// own result slot. Blocks the calling thread, which runs jobs too, until every job is done.
public func concurrentMap<T: Sendable>(_ count: Int, _ job: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let slots = ResultSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { slots.store(job($0), at: $0) }
    return slots.take()
}

/// One slot per job: written once each, by distinct jobs, read after all of them end (hence `@unchecked`).
private final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func store(_ value: T, at index: Int) { slots[index] = value }

    func take() -> [T] { (0..<count).map { slots[$0]! } }
}
