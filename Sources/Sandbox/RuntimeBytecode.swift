import Foundation

/// Keeps the runtime's `__pycache__` current so the sandboxed interpreter reads bytecode instead of
/// compiling the harness's source on every problem.
///
/// The sandbox runs `python -B` on a read-only mount, so it can never cache bytecode itself; compiling
/// the runtime from source costs several milliseconds of every problem's startup. Timestamp-based `.pyc`
/// files written on the host stay valid inside the sandbox: the bind mount keeps each source's mtime
/// and size, and CPython rewrites the code objects' file names to the path it imported from.
/// `scripts/setup-sandbox-venv` precompiles once; ``SandboxRunner`` calls ``refresh(runtime:python:)``
/// at start-up so edited sources are recompiled too. Best effort: a runtime folder that cannot be
/// written only makes agents start slower.
enum RuntimeBytecode {
    /// Package folders of the runtime that the harness imports.
    static let packages = ["shoparena_runtime", "src"]

    /// `cpython-311` for an interpreter whose real file is `python3.11`; nil when the name says nothing.
    static func cacheTag(python: URL) -> String? {
        let name = python.resolvingSymlinksInPath().lastPathComponent
        guard name.hasPrefix("python3.") else { return nil }
        let minor = name.dropFirst("python3.".count).prefix { $0.isNumber }
        return minor.isEmpty ? nil : "cpython-3\(minor)"
    }

    /// Sources under the runtime whose `.pyc` (for `tag`) is missing or was compiled from another version
    /// of the source (the same check CPython makes: the header's source mtime and size).
    static func staleSources(runtime: URL, tag: String) -> [String] {
        let fm = FileManager.default
        var stale: [String] = []
        for package in packages {
            let root = runtime.appendingPathComponent(package).path
            guard let names = fm.enumerator(atPath: root) else { continue }
            for case let name as String in names where name.hasSuffix(".py") && !name.contains("__pycache__") {
                let source = "\(root)/\(name)"
                let directory = (source as NSString).deletingLastPathComponent
                let stem = ((name as NSString).lastPathComponent as NSString).deletingPathExtension
                let cache = "\(directory)/__pycache__/\(stem).\(tag).pyc"
                if !matches(cache: cache, source: source) { stale.append(source) }
            }
        }
        return stale
    }

    /// Recompiles the runtime's packages with `python -m compileall` when any bytecode is stale (or the
    /// interpreter's cache tag is unknown). Returns whether everything is known to be current.
    @discardableResult
    static func refresh(runtime: URL, python: URL) -> Bool {
        if let tag = cacheTag(python: python), staleSources(runtime: runtime, tag: tag).isEmpty { return true }
        let dirs = packages.map { runtime.appendingPathComponent($0).path }.filter {
            FileManager.default.fileExists(atPath: $0)
        }
        guard !dirs.isEmpty,
            let child = try? ChildProcess.spawn(
                executable: python.path, arguments: ["-I", "-m", "compileall", "-q"] + dirs,
                environment: ["PATH=/usr/bin:/bin"], logPath: "/dev/null")
        else { return false }
        return child.reap() == .code(0)
    }

    /// Whether the timestamp-based `.pyc` header (magic, flags 0, source mtime, source size; PEP 552)
    /// describes `source` as it is now.
    static func matches(cache: String, source: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: source),
            let modified = attributes[.modificationDate] as? Date, let size = attributes[.size] as? NSNumber,
            let handle = FileHandle(forReadingAtPath: cache)
        else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 16), header.count == 16 else { return false }
        func word(_ at: Int) -> UInt32 {
            header.dropFirst(at).prefix(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }
        let mtime = UInt32(truncatingIfNeeded: Int64(modified.timeIntervalSince1970.rounded(.down)))
        return word(4) == 0 && word(8) == mtime && word(12) == UInt32(truncatingIfNeeded: size.int64Value)
    }
}
