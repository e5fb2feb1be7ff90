import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hotkeys kept on disk, one JSON file per key, `<directory>/<name>.json`, mode 0600 in a 0700 folder.
///
/// File format (version 1), written by ``KeyFile``:
/// ```json
/// {"format": "shoparena-sr25519-key", "version": 1, "name": "alice",
///  "mini_secret": "0x<64 hex>", "public_key": "0x<64 hex>", "ss58_address": "5…",
///  "created_at": "2026-11-22T05:00:00Z"}
/// ```
/// `mini_secret` is the 32-byte seed (Bittensor's `secretSeed`); the key pair is derived from it on
/// load and must match `ss58_address` (and `public_key`), so a damaged file is detected.
public struct KeyStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `--keys-dir` if given, else `$SHOPARENA_HOME/keys`, else `~/.shoparena/keys`.
    public static func resolveDirectory(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let home = environment["SHOPARENA_HOME"], !home.isEmpty { return home + "/keys" }
        let userHome = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return userHome + "/.shoparena/keys"
    }

    /// A stored key: its name, key pair and address.
    public struct Entry: Sendable {
        public let name: String
        public let keypair: Sr25519.Keypair
        public var ss58Address: String { keypair.publicKey.ss58Address() }
    }

    /// Names must match `[A-Za-z0-9_-]{1,64}`.
    public static func validate(name: String) throws(KeyStoreError) {
        guard (1...64).contains(name.utf8.count), name.utf8.allSatisfy({ c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || c == 0x2d
        }) else { throw .invalidName(name) }
    }

    public func path(for name: String) -> String { directory + "/" + name + ".json" }

    /// Creates a key with a fresh random mini secret.
    @discardableResult
    public func create(name: String) throws(KeyStoreError) -> Entry {
        try store(name: name, miniSecret: .random())
    }

    /// Writes a new key file; refuses to overwrite an existing one.
    @discardableResult
    public func store(name: String, miniSecret: Sr25519.MiniSecret, createdAt: Date = Date()) throws(KeyStoreError) -> Entry {
        try Self.validate(name: name)
        try ensureDirectory()
        let keypair = Sr25519.Keypair(miniSecret: miniSecret)
        let file = KeyFile(name: name, miniSecret: miniSecret, keypair: keypair, createdAt: createdAt)
        try writeExclusive(path: path(for: name), contents: file.encoded())
        return Entry(name: name, keypair: keypair)
    }

    /// Loads and checks a key file.
    public func load(name: String) throws(KeyStoreError) -> Entry {
        try Self.validate(name: name)
        let path = path(for: name)
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(name: name, directory: directory) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: String(describing: error))
        }
        let file = try KeyFile.decode(data, path: path)
        return Entry(name: name, keypair: file.keypair)
    }

    /// Names of the stored keys, sorted. An absent directory has no keys.
    public func list() throws(KeyStoreError) -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        let items: [String]
        do { items = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw .unreadable(path: directory, reason: String(describing: error))
        }
        return items.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
            .filter { (try? Self.validate(name: $0)) != nil }.sorted()
    }

    /// Imports a Bittensor wallet hotkey file (`~/.bittensor/wallets/<w>/hotkeys/<h>`): JSON with
    /// `secretSeed` (0x-hex mini secret) and `ss58Address`, which must match the derived key.
    @discardableResult
    public func importBittensorHotkey(name: String, from file: String) throws(KeyStoreError) -> Entry {
        try Self.validate(name: name)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw .unreadable(path: file, reason: FileManager.default.fileExists(atPath: file)
                ? String(describing: error) : "no such file")
        }
        let miniSecret = try BittensorHotkeyFile.miniSecret(from: data, path: file)
        if FileManager.default.fileExists(atPath: path(for: name)) { throw .alreadyExists(path: path(for: name)) }
        return try store(name: name, miniSecret: miniSecret)
    }

    private func ensureDirectory() throws(KeyStoreError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) {
            guard isDir.boolValue else { throw .notADirectory(directory) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .unwritable(path: directory, reason: String(describing: error))
        }
    }

    /// `open(O_CREAT | O_EXCL, 0600)`, so an existing file is never replaced and the secret is never
    /// readable by others, not even briefly. A partial write removes the file.
    private func writeExclusive(path: String, contents: [UInt8]) throws(KeyStoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            let err = errno
            if err == EEXIST { throw .alreadyExists(path: path) }
            throw .unwritable(path: path, reason: String(cString: strerror(err)))
        }
        var written = 0
        var failure: Int32 = 0
        contents.withUnsafeBytes { buf in
            while written < buf.count {
                let n = write(fd, buf.baseAddress! + written, buf.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += n
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure != 0 {
            unlink(path)
            throw .unwritable(path: path, reason: String(cString: strerror(failure)))
        }
    }
}

/// Errors of ``KeyStore``, each with a message saying what to do.
public enum KeyStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidName(String)
    case notFound(name: String, directory: String)
    case alreadyExists(path: String)
    case notADirectory(String)
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    /// A key file that is not ours or is damaged.
    case invalidKeyFile(path: String, reason: String)
    /// An import source that is not a usable Bittensor hotkey file.
    case invalidWalletFile(path: String, reason: String)
    case addressMismatch(path: String, fileAddress: String, derivedAddress: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            "invalid key name '\(name)': use 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'"
        case .notFound(let name, let directory):
            "no key named '\(name)' in \(directory) (see `shoparena keys list`, or pass --keys-dir)"
        case .alreadyExists(let path):
            "\(path) already exists; choose another name (keys are never overwritten)"
        case .notADirectory(let path): "\(path) exists and is not a directory"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .invalidKeyFile(let path, let reason): "\(path) is not a valid ShopArena key file: \(reason)"
        case .invalidWalletFile(let path, let reason): "\(path) is not a usable Bittensor hotkey file: \(reason)"
        case .addressMismatch(let path, let fileAddress, let derivedAddress):
            "\(path): secretSeed derives \(derivedAddress) but the file says ss58Address \(fileAddress); "
                + "the file is damaged or not an sr25519 hotkey"
        }
    }
}
