import ArenaModel
import Foundation

/// Appends envelopes to the output file of their sample as they complete and reports progress: one updating
/// line (done/total, passed, failed, timed out, ETA) on a terminal, one plain line per run otherwise.
public actor EnvelopeSink {
    private let handles: [FileHandle]
    private let total: Int
    private let console: Console
    private let started = ContinuousClock.now
    private var done = 0
    private var passed = 0
    private var failed = 0
    private var timedOut = 0

    /// `paths`: one envelopes file per sample, each existing already.
    public init(paths: [String], total: Int, console: Console) throws {
        handles = try paths.map { try FileHandle(forWritingTo: URL(fileURLWithPath: $0)) }
        self.total = total
        self.console = console
    }

    public func write(_ envelope: Envelope, sample: Int = 0) {
        try? handles[sample].write(contentsOf: Data((envelope.jsonLine + "\n").utf8))
        done += 1
        switch envelope.status {
        case .success?: passed += 1
        case .timedOut?: timedOut += 1
        default: failed += 1
        }
        if console.isInteractive {
            console.raw("\r\u{1B}[K" + counts + (done == total ? "\n" : ""))
            return
        }
        let time = String(format: "%.1fs", envelope.executionTime ?? 0)
        let tag = handles.count > 1 ? " (sample \(sample))" : ""
        var line = "\(counts) | \(envelope.problemID)\(tag) \(envelope.status?.rawValue ?? "?") \(time)"
        if let error = envelope.error {
            line += " \(error.type): \(error.message.split(separator: "\n").first.map(String.init)?.prefix(120) ?? "")"
        }
        console.note(line)
    }

    /// `[done/total] passed P, failed F, timed out T, ETA …`
    public var counts: String {
        let d = ContinuousClock.now - started
        let elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        let eta = done == 0 ? 0 : elapsed / Double(done) * Double(total - done)
        return "[\(done)/\(total)] passed \(passed), failed \(failed), timed out \(timedOut), ETA \(Int(eta.rounded())) s"
    }

    public func close() {
        for handle in handles { try? handle.close() }
    }
}
