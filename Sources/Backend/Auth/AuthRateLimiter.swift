/// A fixed-window counter per key (e.g. "challenge:<hotkey>"): at most `limit` hits per `windowMillis`.
///
/// Kept in memory (a restart forgets it) and bounded: when more than `maxKeys` keys are live, expired
/// windows are dropped, and if none are expired the oldest window is.
actor AuthRateLimiter {
    private struct Window { var start: Int64; var count: Int }
    private var windows: [String: Window] = [:]
    let windowMillis: Int64
    let maxKeys: Int

    init(windowMillis: Int64 = 60_000, maxKeys: Int = 100_000) {
        self.windowMillis = windowMillis
        self.maxKeys = maxKeys
    }

    /// Counts one hit; returns the seconds until the window resets when the limit was already reached.
    func hit(_ key: String, limit: Int, now: Int64) -> Int64? {
        var window = windows[key] ?? Window(start: now, count: 0)
        if now - window.start >= windowMillis { window = Window(start: now, count: 0) }
        if window.count >= limit { return max(1, (window.start + windowMillis - now + 999) / 1000) }
        window.count += 1
        windows[key] = window
        if windows.count > maxKeys { prune(now: now) }
        return nil
    }

    private func prune(now: Int64) {
        windows = windows.filter { now - $0.value.start < windowMillis }
        if windows.count > maxKeys, let oldest = windows.min(by: { $0.value.start < $1.value.start }) {
            windows[oldest.key] = nil
        }
    }
}
