import Identity

/// A `keys` failure printed as `Error: <description>` with exit code 1.
public struct KeysFailure: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// The work of `shoparena keys list | verify` on hotkeys (sr25519, SS58 prefix 42), worded for the operator.
public enum KeyCommands {
    /// One `name<TAB>address` line per stored key (`name<TAB>(unreadable: …)` for a file that cannot be read).
    public static func listing(_ store: KeyStore) throws -> [String] {
        try store.list().map { name in
            do { return "\(name)\t\(try store.load(name: name).ss58Address)" } catch { return "\(name)\t(unreadable: \(error))" }
        }
    }

    /// `valid` or `valid (<Bytes>-wrapped message)` when `signature` (hex, 0x optional) by `address` signs `message`.
    public static func verify(address: String, message: String, signature: String) throws(KeysFailure) -> String {
        do {
            let form = try MessageSignature.verify(message: message, signatureHex: signature, hotkey: address)
            return form == .bare ? "valid" : "valid (<Bytes>-wrapped message)"
        } catch {
            switch error {
            case .invalidSignature:
                throw KeysFailure(description: "invalid: the signature does not verify for \(address) over this message")
            case .invalidHotkeyFormat(let reason): throw KeysFailure(description: "bad address: \(reason)")
            default: throw KeysFailure(description: error.message)
            }
        }
    }
}
