import Testing
@testable import Identity

@Suite("Hex")
struct HexTests {
    @Test("round trip, either case, optional 0x")
    func roundTrip() throws {
        let bytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xab, 0xff]
        #expect(Hex.encode(bytes) == "00017f80abff")
        #expect(try Hex.decode("00017F80ABFF") == bytes)
        #expect(try Hex.decode("0x00017f80abff", length: 6) == bytes)
        #expect(try Hex.decode("") == [])
        #expect(try Hex.decode("0x") == [])
    }

    @Test("precise errors")
    func errors() {
        #expect(throws: Hex.DecodeError.oddLength(3)) { try Hex.decode("0xabc") }
        #expect(throws: Hex.DecodeError.invalidCharacter("g", offset: 3)) { try Hex.decode("0xag") }
        #expect(throws: Hex.DecodeError.invalidCharacter("é", offset: 2)) { try Hex.decode("abé0") }
        #expect(throws: Hex.DecodeError.wrongLength(expectedBytes: 2, actualBytes: 3)) { try Hex.decode("aabbcc", length: 2) }
    }
}
