#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be opened, read or written.
public enum FileAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open \(path): \(reason)"
        case .readFailed(let path, let reason): return "cannot read \(path): \(reason)"
        case .writeFailed(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// Reads a file line by line in constant memory (1 MiB buffer), handing each line's bytes to a
/// closure without the trailing `\n` (and `\r`). Lines may be of any length.
public struct LineReader: ~Copyable {
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0
    /// Bytes consumed so far, for progress reports.
    public private(set) var bytesRead = 0

    public init(path: String, bufferSize: Int = 1 << 20) throws(FileAccessError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileAccessError.errnoText()) }
        self.fd = fd
        self.buffer = [UInt8](repeating: 0, count: max(bufferSize, 4096))
    }

    deinit { close(fd) }

    /// Calls `body` with the next line; returns false at the end of the file.
    public mutating func next<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R? {
        while true {
            if let nl = findNewline() {
                var lineEnd = nl
                if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let s = start
                start = nl + 1
                lineNumber += 1
                return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<lineEnd])) }
            }
            if eof {
                guard start < end else { return nil }
                let s = start
                var lineEnd = end
                if buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                start = end
                lineNumber += 1
                return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<lineEnd])) }
            }
            try fill()
        }
    }

    private func findNewline() -> Int? {
        guard start < end else { return nil }
        return buffer.withUnsafeBufferPointer { b -> Int? in
            guard let base = b.baseAddress, let p = memchr(base + start, 0x0A, end - start) else { return nil }
            return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
    }

    private mutating func fill() throws(FileAccessError) {
        // Move the partial line to the front, grow when a single line fills the buffer.
        if start > 0 {
            let n = end - start
            if n > 0 {
                buffer.withUnsafeMutableBufferPointer { b in
                    _ = memmove(b.baseAddress!, b.baseAddress! + start, n)
                }
            }
            end = n
            start = 0
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let capacity = buffer.count - end
        let got = buffer.withUnsafeMutableBufferPointer { b in read(fd, b.baseAddress! + end, capacity) }
        if got < 0 {
            if errno == EINTR { return }
            throw .readFailed(path: path, reason: FileAccessError.errnoText())
        }
        if got == 0 { eof = true }
        end += got
        bytesRead += got
    }
}
