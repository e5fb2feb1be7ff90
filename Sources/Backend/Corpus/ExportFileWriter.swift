import CompressNIO
import Foundation
import NIOCore

/// Why an export file could not be written.
public enum ExportWriteError: Error, Sendable, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case compression(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason):
            return "cannot create \(path): \(reason); check that the --out directory is writable"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason); check the free space of the --out directory"
        case .compression(let path, let reason):
            return "gzip failed for \(path): \(reason)"
        }
    }
}

/// A JSON-lines file written as it is produced: lines gather in a buffer of about 1 MiB that goes to disk (through
/// zlib's gzip stream when `gzip`) whenever it fills, so memory stays flat whatever the row count. zlib writes a
/// fixed gzip header (no name, no time), so the same lines give the same bytes.
final class ExportFileWriter {
    let path: String
    let gzip: Bool
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let compressor: ZlibCompressor?
    private var window: ByteBuffer
    private(set) var lines = 0
    static let flushBytes = 1 << 20

    init(path: String, gzip: Bool) throws(ExportWriteError) {
        self.path = path
        self.gzip = gzip
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw .cannotCreate(path: path, reason: "the file cannot be opened for writing")
        }
        self.handle = handle
        do {
            compressor = gzip ? try ZlibCompressor(algorithm: .gzip) : nil
        } catch {
            throw .compression(path: path, reason: "\(error)")
        }
        window = ByteBufferAllocator().buffer(capacity: 256 << 10)
        buffer.reserveCapacity(Self.flushBytes + (64 << 10))
    }

    /// Appends one line given as UTF-8 bytes (a newline is added).
    func write(bytes line: [UInt8]) throws(ExportWriteError) {
        buffer.append(contentsOf: line)
        buffer.append(0x0A)
        lines += 1
        if buffer.count >= Self.flushBytes { try flush(finish: false) }
    }

    /// Writes what is buffered and ends the gzip stream; the file is complete after this.
    func close() throws(ExportWriteError) {
        try flush(finish: true)
        do { try handle.close() } catch { throw .cannotWrite(path: path, reason: "\(error)") }
    }

    private func flush(finish: Bool) throws(ExportWriteError) {
        guard let compressor else {
            try put(buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var input = ByteBufferAllocator().buffer(capacity: buffer.count)
        input.writeBytes(buffer)
        buffer.removeAll(keepingCapacity: true)
        do {
            // Feed everything, draining the output window whenever zlib fills it.
            while input.readableBytes > 0 {
                window.clear()
                do {
                    try compressor.deflate(from: &input, to: &window, flush: .no)
                } catch let error as CompressNIOError where error == .bufferOverflow {}
                try drainWindow()
            }
            guard finish else { return }
            while true {
                window.clear()
                do {
                    try compressor.deflate(from: &input, to: &window, flush: .finish)
                    try drainWindow()
                    return
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    try drainWindow()
                }
            }
        } catch let error as ExportWriteError {
            throw error
        } catch {
            throw .compression(path: path, reason: "\(error)")
        }
    }

    private func drainWindow() throws(ExportWriteError) {
        guard window.readableBytes > 0 else { return }
        let bytes = window.readBytes(length: window.readableBytes) ?? []
        try put(bytes)
    }

    private func put(_ bytes: [UInt8]) throws(ExportWriteError) {
        guard !bytes.isEmpty else { return }
        do { try handle.write(contentsOf: bytes) } catch { throw .cannotWrite(path: path, reason: "\(error)") }
    }
}
