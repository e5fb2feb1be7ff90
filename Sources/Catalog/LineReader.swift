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
    /// The file offset of the next `read`, and where reading stops (nil: the end of the file).
    private var fileOffset: Int
    private let endOffset: Int?
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0
    /// Bytes consumed so far, for progress reports.
    public private(set) var bytesRead = 0

    /// Reads the whole file, or only the bytes `byteRange` covers (a range from ``LineReader/split(path:parts:)``
    /// starts at the beginning of a line and ends just after a newline or at the end of the file).
    public init(path: String, byteRange: Range<Int>? = nil, bufferSize: Int = 1 << 20) throws(FileAccessError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileAccessError.errnoText()) }
        self.fd = fd
        self.buffer = [UInt8](repeating: 0, count: max(bufferSize, 4096))
        fileOffset = byteRange?.lowerBound ?? 0
        endOffset = byteRange?.upperBound
    }

    /// Splits the file into at most `parts` byte ranges of about equal size, each made of whole lines, in
    /// file order; their union is the whole file. Fewer ranges come back when the lines are too long to split.
    public static func split(path: String, parts: Int) throws(FileAccessError) -> [Range<Int>] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileAccessError.errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .readFailed(path: path, reason: FileAccessError.errnoText()) }
        let size = Int(info.st_size)
        var bounds = [0]
        var probe = [UInt8](repeating: 0, count: 1 << 16)
        for k in 1..<max(1, parts) {
            // The first line start at or after the k-th equal cut.
            var at = max(size * k / parts, bounds[bounds.count - 1])
            var found: Int?
            while found == nil && at < size {
                let got = probe.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(at)) }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw .readFailed(path: path, reason: FileAccessError.errnoText())
                }
                if got == 0 { break }
                if let nl = probe[0..<got].firstIndex(of: 0x0A) { found = at + nl + 1 } else { at += got }
            }
            guard let cut = found, cut < size, cut > bounds[bounds.count - 1] else { continue }
            bounds.append(cut)
        }
        bounds.append(size)
        return (0..<bounds.count - 1).map { bounds[$0]..<bounds[$0 + 1] }
    }

    deinit { close(fd) }

    /// How many lines end before byte `offset` (the line number just before a range that starts there).
    public static func lines(path: String, before offset: Int) throws(FileAccessError) -> Int {
        var reader = try LineReader(path: path, byteRange: 0..<offset)
        var count = 0
        do {
            while try reader.next({ _ in () }) != nil { count += 1 }
        } catch let e as FileAccessError {
            throw e
        } catch {
            throw .readFailed(path: path, reason: "\(error)")
        }
        return count
    }

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
        var capacity = buffer.count - end
        if let endOffset { capacity = min(capacity, endOffset - fileOffset) }
        let got = capacity == 0 ? 0 : buffer.withUnsafeMutableBufferPointer { b in
            pread(fd, b.baseAddress! + end, capacity, off_t(fileOffset))
        }
        if got < 0 {
            if errno == EINTR { return }
            throw .readFailed(path: path, reason: FileAccessError.errnoText())
        }
        if got == 0 { eof = true }
        end += got
        fileOffset += got
        bytesRead += got
    }
}
