import CSodium

/// Thin, checked wrappers over the libsodium primitives sr25519 needs: ristretto255 points and scalars,
/// BLAKE2b, SHA-512 and the system CSPRNG. Every entry point makes sure `sodium_init` ran once.
///
/// Points are 32-byte canonical ristretto255 encodings; the identity is 32 zero bytes. Scalars are
/// 32-byte little-endian integers reduced modulo the group order ℓ.
enum Sodium {
    /// `sodium_init()` run exactly once (Swift initialises a static `let` lazily and thread-safely).
    private static let initialized: Bool = sodium_init() >= 0

    @inline(__always)
    static func ensureInitialized() {
        precondition(initialized, "libsodium failed to initialise")
    }

    static let identity = [UInt8](repeating: 0, count: 32)

    /// The group order ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
    static let groupOrder: [UInt8] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ]

    /// Whether the 32 little-endian bytes are < ℓ (the canonical-scalar check schnorrkel applies to `s`).
    static func isCanonicalScalar(_ s: some Collection<UInt8>) -> Bool {
        precondition(s.count == 32)
        let bytes = Array(s)
        for i in stride(from: 31, through: 0, by: -1) {
            if bytes[i] < groupOrder[i] { return true }
            if bytes[i] > groupOrder[i] { return false }
        }
        return false  // equal to ℓ
    }

    /// Whether the bytes are a canonical encoding of a ristretto255 point (the identity included).
    static func isValidPoint(_ p: [UInt8]) -> Bool {
        ensureInitialized()
        guard p.count == 32 else { return false }
        return crypto_core_ristretto255_is_valid_point(p) == 1
    }

    /// `s·B` for the ristretto255 generator `B`; `s` must be reduced.
    static func scalarMultBase(_ s: [UInt8]) -> [UInt8] {
        ensureInitialized()
        var q = [UInt8](repeating: 0, count: 32)
        // libsodium returns -1 only when the result is the identity (s ≡ 0), and then q is all zeros.
        if crypto_scalarmult_ristretto255_base(&q, s) != 0 { return identity }
        return q
    }

    /// `s·P` for a point already known to be valid; `s` must be reduced.
    static func scalarMult(_ s: [UInt8], _ p: [UInt8]) -> [UInt8] {
        ensureInitialized()
        var q = [UInt8](repeating: 0, count: 32)
        // With a valid P, -1 means the product is the identity.
        if crypto_scalarmult_ristretto255(&q, s, p) != 0 { return identity }
        return q
    }

    /// `P − Q` for valid points (the identity included).
    static func pointSub(_ p: [UInt8], _ q: [UInt8]) -> [UInt8] {
        ensureInitialized()
        var r = [UInt8](repeating: 0, count: 32)
        let rc = crypto_core_ristretto255_sub(&r, p, q)
        precondition(rc == 0, "ristretto255 subtraction of validated points failed")
        return r
    }

    /// A 64-byte little-endian integer reduced modulo ℓ.
    static func scalarReduceWide(_ wide: [UInt8]) -> [UInt8] {
        ensureInitialized()
        precondition(wide.count == 64)
        var r = [UInt8](repeating: 0, count: 32)
        crypto_core_ristretto255_scalar_reduce(&r, wide)
        return r
    }

    /// `a·b + c mod ℓ`.
    static func scalarMulAdd(_ a: [UInt8], _ b: [UInt8], _ c: [UInt8]) -> [UInt8] {
        ensureInitialized()
        var ab = [UInt8](repeating: 0, count: 32)
        crypto_core_ristretto255_scalar_mul(&ab, a, b)
        var r = [UInt8](repeating: 0, count: 32)
        crypto_core_ristretto255_scalar_add(&r, ab, c)
        return r
    }

    /// Unkeyed BLAKE2b with a 1…64-byte digest.
    static func blake2b(_ data: [UInt8], outputLength: Int = 64) -> [UInt8] {
        ensureInitialized()
        var out = [UInt8](repeating: 0, count: outputLength)
        let rc = crypto_generichash_blake2b(&out, outputLength, data, UInt64(data.count), nil, 0)
        precondition(rc == 0, "BLAKE2b failed")
        return out
    }

    static func sha512(_ data: [UInt8]) -> [UInt8] {
        ensureInitialized()
        var out = [UInt8](repeating: 0, count: 64)
        _ = crypto_hash_sha512(&out, data, UInt64(data.count))
        return out
    }

    /// Bytes from the operating system's CSPRNG (via libsodium).
    static func randomBytes(_ count: Int) -> [UInt8] {
        ensureInitialized()
        var out = [UInt8](repeating: 0, count: count)
        randombytes_buf(&out, count)
        return out
    }

    /// Overwrites the buffer with zeros in a way the optimiser keeps.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
    }
}
