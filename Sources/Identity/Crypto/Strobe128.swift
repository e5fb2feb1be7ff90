/// The subset of STROBE v1.0.2 (128-bit security, Keccak-f[1600], rate 166 bytes) that Merlin uses:
/// `meta_ad`, `ad`, `prf` and `key`, each with the "more" flag for continuing an operation.
///
/// Bytes are addressed inside the 200-byte state as lane `i / 8`, byte `i % 8` (little-endian), so the
/// code does not depend on the host's byte order. Operations follow the STROBE paper's duplex rules:
/// an operation starts by absorbing `(pos_begin, flags)`; C-flagged operations (`prf`, `key`) force a
/// permutation first so their output depends on everything before them.
struct Strobe128: Sendable {
    /// STROBE's R: the usable rate for 128-bit security, 200 − 2·(128/8) − 2.
    static let rate = 166

    private struct Flags {
        static let I: UInt8 = 1 << 0  // inbound
        static let A: UInt8 = 1 << 1  // application data
        static let C: UInt8 = 1 << 2  // cipher (uses/forces the keyed state)
        static let T: UInt8 = 1 << 3  // transport (unsupported here)
        static let M: UInt8 = 1 << 4  // meta
        static let K: UInt8 = 1 << 5  // keytree (unsupported here)
    }

    private var lanes: [UInt64]
    private var pos: Int = 0
    private var posBegin: UInt8 = 0
    private var currentFlags: UInt8 = 0

    /// The state after STROBE's fixed initialisation block, before any protocol label.
    private static let initialLanes: [UInt64] = {
        var s = Strobe128(rawLanes: [UInt64](repeating: 0, count: 25))
        let header: [UInt8] = [1, UInt8(rate + 2), 1, 0, 1, 96] + Array("STROBEv1.0.2".utf8)
        for (i, byte) in header.enumerated() { s.xorByte(at: i, byte) }
        Keccak.permute(&s.lanes)
        return s.lanes
    }()

    private init(rawLanes: [UInt64]) { lanes = rawLanes }

    /// A fresh STROBE-128 instance for `protocolLabel` (Merlin uses `"Merlin v1.0"`).
    init(protocolLabel: [UInt8]) {
        lanes = Self.initialLanes
        metaAD(protocolLabel, more: false)
    }

    mutating func metaAD(_ data: [UInt8], more: Bool) {
        beginOperation(Flags.M | Flags.A, more: more)
        absorb(data)
    }

    mutating func ad(_ data: [UInt8], more: Bool) {
        beginOperation(Flags.A, more: more)
        absorb(data)
    }

    /// Pseudo-random output; each output byte is also zeroed in the state (forward secrecy).
    mutating func prf(count: Int, more: Bool) -> [UInt8] {
        beginOperation(Flags.I | Flags.A | Flags.C, more: more)
        return squeeze(count)
    }

    /// Keys the state by overwriting rate bytes with `data`.
    mutating func key(_ data: [UInt8], more: Bool) {
        beginOperation(Flags.A | Flags.C, more: more)
        overwrite(data)
    }

    // MARK: - duplex internals

    @inline(__always)
    private mutating func xorByte(at i: Int, _ byte: UInt8) {
        lanes[i >> 3] ^= UInt64(byte) << UInt64((i & 7) << 3)
    }

    @inline(__always)
    private func byte(at i: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: lanes[i >> 3] >> UInt64((i & 7) << 3))
    }

    @inline(__always)
    private mutating func setByte(at i: Int, _ byte: UInt8) {
        let shift = UInt64((i & 7) << 3)
        lanes[i >> 3] = (lanes[i >> 3] & ~(0xff << shift)) | (UInt64(byte) << shift)
    }

    /// Pads (cSHAKE-style domain bits 0x04 and the final 0x80) and permutes.
    private mutating func runF() {
        xorByte(at: pos, posBegin)
        xorByte(at: pos + 1, 0x04)
        xorByte(at: Self.rate + 1, 0x80)
        Keccak.permute(&lanes)
        pos = 0
        posBegin = 0
    }

    private mutating func absorb(_ data: [UInt8]) {
        for b in data {
            xorByte(at: pos, b)
            pos += 1
            if pos == Self.rate { runF() }
        }
    }

    private mutating func overwrite(_ data: [UInt8]) {
        for b in data {
            setByte(at: pos, b)
            pos += 1
            if pos == Self.rate { runF() }
        }
    }

    private mutating func squeeze(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            out[i] = byte(at: pos)
            setByte(at: pos, 0)
            pos += 1
            if pos == Self.rate { runF() }
        }
        return out
    }

    private mutating func beginOperation(_ flags: UInt8, more: Bool) {
        if more {
            precondition(currentFlags == flags, "STROBE: continued an operation with different flags")
            return
        }
        precondition(flags & (Flags.T | Flags.K) == 0, "STROBE: T and K flags are not supported")
        let oldBegin = posBegin
        posBegin = UInt8(pos + 1)
        currentFlags = flags
        absorb([oldBegin, flags])
        if flags & (Flags.C | Flags.K) != 0 && pos != 0 { runF() }
    }
}
