import Foundation

/// Content-addressed storage for agent code and logs: a blob's address is the SHA-256 of its bytes, so the
/// same bytes are stored once and a stored blob can be verified on read.
public protocol BlobStore: Sendable {
    /// Stores `bytes` and returns their SHA-256 (idempotent).
    @discardableResult
    func put(_ bytes: [UInt8]) async throws(StoreError) -> String
    /// The bytes stored under `sha256`, or nil when there are none.
    func get(_ sha256: String) async throws(StoreError) -> [UInt8]?
}

/// Blobs as files under a directory, fanned out by the first two hex digits (`ab/abcdef…`). Writes go to a
/// temporary file that is renamed into place, so a crash never leaves a half-written blob under its address.
public struct FileBlobStore: BlobStore {
    /// The directory holding the fan-out folders.
    public let root: URL

    /// A store under `root`, created if needed.
    public init(root: URL) throws(StoreError) {
        self.root = root
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw .blob("cannot create the blob directory \(root.path): \(error.localizedDescription)")
        }
    }

    func url(for sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    /// Writes `bytes` under their SHA-256 (temporary file renamed into place; a present blob is kept).
    @discardableResult
    public func put(_ bytes: [UInt8]) async throws(StoreError) -> String {
        let sha = SHA256Hex.digest(bytes)
        let target = url(for: sha)
        if FileManager.default.fileExists(atPath: target.path) { return sha }
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(sha).\(UUID().uuidString).partial")
            try Data(bytes).write(to: temporary)
            if rename(temporary.path, target.path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
                throw StoreError.blob("cannot move \(temporary.path) into place (errno \(errno))")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .blob("cannot write blob \(sha): \(error.localizedDescription)")
        }
        return sha
    }

    /// Reads the blob and checks its SHA-256; nil when absent, an error when corrupt.
    public func get(_ sha256: String) async throws(StoreError) -> [UInt8]? {
        guard SHA256Hex.isValid(sha256) else { return nil }
        // A plain path and one open/read: exports read a blob per trajectory, and URL building showed in profiles.
        let path = root.path + "/" + sha256.prefix(2) + "/" + sha256
        guard let bytes = try Self.readFile(path, sha256: sha256) else { return nil }
        guard SHA256Hex.digest(bytes) == sha256 else {
            throw .blob("blob \(sha256) is corrupt on disk (its content no longer matches its address)")
        }
        return bytes
    }

    /// The whole file at `path`, or nil when it does not exist.
    static func readFile(_ path: String, sha256: String) throws(StoreError) -> [UInt8]? {
        func failure() -> StoreError { .blob("cannot read blob \(sha256): \(String(cString: strerror(errno)))") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure()
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure() }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw failure() }
            if n == 0 { return Array(bytes[..<filled]) }
            filled += n
        }
        return bytes
    }
}
