import Foundation

/// The on-disk JSON of one ShopArena key (see ``KeyStore`` for the format).
struct KeyFile {
    static let format = "shoparena-sr25519-key"
    static let version = 1

    let name: String
    let miniSecret: Sr25519.MiniSecret
    let keypair: Sr25519.Keypair
    let createdAt: Date

    private struct Wire: Codable {
        var format: String
        var version: Int
        var name: String
        var mini_secret: String
        var public_key: String
        var ss58_address: String
        var created_at: String
    }

    func encoded() -> [UInt8] {
        let wire = Wire(format: Self.format, version: Self.version, name: name,
                        mini_secret: "0x" + Hex.encode(miniSecret.bytes),
                        public_key: "0x" + Hex.encode(keypair.publicKey.bytes),
                        ss58_address: keypair.publicKey.ss58Address(),
                        created_at: ISO8601DateFormatter().string(from: createdAt))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and ints cannot fail.
        return Array(try! encoder.encode(wire)) + [0x0a]
    }

    static func decode(_ data: Data, path: String) throws(KeyStoreError) -> KeyFile {
        let wire: Wire
        do { wire = try JSONDecoder().decode(Wire.self, from: data) } catch {
            throw .invalidKeyFile(path: path, reason: "expected JSON with format, version, mini_secret, "
                                  + "public_key, ss58_address (\(error))")
        }
        guard wire.format == format else {
            throw .invalidKeyFile(path: path, reason: "format is '\(wire.format)', expected '\(format)'")
        }
        guard wire.version == version else {
            throw .invalidKeyFile(path: path, reason: "version \(wire.version) is not supported (expected \(version))")
        }
        let miniSecret: Sr25519.MiniSecret
        do { miniSecret = try Sr25519.MiniSecret(bytes: try Hex.decode(wire.mini_secret, length: 32)) } catch {
            throw .invalidKeyFile(path: path, reason: "mini_secret: \(error)")
        }
        let keypair = Sr25519.Keypair(miniSecret: miniSecret)
        let derived = keypair.publicKey.ss58Address()
        guard derived == wire.ss58_address,
              (try? Hex.decode(wire.public_key, length: 32)) == keypair.publicKey.bytes
        else {
            throw .invalidKeyFile(path: path, reason: "mini_secret derives \(derived), which does not match "
                                  + "ss58_address \(wire.ss58_address) / public_key")
        }
        let date = ISO8601DateFormatter().date(from: wire.created_at) ?? Date(timeIntervalSince1970: 0)
        return KeyFile(name: wire.name, miniSecret: miniSecret, keypair: keypair, createdAt: date)
    }
}

/// Reads the secret of a Bittensor wallet hotkey file (as written by bittensor-wallet for
/// unencrypted hotkeys): JSON with `secretSeed` and `ss58Address` among other fields.
enum BittensorHotkeyFile {
    static func miniSecret(from data: Data, path: String) throws(KeyStoreError) -> Sr25519.MiniSecret {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            let head = String(decoding: data.prefix(8), as: UTF8.self)
            let hint = head.hasPrefix("$NACL") || head.hasPrefix("$ANSIBLE") || head.hasPrefix("gAAAA")
                ? "the file is encrypted (decrypt it with btcli first)" : "not JSON"
            throw .invalidWalletFile(path: path, reason: hint)
        }
        guard let dict = object as? [String: Any] else {
            throw .invalidWalletFile(path: path, reason: "expected a JSON object")
        }
        guard let seedText = dict["secretSeed"] as? String else {
            throw .invalidWalletFile(path: path, reason: "no \"secretSeed\" string (a keypair made from a "
                                     + "raw private key cannot be imported)")
        }
        guard let address = dict["ss58Address"] as? String else {
            throw .invalidWalletFile(path: path, reason: "no \"ss58Address\" string")
        }
        let miniSecret: Sr25519.MiniSecret
        do { miniSecret = try Sr25519.MiniSecret(bytes: try Hex.decode(seedText, length: 32)) } catch {
            throw .invalidWalletFile(path: path, reason: "secretSeed: \(error)")
        }
        let prefix: UInt16
        do { prefix = try SS58.decode(address, expectedPrefix: nil).prefix } catch {
            throw .invalidWalletFile(path: path, reason: "ss58Address: \(error)")
        }
        let derived = Sr25519.Keypair(miniSecret: miniSecret).publicKey.ss58Address(prefix: prefix)
        guard derived == address else {
            throw .addressMismatch(path: path, fileAddress: address, derivedAddress: derived)
        }
        return miniSecret
    }
}
