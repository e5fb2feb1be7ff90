import CSodium

/// SHA-256 (libsodium), the address of every blob.
public enum SHA256Hex {
    private static let initialized: Bool = sodium_init() >= 0

    /// The lower-case hex SHA-256 of `bytes`.
    public static func digest<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        precondition(initialized, "libsodium failed to initialise")
        var out = [UInt8](repeating: 0, count: 32)
        let input = Array(bytes)
        _ = input.withUnsafeBufferPointer { crypto_hash_sha256(&out, $0.baseAddress, UInt64($0.count)) }
        return hex(out)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var chars: [UInt8] = []
        chars.reserveCapacity(bytes.count * 2)
        for b in bytes {
            chars.append(digits[Int(b >> 4)])
            chars.append(digits[Int(b & 0xF)])
        }
        return String(decoding: chars, as: UTF8.self)
    }

    /// True for 64 lower-case hex characters (a well-formed blob address).
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
