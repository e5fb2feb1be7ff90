import Testing
@testable import Identity

@Suite("SS58 addresses")
struct SS58Tests {
    let alice = Sr25519Tests.aliceAddress

    @Test("decodes //Alice and re-encodes it")
    func roundTrip() throws {
        let decoded = try SS58.decode(alice)
        #expect(decoded.prefix == 42)
        #expect(Hex.encode(decoded.publicKey) == Sr25519Tests.alicePublic)
        #expect(SS58.encode(publicKey: decoded.publicKey) == alice)
        #expect(SS58.validate(alice) == nil)
    }

    @Test("precise errors")
    func errors() throws {
        #expect(throws: SS58.DecodeError.empty) { try SS58.decode("") }
        #expect(throws: SS58.DecodeError.invalidCharacter("0", position: 3)) {
            try SS58.decode("5Gr0vaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
        }
        #expect(throws: SS58.DecodeError.invalidCharacter("l", position: 0)) { try SS58.decode("l" + alice.dropFirst()) }
        #expect(throws: SS58.DecodeError.invalidCharacter("é", position: 47)) { try SS58.decode(alice.dropLast() + "é") }
        // One character changed: same length, wrong checksum.
        #expect(throws: SS58.DecodeError.badChecksum) {
            try SS58.decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ")
        }
        // Truncated and overlong.
        #expect(throws: SS58.DecodeError.self) { try SS58.decode(String(alice.dropLast(3))) }
        if case .invalidLength = SS58.validate(String(alice.dropLast(3))) {} else { Issue.record("truncated") }
        if case .invalidLength = SS58.validate(alice + "1111") {} else { Issue.record("overlong") }
        // Polkadot (prefix 0) address of the same key.
        let polkadot = SS58.encode(publicKey: try Hex.decode(Sr25519Tests.alicePublic), prefix: 0)
        #expect(polkadot == "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5")
        #expect(throws: SS58.DecodeError.wrongNetwork(expected: 42, found: 0)) { try SS58.decode(polkadot) }
        #expect(try SS58.decode(polkadot, expectedPrefix: nil).prefix == 0)
        // Reserved prefix 46.
        let reserved = SS58.encode(publicKey: try Hex.decode(Sr25519Tests.alicePublic), prefix: 46)
        #expect(throws: SS58.DecodeError.reservedPrefix(46)) { try SS58.decode(reserved, expectedPrefix: nil) }
    }

    @Test("an address of 32 bytes that are not a point is refused as a hotkey")
    func notAPoint() throws {
        let address = SS58.encode(publicKey: try Hex.decode(Sr25519Tests.badPointEncodings[0]))
        #expect(SS58.validate(address) == nil)
        #expect(throws: SS58.DecodeError.notAPublicKey) { try SS58.publicKey(of: address) }
    }

    @Test("leading zero bytes survive base58")
    func base58Zeros() throws {
        for bytes: [UInt8] in [[], [0], [0, 0, 1], [0, 255], [1, 0], Array(repeating: 0, count: 5)] {
            #expect(try Base58.decode(Base58.encode(bytes)) == bytes)
        }
        #expect(Base58.encode([0, 0, 0x28, 0x7f, 0xb4, 0xcd]) == "11233QC4")
    }
}
