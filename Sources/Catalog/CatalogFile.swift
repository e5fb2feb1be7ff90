import ArenaModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a catalog file could not be read.
public enum CatalogReadError: Error, Sendable, CustomStringConvertible {
    case file(FileAccessError)
    case line(CatalogLineError)
    case duplicateID(id: String, firstLine: Int, line: Int)

    public var description: String {
        switch self {
        case .file(let e): return e.description
        case .line(let e): return e.description
        case .duplicateID(let id, let first, let line):
            return "catalog line \(line): product_id '\(id)' already appears on line \(first)"
        }
    }
}

extension CatalogReadError {
    /// The same error with its line numbers moved down by `lines` (the lines before the range that was read).
    public func shifted(by lines: Int) -> CatalogReadError {
        switch self {
        case .file: return self
        case .line(var e):
            e.line += lines
            return .line(e)
        case .duplicateID(let id, let first, let line): return .duplicateID(id: id, firstLine: first + lines, line: line + lines)
        }
    }
}

/// Streams the documents of a JSONL catalog (ShoppingBench `documents.jsonl` form, or bare product
/// objects one per line) in constant memory. Blank lines are skipped.
public struct CatalogReader: ~Copyable {
    private var lines: LineReader

    /// Reads the whole catalog, or the lines of one range from ``LineReader/split(path:parts:)``. Line numbers
    /// (in ``lineNumber`` and in errors) then count from the range's start: ``CatalogReadError/shifted(by:)``
    /// with ``LineReader/lines(path:before:)`` turns them into the file's.
    public init(path: String, byteRange: Range<Int>? = nil) throws(CatalogReadError) {
        do {
            lines = try LineReader(path: path, byteRange: byteRange)
        } catch {
            throw .file(error)
        }
    }

    /// Bytes read so far.
    public var bytesRead: Int { lines.bytesRead }
    /// The line number of the document last returned.
    public var lineNumber: Int { lines.lineNumber }

    /// The next document, or nil at the end of the file.
    public mutating func next() throws(CatalogReadError) -> CatalogDocument? {
        while true {
            let number = lines.lineNumber + 1
            let parsed: Result<CatalogDocument?, CatalogReadError>?
            do {
                parsed = try lines.next { bytes -> Result<CatalogDocument?, CatalogReadError> in
                    if !bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) { return .success(nil) }
                    do {
                        let value = try JSONParser.parse(bytes: bytes)
                        return .success(try CatalogDocument(json: value, lineNumber: number))
                    } catch let e as JSONParseError {
                        return .failure(.line(CatalogLineError(line: number, reason: e.description)))
                    } catch let e as CatalogLineError {
                        return .failure(.line(e))
                    }
                }
            } catch let e as FileAccessError {
                throw .file(e)
            } catch {
                throw .file(.readFailed(path: lines.path, reason: "\(error)"))
            }
            guard let parsed else { return nil }
            switch parsed {
            case .success(let doc?): return doc
            case .success(nil): continue
            case .failure(let e): throw e
            }
        }
    }

    /// Reads a whole catalog into memory (for small catalogs and tests), refusing duplicate ids.
    public static func readAll(path: String) throws(CatalogReadError) -> [CatalogDocument] {
        var reader = try CatalogReader(path: path)
        var docs: [CatalogDocument] = []
        var seen: [String: Int] = [:]
        while let doc = try reader.next() {
            if let first = seen[doc.id] {
                throw .duplicateID(id: doc.id, firstLine: first, line: reader.lineNumber)
            }
            seen[doc.id] = reader.lineNumber
            docs.append(doc)
        }
        return docs
    }
}

/// Writes a JSONL catalog through a buffer; `close()` flushes and reports errors. Writes to a
/// temporary file renamed into place on close, so a crash never leaves a half-written catalog
/// under the final name.
public final class CatalogWriter {
    public let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let flushSize = 1 << 20
    public private(set) var documentsWritten = 0

    public init(path: String) throws(FileAccessError) {
        self.path = path
        self.temporaryPath = path + ".partial"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(path: temporaryPath, reason: FileAccessError.errnoText()) }
        buffer.reserveCapacity(flushSize + 65536)
    }

    deinit {
        if fd >= 0 {
            Glibc.close(fd)
            unlink(temporaryPath)
        }
    }

    public func write(_ document: CatalogDocument) throws(FileAccessError) {
        try writeLine(document.jsonLine)
    }

    /// Appends one line given as UTF-8 bytes (without the newline).
    public func writeLine(bytes: [UInt8]) throws(FileAccessError) {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        documentsWritten += 1
        if buffer.count >= flushSize { try flush() }
    }

    /// Appends pre-encoded lines (each ending in a newline); `lines` is how many they are.
    public func writeChunk(bytes: [UInt8], lines: Range<Int>) throws(FileAccessError) {
        buffer.append(contentsOf: bytes)
        documentsWritten += lines.count
        if buffer.count >= flushSize { try flush() }
    }

    public func writeLine(_ line: String) throws(FileAccessError) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        documentsWritten += 1
        if buffer.count >= flushSize { try flush() }
    }

    private func flush() throws(FileAccessError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBufferPointer { b in Glibc.write(fd, b.baseAddress! + offset, b.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: temporaryPath, reason: FileAccessError.errnoText())
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the file into place.
    public func close() throws(FileAccessError) {
        try flush()
        if fsync(fd) != 0 { throw .writeFailed(path: temporaryPath, reason: FileAccessError.errnoText()) }
        Glibc.close(fd)
        fd = -1
        if rename(temporaryPath, path) != 0 { throw .writeFailed(path: path, reason: FileAccessError.errnoText()) }
    }
}
