import Foundation

/// Locates the third-party data kept beside the repository in `shared/data` (never copied into it).
///
/// Looks at `$SHOPARENA_SHARED_DATA` first, then walks up from this file to find a `shared/data`
/// folder next to the repository root (where CI and the developers' machines put it).
public enum SharedData {
    public struct Missing: Error, CustomStringConvertible {
        public var name: String
        public var searched: [String]
        public var description: String {
            "shared test data '\(name)' not found (searched: \(searched.joined(separator: ", "))); "
                + "put the shared/ folder beside the repository or set SHOPARENA_SHARED_DATA"
        }
    }

    /// The URL of `shared/data/<name>`, or an error saying where it looked.
    public static func url(_ name: String, file: String = #filePath) throws -> URL {
        var searched: [String] = []
        if let env = ProcessInfo.processInfo.environment["SHOPARENA_SHARED_DATA"] {
            let u = URL(fileURLWithPath: env).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: u.path) { return u }
            searched.append(u.path)
        }
        var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        for _ in 0..<8 {
            let u = dir.appendingPathComponent("shared/data").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: u.path) { return u }
            searched.append(u.path)
            dir = dir.deletingLastPathComponent()
        }
        throw Missing(name: name, searched: searched)
    }

    /// The contents of `shared/data/<name>` as text.
    public static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    /// The repository root (the folder holding Package.swift).
    public static func repositoryRoot(file: String = #filePath) -> URL {
        var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}
