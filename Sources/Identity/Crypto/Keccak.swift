/// The Keccak-f[1600] permutation (FIPS 202 §3), the core of STROBE-128 and therefore of Merlin.
///
/// The state is 25 little-endian 64-bit lanes, lane `x + 5y` holding `A[x, y]`. Checked in the tests
/// by building SHA3-256 on top of it and comparing with published digests.
enum Keccak {
    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    /// ρ rotation offsets, indexed by lane `x + 5y`.
    private static let rotations: [UInt64] = [
        0, 1, 62, 28, 27,
        36, 44, 6, 55, 20,
        3, 10, 43, 25, 39,
        41, 45, 15, 21, 8,
        18, 2, 61, 56, 14,
    ]

    /// π destination of lane `x + 5y`: `B[y, 2x + 3y]`.
    private static let piDestination: [Int] = (0..<25).map { i in
        let x = i % 5, y = i / 5
        return y + 5 * ((2 * x + 3 * y) % 5)
    }

    /// Applies the 24-round permutation to `lanes` (exactly 25 lanes).
    static func permute(_ lanes: inout [UInt64]) {
        precondition(lanes.count == 25)
        lanes.withUnsafeMutableBufferPointer { a in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 30) { tmp in
                let b = tmp.baseAddress!          // 25 lanes for ρ/π output
                let c = tmp.baseAddress! + 25     // 5 column parities for θ
                for round in 0..<24 {
                    // θ: XOR every lane with the parities of two neighbouring columns.
                    for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
                    for x in 0..<5 {
                        let d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
                        for y in stride(from: 0, to: 25, by: 5) { a[x + y] ^= d }
                    }
                    // ρ and π: rotate each lane and move it.
                    for i in 0..<25 { b[piDestination[i]] = rotl(a[i], rotations[i]) }
                    // χ: the only non-linear step, row by row.
                    for y in stride(from: 0, to: 25, by: 5) {
                        for x in 0..<5 {
                            a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5])
                        }
                    }
                    // ι
                    a[0] ^= roundConstants[round]
                }
            }
        }
    }

    @inline(__always)
    private static func rotl(_ v: UInt64, _ n: UInt64) -> UInt64 {
        n == 0 ? v : (v << n) | (v >> (64 - n))
    }
}
