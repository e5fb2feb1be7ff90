/// sr25519: Schnorr signatures over ristretto255 with Merlin transcripts, byte-compatible with
/// schnorrkel (Substrate, Polkadot, Bittensor, `py-sr25519-bindings`).
///
/// Group and scalar arithmetic, SHA-512 and the CSPRNG come from libsodium; the transcript is
/// ``MerlinTranscript``.
public enum Sr25519 {
    /// The signing context Substrate and Bittensor use for every signature.
    public static let substrateContext: [UInt8] = Array("substrate".utf8)

    /// Why a key or signature encoding was refused.
    public enum EncodingError: Error, Equatable, Sendable, CustomStringConvertible {
        case wrongLength(what: String, expected: Int, actual: Int)
        /// The public key or `R` is not a canonical ristretto255 encoding.
        case nonCanonicalPoint
        /// The signature's `s` is not below the group order.
        case nonCanonicalScalar
        /// The top bit of the last byte is clear: not a schnorrkel signature (or a pre-0.8 one).
        case missingSchnorrkelMarker

        public var description: String {
            switch self {
            case .wrongLength(let what, let expected, let actual):
                "\(what) must be \(expected) bytes, got \(actual)"
            case .nonCanonicalPoint: "not a canonical ristretto255 point encoding"
            case .nonCanonicalScalar: "signature scalar is not canonical (not below the group order)"
            case .missingSchnorrkelMarker: "signature lacks the schnorrkel marker bit (byte 63, bit 7)"
            }
        }
    }

    /// The 32-byte seed a key pair is derived from (Substrate's "mini secret", Bittensor's `secretSeed`).
    public struct MiniSecret: Sendable {
        public let bytes: [UInt8]

        public init(bytes: [UInt8]) throws(EncodingError) {
            guard bytes.count == 32 else { throw .wrongLength(what: "mini secret", expected: 32, actual: bytes.count) }
            self.bytes = bytes
        }

        /// A new mini secret from the operating system's CSPRNG.
        public static func random() -> MiniSecret {
            // 32 bytes, so the initializer cannot fail.
            try! MiniSecret(bytes: Sodium.randomBytes(32))
        }
    }

    /// A verified-on-construction sr25519 public key: a canonical ristretto255 point.
    public struct PublicKey: Sendable, Hashable {
        public let bytes: [UInt8]

        public init(bytes: [UInt8]) throws(EncodingError) {
            guard bytes.count == 32 else { throw .wrongLength(what: "public key", expected: 32, actual: bytes.count) }
            guard Sodium.isValidPoint(bytes) else { throw .nonCanonicalPoint }
            self.bytes = bytes
        }

        fileprivate init(unchecked bytes: [UInt8]) { self.bytes = bytes }

        /// Whether `signature` signs `message` under `context` with this key (schnorrkel `verify`).
        ///
        /// Recomputes `R' = s·B − k·A` with `k` the transcript challenge and compares its encoding with
        /// the signature's `R`, so a non-canonical `R` can never match.
        public func verify(_ signature: Signature, message: [UInt8], context: [UInt8] = Sr25519.substrateContext) -> Bool {
            var t = Sr25519.signingTranscript(context: context, message: message)
            t.appendMessage(label: Array("proto-name".utf8), message: Array("Schnorr-sig".utf8))
            t.appendMessage(label: Array("sign:pk".utf8), message: bytes)
            t.appendMessage(label: Array("sign:R".utf8), message: signature.r)
            let k = Sodium.scalarReduceWide(t.challengeBytes(label: Array("sign:c".utf8), count: 64))
            let sB = Sodium.scalarMultBase(signature.s)
            let kA = Sodium.scalarMult(k, bytes)
            return Sodium.pointSub(sB, kA) == signature.r
        }
    }

    /// A 64-byte schnorrkel signature `R ‖ s` with the marker bit set on the wire.
    public struct Signature: Sendable, Hashable {
        /// The wire bytes, marker bit included.
        public let bytes: [UInt8]
        var r: [UInt8] { Array(bytes[0..<32]) }
        /// `s` with the marker bit cleared.
        var s: [UInt8] {
            var v = Array(bytes[32..<64])
            v[31] &= 0x7f
            return v
        }

        /// Parses wire bytes; refuses a missing marker bit and a non-canonical `s` as schnorrkel does.
        /// `R` is only compared during verification.
        public init(bytes: [UInt8]) throws(EncodingError) {
            guard bytes.count == 64 else { throw .wrongLength(what: "signature", expected: 64, actual: bytes.count) }
            guard bytes[63] & 0x80 != 0 else { throw .missingSchnorrkelMarker }
            var s = Array(bytes[32..<64])
            s[31] &= 0x7f
            guard Sodium.isCanonicalScalar(s) else { throw .nonCanonicalScalar }
            self.bytes = bytes
        }

        fileprivate init(r: [UInt8], s: [UInt8]) {
            var b = r + s
            b[63] |= 0x80
            bytes = b
        }

        /// `0x`-prefixed lower-case hex, the form used in `X-Signature`.
        public var hex: String { "0x" + Hex.encode(bytes) }
    }

    /// A key pair derived from a mini secret the way Substrate does (schnorrkel `ExpandEd25519`).
    public struct Keypair: Sendable {
        public let publicKey: PublicKey
        /// The secret scalar (already divided by the cofactor, as schnorrkel stores it).
        let secretScalar: [UInt8]
        /// The 32-byte nonce seed mixed into every witness.
        let nonceSeed: [UInt8]

        /// Expands the mini secret: `h = SHA-512(mini)`, clamp `h[0..<32]` as Ed25519 does, divide by the
        /// cofactor 8 (the clamped value is a multiple of 8, so this is a 3-bit right shift), and keep
        /// `h[32..<64]` as the nonce seed. The scalar is below 2^252 < ℓ, hence already reduced.
        public init(miniSecret: MiniSecret) {
            var h = Sodium.sha512(miniSecret.bytes)
            defer { Sodium.wipe(&h) }
            var key = Array(h[0..<32])
            key[0] &= 248
            key[31] &= 63
            key[31] |= 64
            var carry: UInt8 = 0
            for i in stride(from: 31, through: 0, by: -1) {
                let v = key[i]
                key[i] = (v >> 3) | carry
                carry = v << 5
            }
            secretScalar = key
            nonceSeed = Array(h[32..<64])
            publicKey = PublicKey(unchecked: Sodium.scalarMultBase(key))
        }

        /// schnorrkel's 64-byte secret key encoding (`key ‖ nonce`), as `sr25519.pair_from_seed` returns it.
        public var secretKeyBytes: [UInt8] { secretScalar + nonceSeed }

        /// Signs `message` under `context`. The witness `r` comes from the transcript RNG rekeyed with
        /// the nonce seed and 32 fresh bytes from the CSPRNG (schnorrkel's `witness_scalar`); pass
        /// `randomness` only to make tests deterministic.
        public func sign(_ message: [UInt8], context: [UInt8] = Sr25519.substrateContext,
                         randomness: [UInt8]? = nil) -> Signature {
            var t = Sr25519.signingTranscript(context: context, message: message)
            t.appendMessage(label: Array("proto-name".utf8), message: Array("Schnorr-sig".utf8))
            t.appendMessage(label: Array("sign:pk".utf8), message: publicKey.bytes)
            var random = randomness ?? Sodium.randomBytes(32)
            var wide = t.witnessBytes(label: Array("signing".utf8), witnesses: [nonceSeed],
                                      randomness: random, count: 64)
            var r = Sodium.scalarReduceWide(wide)
            defer { Sodium.wipe(&r); Sodium.wipe(&wide); Sodium.wipe(&random) }
            let bigR = Sodium.scalarMultBase(r)
            t.appendMessage(label: Array("sign:R".utf8), message: bigR)
            let k = Sodium.scalarReduceWide(t.challengeBytes(label: Array("sign:c".utf8), count: 64))
            let s = Sodium.scalarMulAdd(k, secretScalar, r)
            return Signature(r: bigR, s: s)
        }
    }

    /// The transcript schnorrkel builds for `signing_context(context).bytes(message)`.
    static func signingTranscript(context: [UInt8], message: [UInt8]) -> MerlinTranscript {
        var t = context == substrateContext ? substratePrefix : {
            var fresh = MerlinTranscript(label: Array("SigningContext".utf8))
            fresh.appendMessage(label: [], message: context)
            return fresh
        }()
        t.appendMessage(label: Array("sign-bytes".utf8), message: message)
        return t
    }

    /// The "substrate" context transcript, computed once (an immutable value, copied per signature).
    private static let substratePrefix: MerlinTranscript = {
        var t = MerlinTranscript(label: Array("SigningContext".utf8))
        t.appendMessage(label: [], message: substrateContext)
        return t
    }()
}
