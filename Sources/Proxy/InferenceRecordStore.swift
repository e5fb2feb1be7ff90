import ArenaModel
import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A directory of recorded upstream replies, one file `<key>.json` per distinct request:
/// `{"request": <canonical request>, "status": 200, "content_type": "…", "body": "<reply text>"}`.
///
/// The key is a 64-bit FNV-1a hash (16 hex digits) of the request's canonical JSON — the whole body
/// (model, messages, sampling parameters) with object keys sorted and no whitespace. A load also compares
/// the stored canonical request, so a hash collision reads as "not recorded", never as a wrong reply.
/// Writes go through a temporary file and a rename, so parallel problems can share a directory. The
/// Authorization header is never part of the key or the file.
public struct InferenceRecordStore: Sendable {
    public let directory: URL

    /// Creates `directory` if needed (record mode).
    public static func forRecording(directory: URL) throws -> InferenceRecordStore {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return InferenceRecordStore(directory: directory)
    }

    public init(directory: URL) {
        self.directory = directory
    }

    /// The canonical JSON of a request and its hash.
    public static func key(for request: JSONValue) -> (hash: String, canonical: String) {
        let canonical = JSONWriter(sortKeys: true).string(request)
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonical.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return (String(repeating: "0", count: 16 - hex.count) + hex, canonical)
    }

    func file(_ hash: String) -> URL { directory.appendingPathComponent("\(hash).json") }

    /// Stores `reply` for `request` unless a reply is already recorded for it.
    public func save(_ reply: InferenceReply, for request: JSONValue) {
        let (hash, canonical) = Self.key(for: request)
        let target = file(hash)
        if FileManager.default.fileExists(atPath: target.path) { return }
        let record = JSONValue.object([
            ("request", (try? JSONParser.parse(canonical)) ?? .null),
            ("status", .int(Int64(reply.status))),
            ("content_type", .string(reply.contentType)),
            ("body", .string(String(buffer: reply.body))),
        ])
        let temporary = directory.appendingPathComponent(".\(hash).\(UInt64.random(in: 0...UInt64.max)).tmp")
        do {
            try Data(JSONWriter(style: .compact, sortKeys: true).string(record).utf8).write(to: temporary)
            if rename(temporary.path, target.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    /// The recorded reply for `request`, or nil.
    public func load(for request: JSONValue) -> InferenceReply? {
        let (hash, canonical) = Self.key(for: request)
        guard let data = FileManager.default.contents(atPath: file(hash).path),
            let record = try? JSONParser.parse(utf8: data),
            let stored = record["request"], JSONWriter(sortKeys: true).string(stored) == canonical,
            let status = record["status"]?.intValue, let body = record["body"]?.stringValue
        else { return nil }
        return InferenceReply(
            status: Int(status), contentType: record["content_type"]?.stringValue ?? "application/json",
            body: ByteBuffer(string: body))
    }
}
