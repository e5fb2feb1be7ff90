import Testing
@testable import Identity

/// sr25519 on its own: published keys, round trips and every way a signature must be refused.
@Suite("sr25519")
struct Sr25519Tests {
    /// Substrate's `//Alice` development key (`subkey inspect //Alice`).
    static let aliceSeed = "0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a"
    static let alicePublic = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
    static let aliceAddress = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"

    static func alice() throws -> Sr25519.Keypair {
        Sr25519.Keypair(miniSecret: try Sr25519.MiniSecret(bytes: try Hex.decode(aliceSeed)))
    }

    @Test("the //Alice seed derives the published public key and address")
    func aliceDerivation() throws {
        let alice = try Self.alice()
        #expect(Hex.encode(alice.publicKey.bytes) == Self.alicePublic)
        #expect(alice.publicKey.ss58Address() == Self.aliceAddress)
    }

    @Test("libsodium's ristretto255 base point multiples match RFC 9496 A.1")
    func ristrettoMultiples() {
        let expected = [
            "0000000000000000000000000000000000000000000000000000000000000000",
            "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
            "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
            "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
        ]
        for (i, hex) in expected.enumerated() {
            var scalar = [UInt8](repeating: 0, count: 32)
            scalar[0] = UInt8(i)
            #expect(Hex.encode(Sodium.scalarMultBase(scalar)) == hex, "\(i)·B")
        }
    }

    @Test("sign then verify; signatures are randomised but all verify")
    func roundTrip() throws {
        let pair = Sr25519.Keypair(miniSecret: .random())
        let message = Array("5F…:1700000000:nonce".utf8)
        let a = pair.sign(message), b = pair.sign(message)
        #expect(a != b)
        #expect(pair.publicKey.verify(a, message: message))
        #expect(pair.publicKey.verify(b, message: message))
        #expect(try Sr25519.Signature(bytes: a.bytes) == a)
        #expect(a.bytes[63] & 0x80 != 0)
    }

    @Test("same randomness gives the same signature; the nonce seed still matters")
    func deterministicWitness() throws {
        let rand = [UInt8](repeating: 9, count: 32)
        let pair = try Self.alice()
        let other = Sr25519.Keypair(miniSecret: .random())
        #expect(pair.sign([1, 2, 3], randomness: rand) == pair.sign([1, 2, 3], randomness: rand))
        #expect(pair.sign([1, 2, 3], randomness: rand).bytes.prefix(32) != other.sign([1, 2, 3], randomness: rand).bytes.prefix(32))
    }

    @Test("every single-bit flip of a signature is refused (encoding error or failed verification)")
    func signatureBitFlips() throws {
        let pair = Sr25519.Keypair(miniSecret: .random())
        let message = Array("flip me".utf8)
        let sig = pair.sign(message)
        var accepted: [Int] = []
        for bit in 0..<512 {
            var bytes = sig.bytes
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            guard let candidate = try? Sr25519.Signature(bytes: bytes) else { continue }
            if pair.publicKey.verify(candidate, message: message) { accepted.append(bit) }
        }
        #expect(accepted.isEmpty)
    }

    @Test("every single-bit flip of the public key is refused")
    func keyBitFlips() throws {
        let pair = Sr25519.Keypair(miniSecret: .random())
        let message = Array("key flip".utf8)
        let sig = pair.sign(message)
        var accepted: [Int] = []
        for bit in 0..<256 {
            var bytes = pair.publicKey.bytes
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            guard let key = try? Sr25519.PublicKey(bytes: bytes) else { continue }
            if key.verify(sig, message: message) { accepted.append(bit) }
        }
        #expect(accepted.isEmpty)
    }

    @Test("a signature under another signing context is refused")
    func wrongContext() {
        let pair = Sr25519.Keypair(miniSecret: .random())
        let sig = pair.sign([7], context: Array("substrate2".utf8))
        #expect(!pair.publicKey.verify(sig, message: [7]))
        #expect(pair.publicKey.verify(sig, message: [7], context: Array("substrate2".utf8)))
    }

    @Test("a missing schnorrkel marker bit is refused")
    func missingMarker() {
        var bytes = Sr25519.Keypair(miniSecret: .random()).sign([1]).bytes
        bytes[63] &= 0x7f
        #expect(throws: Sr25519.EncodingError.missingSchnorrkelMarker) { try Sr25519.Signature(bytes: bytes) }
    }

    @Test("s + ℓ (the same scalar, non-canonically encoded) and s = ℓ are refused")
    func nonCanonicalScalar() {
        let sig = Sr25519.Keypair(miniSecret: .random()).sign([1])
        var s = Array(sig.bytes[32..<64])
        s[31] &= 0x7f
        var carry = 0
        for i in 0..<32 {
            let v = Int(s[i]) + Int(Sodium.groupOrder[i]) + carry
            s[i] = UInt8(v & 0xff)
            carry = v >> 8
        }
        s[31] |= 0x80
        #expect(throws: Sr25519.EncodingError.nonCanonicalScalar) {
            try Sr25519.Signature(bytes: Array(sig.bytes[0..<32]) + s)
        }
        var order = Sodium.groupOrder
        order[31] |= 0x80
        #expect(throws: Sr25519.EncodingError.nonCanonicalScalar) {
            try Sr25519.Signature(bytes: Array(sig.bytes[0..<32]) + order)
        }
    }

    /// RFC 9496 A.2: non-canonical and negative field element encodings, and points off the curve.
    static let badPointEncodings = [
        "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ]

    @Test("non-canonical public key encodings are refused", arguments: badPointEncodings)
    func nonCanonicalKey(hex: String) throws {
        #expect(throws: Sr25519.EncodingError.nonCanonicalPoint) { try Sr25519.PublicKey(bytes: try Hex.decode(hex)) }
    }

    @Test("a signature whose R is not the canonical encoding never verifies")
    func nonCanonicalR() throws {
        let pair = Sr25519.Keypair(miniSecret: .random())
        let sig = pair.sign([5])
        for hex in Self.badPointEncodings {
            let forged = try Sr25519.Signature(bytes: try Hex.decode(hex) + Array(sig.bytes[32...]))
            #expect(!pair.publicKey.verify(forged, message: [5]))
        }
        var highBit = sig.bytes
        highBit[31] |= 0x80  // the same R with the unused top bit set
        #expect(!pair.publicKey.verify(try Sr25519.Signature(bytes: highBit), message: [5]))
    }

    @Test("lengths are checked")
    func lengths() {
        #expect(throws: Sr25519.EncodingError.wrongLength(what: "mini secret", expected: 32, actual: 31)) {
            try Sr25519.MiniSecret(bytes: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: Sr25519.EncodingError.wrongLength(what: "public key", expected: 32, actual: 33)) {
            try Sr25519.PublicKey(bytes: [UInt8](repeating: 0, count: 33))
        }
        #expect(throws: Sr25519.EncodingError.wrongLength(what: "signature", expected: 64, actual: 63)) {
            try Sr25519.Signature(bytes: [UInt8](repeating: 0, count: 63))
        }
    }

    @Test("signature hex: 0x optional; truncated, overlong, odd and non-hex input refused")
    func signatureHex() throws {
        let sig = Sr25519.Keypair(miniSecret: .random()).sign([1])
        let bare = Hex.encode(sig.bytes)
        #expect(try Sr25519.Signature(hex: "0x" + bare) == sig)
        #expect(try Sr25519.Signature(hex: bare) == sig)
        #expect(try Sr25519.Signature(hex: "0X" + bare.uppercased()) == sig)
        for bad in [String(bare.dropLast(2)), bare + "00", String(bare.dropLast()), "0x", "",
                    "zz" + bare.dropFirst(2), "0x0x" + bare, " " + bare] {
            #expect(throws: AuthError.self) { try Sr25519.Signature(hex: bad) }
            do { _ = try Sr25519.Signature(hex: bad) } catch { #expect(error.errorCode == "INVALID_SIGNATURE_FORMAT") }
        }
    }
}
