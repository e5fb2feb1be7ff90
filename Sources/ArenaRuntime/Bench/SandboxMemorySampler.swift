import Foundation

/// Samples the peak resident memory of every sandboxed agent process (`run_harness.py`) descended from this
/// process, for `bench e2e`'s memory per sandbox. Reads `/proc` (Linux); elsewhere it finds nothing.
public final class SandboxMemorySampler: @unchecked Sendable {
    private let lock = NSLock()
    /// Peak resident kB per process seen.
    private var peaks: [Int32: Int] = [:]
    private var task: Task<Void, Never>?

    public init() {}

    /// Samples every `interval` seconds until ``stop()``.
    public func start(interval: Double = 0.2) {
        task = Task.detached { [weak self] in
            while !Task.isCancelled {
                self?.sample()
                try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            }
        }
    }

    /// Stops sampling and returns (processes seen, mean peak MiB, max peak MiB).
    public func stop() -> (processes: Int, meanMiB: Double, maxMiB: Double) {
        task?.cancel()
        lock.lock()
        let values = peaks.values.map { Double($0) / 1024 }
        lock.unlock()
        guard !values.isEmpty else { return (0, 0, 0) }
        return (values.count, values.reduce(0, +) / Double(values.count), values.max() ?? 0)
    }

    func sample() {
        let me = getpid()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name), let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                  String(decoding: cmd, as: UTF8.self).contains("run_harness"), Self.descends(pid, from: me),
                  let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            else { continue }
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
                lock.lock()
                peaks[pid] = max(peaks[pid] ?? 0, kb)
                lock.unlock()
            }
        }
    }

    static func descends(_ pid: Int32, from ancestor: Int32) -> Bool {
        var current = pid
        for _ in 0..<32 {
            guard let stat = try? String(contentsOfFile: "/proc/\(current)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]) else { return false }
            if parent == ancestor { return true }
            if parent <= 1 { return false }
            current = parent
        }
        return false
    }
}
