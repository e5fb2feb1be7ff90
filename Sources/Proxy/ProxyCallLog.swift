import ArenaModel
import Foundation
import Synchronization

/// The trusted per-problem call log, written by the proxy: kept in memory and, when a file is given,
/// appended to it as JSONL line by line (so a crash keeps what was logged).
public final class ProxyCallLog: Sendable {
    private let records = Mutex<[ProxyCallRecord]>([])
    private let file: Mutex<FileHandle?>

    /// `file`: JSONL path to append to (created if missing); nil keeps the log in memory only.
    public init(file: URL? = nil) throws {
        if let file {
            if !FileManager.default.fileExists(atPath: file.path) {
                _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: file)
            try handle.seekToEnd()
            self.file = Mutex(handle)
        } else {
            self.file = Mutex(nil)
        }
    }

    public func append(_ record: ProxyCallRecord) {
        records.withLock { $0.append(record) }
        let line = Data((JSONWriter().string(record.json) + "\n").utf8)
        file.withLock { handle in try? handle?.write(contentsOf: line) }
    }

    /// Everything logged so far, in arrival order.
    public var all: [ProxyCallRecord] { records.withLock { $0 } }

    public func close() {
        file.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }
}
