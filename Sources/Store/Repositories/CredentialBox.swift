import CSodium

/// Encrypts miners' inference credentials at rest with libsodium's `crypto_secretbox_easy`
/// (XSalsa20-Poly1305), keyed by the SHA-256 of the operator's `credentialKey` text.
///
/// A sealed value is text: `sb1:` followed by the lower-case hex of `nonce (24 bytes) ‖ ciphertext`. A fresh
/// random nonce per seal means the same token never encrypts to the same text twice.
public struct CredentialBox: Sendable {
    /// Why a stored credential could not be opened.
    public enum OpenError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text is not `sb1:` followed by hex of at least a nonce and a MAC.
        case malformed
        /// The MAC did not verify: the text was altered or sealed under another `credentialKey`.
        case wrongKeyOrTampered

        /// The failure in words an operator can act on.
        public var description: String {
            switch self {
            case .malformed: "the stored credential is not a sealed box (expected 'sb1:<hex>')"
            case .wrongKeyOrTampered:
                "the stored credential does not decrypt: it was sealed with another credential key or altered"
            }
        }
    }

    static let prefix = "sb1:"
    private let key: [UInt8]

    /// A box whose key is SHA-256(`keyText`).
    public init(keyText: String) {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        let input = Array(keyText.utf8)
        _ = input.withUnsafeBufferPointer { crypto_hash_sha256(&digest, $0.baseAddress, UInt64($0.count)) }
        key = digest
    }

    /// Encrypts `plaintext` under a fresh random nonce.
    public func seal(_ plaintext: String) -> String {
        let message = Array(plaintext.utf8)
        var nonce = [UInt8](repeating: 0, count: Int(crypto_secretbox_NONCEBYTES))
        randombytes_buf(&nonce, nonce.count)
        var cipher = [UInt8](repeating: 0, count: message.count + Int(crypto_secretbox_MACBYTES))
        _ = message.withUnsafeBufferPointer { m in
            crypto_secretbox_easy(&cipher, m.baseAddress, UInt64(m.count), nonce, key)
        }
        return Self.prefix + SHA256Hex.hex(nonce + cipher)
    }

    /// Decrypts a value made by `seal`.
    public func open(_ sealed: String) throws(OpenError) -> String {
        guard sealed.hasPrefix(Self.prefix), let bytes = Self.unhex(sealed.dropFirst(Self.prefix.count)),
              bytes.count >= Int(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        else { throw .malformed }
        let nonce = Array(bytes.prefix(Int(crypto_secretbox_NONCEBYTES)))
        let cipher = Array(bytes.dropFirst(Int(crypto_secretbox_NONCEBYTES)))
        var message = [UInt8](repeating: 0, count: cipher.count - Int(crypto_secretbox_MACBYTES))
        let status = cipher.withUnsafeBufferPointer { c in
            crypto_secretbox_open_easy(&message, c.baseAddress!, UInt64(c.count), nonce, key)
        }
        guard status == 0 else { throw .wrongKeyOrTampered }
        return String(decoding: message, as: UTF8.self)
    }

    private static func unhex(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
