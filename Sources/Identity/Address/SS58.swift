/// SS58 addresses (Substrate's account format) for 32-byte sr25519 public keys:
/// `base58(prefix ‖ public key ‖ checksum)`, checksum = the first 2 bytes of
/// `BLAKE2b-512("SS58PRE" ‖ prefix ‖ public key)`. Bittensor uses network prefix 42 (addresses start with `5`).
public enum SS58 {
    /// The generic Substrate / Bittensor network prefix.
    public static let bittensorPrefix: UInt16 = 42

    /// Why an address was refused; `description` is a sentence a user can act on.
    public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case invalidCharacter(Character, position: Int)
        /// The decoded payload does not have the length of a 32-byte account (35 or 36 bytes).
        case invalidLength(Int)
        case invalidPrefixEncoding
        /// Prefixes 46 and 47 are reserved by the SS58 registry.
        case reservedPrefix(UInt16)
        case badChecksum
        case wrongNetwork(expected: UInt16, found: UInt16)
        /// The 32 bytes are not an sr25519 public key (not a canonical ristretto255 point).
        case notAPublicKey

        public var description: String {
            switch self {
            case .empty: "the address is empty"
            case .invalidCharacter(let c, let position):
                "'\(c)' at position \(position) is not a base58 character (0, O, I and l are never used)"
            case .invalidLength(let n):
                "the address decodes to \(n) bytes; a 32-byte account address has 35 or 36"
            case .invalidPrefixEncoding: "the address has an invalid two-byte network prefix"
            case .reservedPrefix(let p): "network prefix \(p) is reserved"
            case .badChecksum: "the address checksum does not match (mistyped or truncated address?)"
            case .wrongNetwork(let expected, let found):
                "the address is for network prefix \(found), expected \(expected) (Bittensor addresses start with 5)"
            case .notAPublicKey: "the address does not hold a valid sr25519 public key"
            }
        }
    }

    /// The address of `publicKey` under `prefix` (0…16383).
    public static func encode(publicKey: [UInt8], prefix: UInt16 = bittensorPrefix) -> String {
        precondition(publicKey.count == 32, "SS58 account ids are 32 bytes")
        precondition(prefix < 16384, "SS58 prefixes are 14-bit")
        let prefixBytes: [UInt8]
        if prefix < 64 {
            prefixBytes = [UInt8(prefix)]
        } else {
            prefixBytes = [UInt8((prefix & 0b1111_1100) >> 2) | 0b0100_0000,
                           UInt8(prefix >> 8) | UInt8((prefix & 0b11) << 6)]
        }
        let body = prefixBytes + publicKey
        return Base58.encode(body + checksum(body))
    }

    /// Decodes an address to its network prefix and 32-byte account id. With `expectedPrefix` (the
    /// default, 42) any other network is refused; pass `nil` to accept any.
    public static func decode(_ address: String, expectedPrefix: UInt16? = bittensorPrefix)
        throws(DecodeError) -> (prefix: UInt16, publicKey: [UInt8])
    {
        guard !address.isEmpty else { throw .empty }
        let data: [UInt8]
        do { data = try Base58.decode(address) } catch {
            throw .invalidCharacter(error.character, position: error.position)
        }
        guard let first = data.first else { throw .invalidLength(0) }
        let prefix: UInt16
        let prefixLength: Int
        if first < 64 {
            prefix = UInt16(first)
            prefixLength = 1
        } else if first < 128 {
            guard data.count >= 2 else { throw .invalidLength(data.count) }
            let lower = (UInt16(first) << 2) | (UInt16(data[1]) >> 6)
            let upper = UInt16(data[1] & 0b0011_1111)
            prefix = (lower & 0xff) | (upper << 8)
            prefixLength = 2
            // A two-byte form must not encode a value that fits the one-byte form.
            guard prefix >= 64 else { throw .invalidPrefixEncoding }
        } else {
            throw .invalidPrefixEncoding
        }
        guard data.count == prefixLength + 32 + 2 else { throw .invalidLength(data.count) }
        if prefix == 46 || prefix == 47 { throw .reservedPrefix(prefix) }
        let body = Array(data[0..<(prefixLength + 32)])
        guard Array(data[(prefixLength + 32)...]) == checksum(body) else { throw .badChecksum }
        if let expectedPrefix, expectedPrefix != prefix { throw .wrongNetwork(expected: expectedPrefix, found: prefix) }
        return (prefix, Array(body[prefixLength...]))
    }

    /// Decodes an address and checks that it holds a valid sr25519 public key.
    public static func publicKey(of address: String, expectedPrefix: UInt16? = bittensorPrefix)
        throws(DecodeError) -> Sr25519.PublicKey
    {
        let (_, bytes) = try decode(address, expectedPrefix: expectedPrefix)
        do { return try Sr25519.PublicKey(bytes: bytes) } catch { throw .notAPublicKey }
    }

    /// `nil` when `address` is a valid address (for `expectedPrefix`), else the reason.
    public static func validate(_ address: String, expectedPrefix: UInt16? = bittensorPrefix) -> DecodeError? {
        do { _ = try decode(address, expectedPrefix: expectedPrefix); return nil } catch { return error }
    }

    private static let checksumPrefix = Array("SS58PRE".utf8)

    private static func checksum(_ body: [UInt8]) -> [UInt8] {
        Array(Sodium.blake2b(checksumPrefix + body, outputLength: 64).prefix(2))
    }
}

extension Sr25519.PublicKey {
    /// The SS58 address of this key (Bittensor network prefix by default).
    public func ss58Address(prefix: UInt16 = SS58.bittensorPrefix) -> String {
        SS58.encode(publicKey: bytes, prefix: prefix)
    }
}
