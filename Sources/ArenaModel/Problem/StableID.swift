/// Deterministic identifiers derived from content.
public enum StableID {
    /// A UUID (version 8, "custom") derived from a problem's query and reward, so a problem file
    /// without `problem_id`s gives the same ids on every load and every machine.
    ///
    /// The 128 bits are two FNV-1a-64 hashes (different offset bases) of
    /// `query + "\u{1F}" + compact-JSON(reward)`, each passed through the SplitMix64 finalizer.
    public static func uuid(query: String, reward: JSONValue) -> String {
        let text = query + "\u{1F}" + JSONWriter().string(reward)
        return uuid(of: text)
    }

    /// A version-8 UUID string derived from `text`.
    public static func uuid(of text: String) -> String {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x6c62_272e_07bb_0142
        for b in text.utf8 {
            h1 = (h1 ^ UInt64(b)) &* 0x0000_0100_0000_01B3
            h2 = (h2 ^ UInt64(b)) &* 0x0000_0100_0000_01B3
        }
        var hi = mix(h1)
        var lo = mix(h2 ^ 0x9E37_79B9_7F4A_7C15)
        // Version 8 in the high nibble of byte 6, RFC 4122 variant in byte 8.
        hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_8000
        lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let hex = hex16(hi) + hex16(lo)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }

    /// SplitMix64's finalizer: a bijective 64-bit mix.
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func hex16(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
