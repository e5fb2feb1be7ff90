import ArenaClient
import ArenaModel
import Foundation

/// Complete calls that failed transiently, kept in a JSON file so a validator restart does not lose a
/// finished evaluation. Retried after every cycle; dropped after `maxRetries` transient failures or at once
/// when the backend says the run is gone, not ours or already complete.
public actor RetryQueue {
    /// One pending `complete`: the run, the body to send again and how often it was tried.
    public struct Entry: Sendable, Equatable {
        /// The run to complete.
        public var evalRunID: String
        /// The `complete` body, sent again as it was.
        public var body: JSONValue
        /// When the entry was queued, Unix seconds.
        public var addedAt: Double
        /// Transient failures so far.
        public var retryCount: Int
    }

    /// The JSON file the queue persists to (nil: memory only).
    public let path: URL?
    /// Transient failures after which an entry is dropped.
    public let maxRetries: Int
    /// The pending entries, oldest first.
    public private(set) var entries: [Entry] = []

    /// `path` nil keeps the queue in memory only (tests).
    public init(path: URL?, maxRetries: Int = 10) {
        self.path = path
        self.maxRetries = maxRetries
        if let path, let data = try? Data(contentsOf: path), let json = try? JSONParser.parse(utf8: Array(data)),
           let list = json["pending"]?.arrayValue
        {
            entries = list.compactMap { item in
                guard let id = item["eval_run_id"]?.stringValue, let body = item["body"] else { return nil }
                return Entry(evalRunID: id, body: body, addedAt: item["added_at"]?.numberValue ?? 0,
                             retryCount: Int(item["retry_count"]?.intValue ?? 0))
            }
        }
    }

    /// Queues `body` for `evalRunID` (replacing an older entry of the same run) and persists the queue.
    public func add(evalRunID: String, body: JSONValue) {
        entries.removeAll { $0.evalRunID == evalRunID }
        entries.append(Entry(evalRunID: evalRunID, body: body, addedAt: Date().timeIntervalSince1970, retryCount: 0))
        persist()
    }

    /// Retries every entry once; returns the ids completed.
    @discardableResult
    public func drain(using client: BackendClient) async -> [String] {
        var done: [String] = []
        for entry in entries {
            do {
                _ = try await client.complete(run: entry.evalRunID, body: entry.body)
                done.append(entry.evalRunID)
                entries.removeAll { $0.evalRunID == entry.evalRunID }
            } catch {
                if error.isTransient, entry.retryCount + 1 < maxRetries {
                    if let index = entries.firstIndex(where: { $0.evalRunID == entry.evalRunID }) { entries[index].retryCount += 1 }
                } else {
                    entries.removeAll { $0.evalRunID == entry.evalRunID }
                }
            }
        }
        persist()
        return done
    }

    private func persist() {
        guard let path else { return }
        let json = JSONValue.object([("pending", .array(entries.map { entry in
            .object([("eval_run_id", .string(entry.evalRunID)), ("body", entry.body), ("added_at", .double(entry.addedAt)),
                     ("retry_count", .int(Int64(entry.retryCount))), ("type", "completion")])
        }))])
        let temporary = path.appendingPathExtension("partial")
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(JSONWriter().string(json).utf8).write(to: temporary)
            _ = rename(temporary.path, path.path)
        } catch {
            // The queue stays in memory; the next persist tries again.
        }
    }
}
