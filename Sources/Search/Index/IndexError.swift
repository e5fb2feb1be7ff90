/// Why an index file could not be opened or built.
public enum IndexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file at the path.
    case notFound(path: String)
    /// The file could not be opened, read, mapped or written.
    case io(path: String, reason: String)
    /// The file is shorter than its header says (an interrupted copy or build).
    case truncated(path: String, expected: Int, found: Int)
    /// Not a ShopArena index file.
    case badMagic(path: String)
    /// Written by another version of the index format: rebuild it with `shoparena index build`.
    case versionMismatch(found: UInt32, expected: UInt32)
    /// A checksum or a structural check failed.
    case corrupt(reason: String)
    /// The catalog handed to the builder is unusable (duplicate id, read error…).
    case badCatalog(reason: String)

    public var description: String {
        switch self {
        case .notFound(let p): return "index file '\(p)' not found; build it with `shoparena index build`"
        case .io(let p, let r): return "index file '\(p)': \(r)"
        case .truncated(let p, let e, let f):
            return "index file '\(p)' is truncated (\(f) of \(e) bytes); rebuild it with `shoparena index build`"
        case .badMagic(let p): return "'\(p)' is not a ShopArena index file"
        case .versionMismatch(let f, let e):
            return "index format version \(f) is not supported (expected \(e)); rebuild it with `shoparena index build`"
        case .corrupt(let r): return "index file is corrupt: \(r); rebuild it with `shoparena index build`"
        case .badCatalog(let r): return "cannot index the catalog: \(r)"
        }
    }
}
