import ArenaModel
import Foundation

/// The run's per-problem results so far, and when they were last reported. Progress always sends the full
/// list (the backend treats an absent key as unchanged), at most every `interval` seconds unless forced.
actor ProgressBook {
    private var order: [String] = []
    private var entries: [String: JSONValue] = [:]
    private var lastSent: ContinuousClock.Instant?
    private var dirty = false
    let interval: Double

    init(interval: Double) { self.interval = interval }

    func set(_ problemID: String, _ entry: JSONValue) {
        if entries[problemID] == nil { order.append(problemID) }
        entries[problemID] = entry
        dirty = true
    }

    /// The full list when a report is due (or `force`), marking it sent; nil otherwise.
    func takeIfDue(force: Bool) -> [JSONValue]? {
        guard dirty else { return nil }
        if !force, let lastSent, ContinuousClock.now - lastSent < .milliseconds(Int64(interval * 1000)) { return nil }
        lastSent = .now
        dirty = false
        return order.compactMap { entries[$0] }
    }
}
