#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Buffered sequential writes to a file descriptor, with a running checksum of the current section.
final class FileSink {
    let path: String
    private(set) var fd: Int32
    private var buffer: [UInt8] = []
    private let flushSize = 4 << 20
    /// Bytes written so far (buffered ones included).
    private(set) var position = 0
    var checksum = Checksum64()
    /// Starts a background `fdatasync` each time this many more bytes reach the file (nil: never), so the
    /// disk writes a large file while it is being built and the final sync has little left to wait for.
    private let writebackEvery: Int?
    private var writtenSinceWriteback = 0
    private let writeback = DispatchGroup()

    init(path: String, writebackEvery: Int? = nil) throws(IndexError) {
        self.path = path
        self.writebackEvery = writebackEvery
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot create: \(errnoText())") }
        buffer.reserveCapacity(flushSize + 65536)
    }

    deinit {
        writeback.wait()
        if fd >= 0 { close(fd) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
        checksum.update(bytes)
        position += bytes.count
        if bytes.count >= flushSize {
            try flush()
            try writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushSize { try flush() }
    }

    func write(_ bytes: [UInt8]) throws(IndexError) {
        try bytes.withUnsafeBytes { b in Result { () throws(IndexError) in try write(b) } }.get()
    }

    func write<T: FixedWidthInteger>(array: [T]) throws(IndexError) {
        #if _endian(big)
        let converted = array.map { $0.littleEndian }
        try converted.withUnsafeBytes { b in Result { () throws(IndexError) in try write(b) } }.get()
        #else
        try array.withUnsafeBytes { b in Result { () throws(IndexError) in try write(b) } }.get()
        #endif
    }

    /// Pads with zeros to a multiple of 8 (not part of any section checksum).
    func align() throws(IndexError) {
        let pad = (8 - position % 8) % 8
        if pad > 0 {
            let saved = checksum
            try write([UInt8](repeating: 0, count: pad))
            checksum = saved
        }
    }

    func flush() throws(IndexError) {
        try buffer.withUnsafeBytes { b in Result { () throws(IndexError) in try writeAll(b) } }.get()
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: "write failed: \(errnoText())")
            }
            offset += n
        }
        startWritebackIfDue(after: bytes.count)
    }

    private func startWritebackIfDue(after count: Int) {
        guard let every = writebackEvery else { return }
        writtenSinceWriteback += count
        guard writtenSinceWriteback >= every, writeback.wait(timeout: .now()) == .success else { return }
        writtenSinceWriteback = 0
        let fd = self.fd
        DispatchQueue.global(qos: .utility).async(group: writeback) { _ = fdatasync(fd) }
    }

    /// Writes `bytes` at an absolute offset (after a flush), for the header.
    func overwrite(at offset: Int, _ bytes: [UInt8]) throws(IndexError) {
        try flush()
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(offset)) }
        if n != bytes.count { throw .io(path: path, reason: "header write failed: \(errnoText())") }
    }

    func closeSynced() throws(IndexError) { try finishWriting(sync: true) }

    /// Flushes and closes; with `sync`, waits until the bytes are on disk first (a scratch file needs not).
    func finishWriting(sync: Bool) throws(IndexError) {
        try flush()
        writeback.wait()
        if sync && fsync(fd) != 0 { throw .io(path: path, reason: "fsync failed: \(errnoText())") }
        close(fd)
        fd = -1
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }
