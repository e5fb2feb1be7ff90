import Testing
@testable import Search

/// The two-core sort of the term and product-id sections must give exactly the order a plain byte-wise sort gives.
@Suite("byte string order")
struct ByteStringOrderTests {
    @Test(arguments: [0, 1, 2, 3, 1_001])
    func matchesTheStandardLibrarysByteOrder(count: Int) {
        var state: UInt64 = 0x5EED_0000 + UInt64(count)
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        // Short strings over a small alphabet with bytes ≥ 0x80, so prefixes, equal strings and signed-byte
        // traps all occur.
        let alphabet: [UInt8] = [0x00, 0x41, 0x61, 0x7F, 0x80, 0xC3, 0xFF]
        let strings = (0..<count).map { _ in (0..<next(5)).map { _ in alphabet[next(alphabet.count)] } }
        var bytes: [UInt8] = []
        var offsets: [UInt64] = [0]
        for s in strings {
            bytes += s
            offsets.append(UInt64(bytes.count))
        }
        let expected = strings.indices.sorted {
            strings[$0].lexicographicallyPrecedes(strings[$1]) || (strings[$0] == strings[$1] && $0 < $1)
        }
        #expect(ByteStringOrder.sortedIndices(bytes: bytes, offsets: offsets).map { Int($0) } == expected)
    }
}
